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

/** What happened to one shift notice: written when it is claimed, then again with each delivery's outcome. */
export interface ShiftNoticeRecord {
  /** `<schedule>#<person>#<ISO start>` (the handoff): one record, so one notice, per key. */
  readonly key: string;
  readonly schedule: string;
  readonly person: string;
  /** Epoch ms of the handoff and of the end of the stint announced. */
  readonly start: number;
  readonly end: number;
  /** Epoch ms the notice was claimed. */
  readonly at: number;
  /** Per contact method: sent (with the provider's message id) or failed (why); empty while sending. */
  readonly deliveries: readonly {
    readonly method: string;
    readonly outcome: 'sent' | 'failed';
    readonly detail: string;
  }[];
}

/**
 * Shift notices sent, by handoff (the on-call table when deployed, memory locally). `claim` is atomic (a
 * conditional write): of two runs racing for a handoff, one sends.
 */
export interface ShiftNoticeLog {
  /** Records the notice unless its key exists; resolves to whether this caller claimed it. */
  claim(record: ShiftNoticeRecord): Promise<boolean>;
  /** Overwrites a claimed record with its delivery outcomes. */
  complete(record: ShiftNoticeRecord): Promise<void>;
}
