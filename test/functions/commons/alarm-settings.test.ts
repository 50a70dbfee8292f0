import { checkAlarmState } from '../../../functions/commons/alarm-settings';

const F = true;
const P = false;

describe('checkAlarmState', () => {
  it.each([
    // N of N: the failures must be consecutive
    ['2 of 2: two failed runs in a row', [P, F, F], { failures: 2, outOf: 2 }, 'ALARM'],
    ['2 of 2: fail, pass, fail is not two in a row', [F, P, F], { failures: 2, outOf: 2 }, 'OK'],
    ['1 of 1: one failed run', [F], { failures: 1, outOf: 1 }, 'ALARM'],
    ['3 of 3: only two runs so far', [F, F], { failures: 3, outOf: 3 }, 'OK'],
    // N of M: a pass in between does not reset the count
    ['2 of 3: fail, pass, fail', [F, P, F], { failures: 2, outOf: 3 }, 'ALARM'],
    ['2 of 3: one failure among three runs', [P, P, F], { failures: 2, outOf: 3 }, 'OK'],
    [
      '3 of 10: three failures spread over ten runs',
      [F, P, P, P, F, P, P, P, P, F],
      { failures: 3, outOf: 10 },
      'ALARM',
    ],
    // Recovery: failures older than the last M runs no longer count
    ['2 of 3: the first failure left the window', [F, P, F, P], { failures: 2, outOf: 3 }, 'OK'],
    ['2 of 3: still two failures after one pass', [F, F, P], { failures: 2, outOf: 3 }, 'ALARM'],
    ['2 of 2: one pass after a failing streak', [F, F, F, P], { failures: 2, outOf: 2 }, 'OK'],
    ['no run yet', [], { failures: 1, outOf: 1 }, 'OK'],
  ] as const)('%s → %s', (_what, runs, failWhen, expected) => {
    // Act
    const state = checkAlarmState(runs, failWhen);
    // Assess
    expect(state).toBe(expected);
  });
});
