import { createHash } from 'node:crypto';

/** Normalises CloudWatch timestamps (`2026-01-05T09:30:00.123+0000`) to ISO 8601 UTC. */
export const normalizeTimestamp = (text: string): string => {
  const fixed = text.trim().replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(fixed);
  return Number.isNaN(ms) ? text.trim() : new Date(ms).toISOString();
};

/**
 * The Step Functions execution name of an incident: readable alarm prefix, compact state-change time and a
 * hash of both. The same alarm and state-change time always give the same name, so a duplicate or replayed
 * event (EventBridge and SNS both delivering, a retry) hits `ExecutionAlreadyExists` instead of paging twice.
 * Names stay within 80 characters of `[A-Za-z0-9_-]`.
 *
 * @example
 * executionName('shop-check-health_live', '2026-01-05T09:30:00.000+0000');
 * // 'shop-check-health_live-20260105T093000Z-3f9a1c2b'
 */
export const executionName = (alarmName: string, stateChangedAt: string): string => {
  const at = normalizeTimestamp(stateChangedAt);
  const hash = createHash('sha256').update(`${alarmName}\n${at}`).digest('hex').slice(0, 10);
  const compact = at.replace(/[-:]/g, '').replace(/\.\d+/, '').slice(0, 16);
  const prefix = alarmName.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 50);
  return `${prefix}-${compact}-${hash}`.slice(0, 80);
};
