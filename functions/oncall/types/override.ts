/** A person covering a schedule from `start` to `end`, made at run time (`vigil oncall override`) or in config. */
export interface ScheduleOverride {
  /** Stable id (`vigil oncall override --delete ID`); config overrides are `config-<index>`. */
  readonly id: string;
  /** Schedule id. */
  readonly schedule: string;
  /** Person id. */
  readonly person: string;
  /** Epoch ms, inclusive. */
  readonly start: number;
  /** Epoch ms, exclusive. */
  readonly end: number;
  readonly reason?: string;
  /** When it was made (epoch ms): of two overlapping overrides the later made wins. */
  readonly createdAt: number;
  /** Who made it (`$USER` or the AWS caller's ARN; `config` for config overrides). */
  readonly createdBy: string;
}

/** One entry of the overrides audit trail: who changed what, when, and whether it was refused. */
export interface OverrideAuditRecord {
  /** Epoch ms. */
  readonly at: number;
  /** `$USER` locally, the AWS caller's ARN with `--aws`. */
  readonly actor: string;
  readonly action: 'create' | 'delete';
  readonly outcome: 'done' | 'refused';
  /** The override created or deleted (when known). */
  readonly override?: ScheduleOverride;
  /** What was asked, for refused changes. */
  readonly request?: Readonly<Record<string, string>>;
  /** Why a change was refused. */
  readonly reason?: string;
}
