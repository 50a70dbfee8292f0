import type { AuditRecord } from '../types/incident';

/**
 * The idempotency key of an audit record: the same notification outcome for the same channel, level and
 * round is stored once, so a retried Lambda invocation does not double the trail.
 */
export const auditKey = (record: AuditRecord): string =>
  `audit#${record.kind}#${record.round}#${record.level}#${record.channel}#${record.outcome}`;
