import type { CheckResult } from '../../functions/synthetics/types/results';

const ICON = { passed: 'PASS', degraded: 'SLOW', failed: 'FAIL' } as const;

/**
 * One line per check: status, the whole check's time, the first failing step/assertion, and after retries
 * each attempt's time.
 */
export const formatCheckLine = (result: CheckResult): string => {
  const attemptTimes = result.attempts.map((attempt) => `${Math.round(attempt.durationMs)}`).join(', ');
  const retries =
    result.retries > 0
      ? ` (after ${result.retries} retr${result.retries === 1 ? 'y' : 'ies'}; attempts ${attemptTimes} ms)`
      : '';
  const detail = result.error ?? (result.status === 'degraded' ? slowestStep(result) : '');
  return `${ICON[result.status]}  ${result.name.padEnd(24)} ${`${Math.round(result.durationMs)} ms`.padStart(8)}  ${detail}${retries}`.trimEnd();
};

const slowestStep = (result: CheckResult) => {
  const slowest = [...result.steps].sort((a, b) => b.durationMs - a.durationMs)[0];
  return slowest ? `slowest step: ${slowest.name} ${Math.round(slowest.durationMs)} ms` : '';
};

/** A readable table of results with a summary line. */
export const formatCheckTable = (results: readonly CheckResult[]): string => {
  const count = (status: CheckResult['status']) =>
    results.filter((result) => result.status === status).length;
  return [
    ...results.map(formatCheckLine),
    '',
    `${results.length} checks: ${count('passed')} passed, ${count('degraded')} degraded, ${count('failed')} failed`,
  ].join('\n');
};
