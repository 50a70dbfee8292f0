import type { AuditRecord } from '../types/incident';

/**
 * The idempotency key of an audit record: the same notification outcome for the same channel, level, round
 * (and retry round, when there are several within a retry window) is stored once, so a retried Lambda
 * invocation does not double the trail. A flap is keyed by the joining incident.
 */
export const auditKey = (record: AuditRecord): string =>
  `audit#${record.kind}#${record.round}#${record.level}#${record.channel}#${record.outcome}${record.retry !== undefined ? `#${record.retry}` : ''}${record.reminder !== undefined ? `#reminder-${record.reminder}` : ''}`;
