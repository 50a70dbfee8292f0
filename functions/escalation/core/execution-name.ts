import { createHash } from 'node:crypto';

/** Normalises CloudWatch timestamps (`2026-01-05T09:30:00.123+0000`) to ISO 8601 UTC. */
export const normalizeTimestamp = (text: string): string => {
  const fixed = text.trim().replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(fixed);
  return Number.isNaN(ms) ? text.trim() : new Date(ms).toISOString();
};

/**
 * The state-change time as both ingress paths carry it: whole seconds, UTC. SNS messages give
 * `StateChangeTime` with milliseconds; an EventBridge event without `detail.state.timestamp` has only its
 * `time`, which is that same instant cut to the second. Milliseconds would give one transition two keys.
 *
 * @example
 * transitionSecond('2026-03-02T10:30:00.123+0000'); // '2026-03-02T10:30:00Z'
 */
export const transitionSecond = (stateChangedAt: string): string => {
  const at = normalizeTimestamp(stateChangedAt);
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/.exec(at)?.[0].concat('Z') ?? at;
};

/**
 * The Step Functions execution name of an incident: readable alarm prefix, compact state-change time and a
 * hash of both. It is derived only from what both ingress paths carry (the alarm name and the state-change
 * time to the second, see {@link transitionSecond}), so the same transition arriving through EventBridge and
 * through SNS, or replayed, hits `ExecutionAlreadyExists` instead of paging twice.
 * Names stay within 80 characters of `[A-Za-z0-9_-]`.
 *
 * @example
 * executionName('shop-check-health_live', '2026-01-05T09:30:00.000+0000');
 * // 'shop-check-health_live-20260105T093000Z-3f9a1c2b'
 */
export const executionName = (alarmName: string, stateChangedAt: string): string => {
  const at = transitionSecond(stateChangedAt);
  const hash = createHash('sha256').update(`${alarmName}\n${at}`).digest('hex').slice(0, 10);
  const compact = at.replace(/[-:]/g, '').slice(0, 16);
  const prefix = alarmName.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 50);
  return `${prefix}-${compact}-${hash}`.slice(0, 80);
};
