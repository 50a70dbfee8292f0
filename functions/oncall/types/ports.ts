import type { OverrideAuditRecord, ScheduleOverride } from './override';

/**
 * Where run-time overrides and their audit trail live: DynamoDB when deployed, a file under `.vigil/` in
 * local mode. Writes are atomic per record; nothing is changed when a write is refused.
 */
export interface OverrideStore {
  /** Every stored override (of one schedule when given), oldest made first. */
  listOverrides(schedule?: string): Promise<ScheduleOverride[]>;
  /** Stores a new override; rejects when its id exists. */
  putOverride(override: ScheduleOverride): Promise<void>;
  /** Deletes an override; resolves to what was deleted, or undefined when there was none. */
  deleteOverride(id: string): Promise<ScheduleOverride | undefined>;
  appendAudit(record: OverrideAuditRecord): Promise<void>;
  /** The audit trail, oldest first. */
  listAudit(): Promise<OverrideAuditRecord[]>;
}
