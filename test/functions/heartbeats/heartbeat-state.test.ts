import type { EmfRecord } from '../../../functions/commons/metrics/emf-writer';
import { MemoryHeartbeatStore } from '../../../functions/heartbeats/adapters/memory-heartbeat-store';
import { evaluateHeartbeats } from '../../../functions/heartbeats/evaluate-heartbeats';
import { heartbeatState } from '../../../functions/heartbeats/heartbeat-state';
import type { HeartbeatRecord } from '../../../functions/heartbeats/types/heartbeat-record';
import { hourlyHeartbeat } from '../../helpers/heartbeat-fixture';

const at = (iso: string) => Date.parse(iso);
const MINUTE = 60_000;
const succeeded = (time: number): HeartbeatRecord => ({
  name: 'job',
  lastPingAt: time,
  lastKind: 'success',
  lastSuccessAt: time,
});

describe('heartbeat lateness with a period', () => {
  const hourly = { expect: { everyMs: 60 * MINUTE }, graceMs: 5 * MINUTE };
  const last = at('2026-06-01T10:00:00Z');

  it('is up until period + grace after the last success, and late one millisecond later', () => {
    // Act
    const inTime = heartbeatState(hourly, succeeded(last), last + 65 * MINUTE);
    const justLate = heartbeatState(hourly, succeeded(last), last + 65 * MINUTE + 1);

    // Assess
    expect(inTime).toEqual({ status: 'up', late: false, failed: false, dueAt: last + 65 * MINUTE });
    expect(justLate).toMatchObject({ status: 'late', late: true, failed: false });
  });

  it('is new, and never late, before its first ping', () => {
    expect(heartbeatState(hourly, undefined, last + 1_000 * MINUTE)).toEqual({
      status: 'new',
      late: false,
      failed: false,
    });
  });

  it('counts from the first ping when no run has succeeded yet, and shows a run in progress as started', () => {
    // Prepare
    const onlyStarted: HeartbeatRecord = {
      name: 'job',
      lastPingAt: last,
      lastKind: 'start',
      lastStartAt: last,
    };

    // Act
    const running = heartbeatState(hourly, onlyStarted, last + 30 * MINUTE);
    const hung = heartbeatState(hourly, onlyStarted, last + 66 * MINUTE);

    // Assess
    expect(running.status).toBe('started');
    expect(hung).toMatchObject({ status: 'late', late: true });
  });

  it('is failed at once after a failing run, until a run succeeds', () => {
    // Prepare
    const failedRun: HeartbeatRecord = {
      ...succeeded(last),
      lastPingAt: last + MINUTE,
      lastKind: 'fail',
      lastFailAt: last + MINUTE,
    };
    const recovered: HeartbeatRecord = {
      ...failedRun,
      lastPingAt: last + 2 * MINUTE,
      lastKind: 'success',
      lastSuccessAt: last + 2 * MINUTE,
    };

    // Act
    const failing = heartbeatState(hourly, failedRun, last + MINUTE + 1);
    const fine = heartbeatState(hourly, recovered, last + 2 * MINUTE + 1);

    // Assess
    expect(failing).toMatchObject({ status: 'failed', failed: true, late: false });
    expect(fine).toMatchObject({ status: 'up', failed: false });
  });
});

describe('heartbeat lateness with a cron schedule and time zone', () => {
  // 09:00 in Berlin: 08:00 UTC in winter time (CET), 07:00 UTC from 2026-03-29 (CEST).
  const daily = { expect: { cron: '0 9 * * *', timezone: 'Europe/Berlin' }, graceMs: 15 * MINUTE };

  it('expects the slot at local time across the spring DST change', () => {
    // Prepare: the Saturday run (winter time) succeeded at 09:00:30 local = 08:00:30 UTC.
    const saturday = succeeded(at('2026-03-28T08:00:30Z'));

    // Act: Sunday is summer time, so its 09:00 slot is 07:00 UTC and its grace ends at 07:15 UTC.
    const beforeGraceEnds = heartbeatState(daily, saturday, at('2026-03-29T07:14:59Z'));
    const afterGraceEnds = heartbeatState(daily, saturday, at('2026-03-29T07:15:01Z'));

    // Assess: a UTC-fixed schedule would not call it late before 08:15 UTC.
    expect(beforeGraceEnds).toMatchObject({ status: 'up', late: false, dueAt: at('2026-03-29T07:15:00Z') });
    expect(afterGraceEnds).toMatchObject({ status: 'late', late: true });
  });

  it('expects the slot at local time across the autumn DST change', () => {
    // Prepare: Saturday 2026-10-24 09:00 CEST = 07:00 UTC; Sunday 2026-10-25 is winter time: 08:00 UTC.
    const saturday = succeeded(at('2026-10-24T07:01:00Z'));

    // Act
    const atOldSlot = heartbeatState(daily, saturday, at('2026-10-25T07:20:00Z'));
    const afterNewSlot = heartbeatState(daily, saturday, at('2026-10-25T08:15:01Z'));

    // Assess
    expect(atOldSlot).toMatchObject({ status: 'up', late: false });
    expect(afterNewSlot).toMatchObject({ status: 'late', late: true });
  });

  it('is not late when the run of the last slot succeeded within its grace', () => {
    // Prepare
    const ranToday = succeeded(at('2026-06-10T07:04:00Z'));

    // Act: the next day, before that day's slot + grace.
    const state = heartbeatState(daily, ranToday, at('2026-06-11T07:10:00Z'));

    // Assess
    expect(state).toMatchObject({ status: 'up', late: false, dueAt: at('2026-06-11T07:15:00Z') });
  });
});

describe('evaluateHeartbeats', () => {
  it('publishes HeartbeatLate and HeartbeatFailed as 0 or 1 for every heartbeat, pinged or not', async () => {
    // Prepare
    const now = at('2026-06-01T12:00:00Z');
    const store = new MemoryHeartbeatStore();
    await store.recordPing({ name: 'fresh', kind: 'success', at: now - MINUTE });
    await store.recordPing({ name: 'stale', kind: 'success', at: now - 2 * 60 * MINUTE });
    await store.recordPing({ name: 'broken', kind: 'fail', at: now - MINUTE, exitCode: 3 });
    const published: EmfRecord[] = [];

    // Act
    const evaluations = await evaluateHeartbeats(['fresh', 'stale', 'broken', 'never'].map(hourlyHeartbeat), {
      store,
      clock: { now: () => now },
      metrics: { publish: (record) => published.push(record) },
    });

    // Assess
    expect(evaluations.map((e) => [e.name, e.status])).toEqual([
      ['fresh', 'up'],
      ['stale', 'late'],
      ['broken', 'failed'],
      ['never', 'new'],
    ]);
    expect(
      published.map((record) => [
        record.dimensionSets[0]?.Heartbeat,
        ...record.metrics.map((metric) => `${metric.name}=${metric.value}`),
      ]),
    ).toEqual([
      ['fresh', 'HeartbeatLate=0', 'HeartbeatFailed=0'],
      ['stale', 'HeartbeatLate=1', 'HeartbeatFailed=0'],
      ['broken', 'HeartbeatLate=0', 'HeartbeatFailed=1'],
      ['never', 'HeartbeatLate=0', 'HeartbeatFailed=0'],
    ]);
  });
});
