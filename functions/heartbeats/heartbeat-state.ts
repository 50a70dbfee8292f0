import { CronExpressionParser } from 'cron-parser';
import type { ResolvedHeartbeat } from '../commons/config/heartbeat-schema';
import type { HeartbeatRecord } from './types/heartbeat-record';

/**
 * Where a heartbeat stands:
 * - `new`: never pinged (not late: a heartbeat starts counting at its first ping);
 * - `up`: the last success came in time;
 * - `started`: a run began (`/start`) and has not reported yet, still in time;
 * - `late`: no success within the period + grace (or since the last cron slot + grace);
 * - `failed`: the last run reported failure (`/fail`, a non-zero exit code) and no success since.
 */
export type HeartbeatStatus = 'new' | 'up' | 'started' | 'late' | 'failed';

/** A heartbeat's state at one instant. */
export interface HeartbeatState {
  readonly status: HeartbeatStatus;
  /** No success when one was due (also true while `failed`, if it is late as well). */
  readonly late: boolean;
  readonly failed: boolean;
  /** When it becomes late unless a success comes first (epoch ms); absent while `new`. */
  readonly dueAt?: number;
}

/** The latest slot of a cron at or before `at`, in the heartbeat's time zone (DST applied). */
const slotAtOrBefore = (cron: string, timezone: string, at: number): number =>
  CronExpressionParser.parse(cron, { currentDate: new Date(at + 1), tz: timezone })
    .prev()
    .getTime();

/** The first slot of a cron after `at`. */
const slotAfter = (cron: string, timezone: string, at: number): number =>
  CronExpressionParser.parse(cron, { currentDate: new Date(at), tz: timezone })
    .next()
    .getTime();

/**
 * A heartbeat's state at `now`, from its last pings. Counting starts at the last success, or at the first
 * ping when none succeeded yet. With `every`, it is late once `every + grace` passed since then; with
 * `cron`, once a slot passed after it by more than the grace.
 *
 * @example
 * heartbeatState(hourly, { name: 'hourly', lastPingAt: t, lastKind: 'success', lastSuccessAt: t }, t + 3_000_000).status; // 'up'
 */
export const heartbeatState = (
  heartbeat: Pick<ResolvedHeartbeat, 'expect' | 'graceMs'>,
  record: HeartbeatRecord | undefined,
  now: number,
): HeartbeatState => {
  if (record === undefined) return { status: 'new', late: false, failed: false };
  const anchor = record.lastSuccessAt ?? record.lastPingAt;
  const { expect, graceMs } = heartbeat;
  const late =
    'everyMs' in expect
      ? now > anchor + expect.everyMs + graceMs
      : slotAtOrBefore(expect.cron, expect.timezone, now - graceMs) > anchor;
  const dueAt =
    'everyMs' in expect
      ? anchor + expect.everyMs + graceMs
      : slotAfter(expect.cron, expect.timezone, anchor) + graceMs;
  const failed = record.lastFailAt !== undefined && record.lastFailAt > (record.lastSuccessAt ?? -1);
  const started =
    record.lastStartAt !== undefined &&
    record.lastStartAt > Math.max(record.lastSuccessAt ?? -1, record.lastFailAt ?? -1);
  const status: HeartbeatStatus = failed ? 'failed' : late ? 'late' : started ? 'started' : 'up';
  return { status, late, failed, dueAt };
};
