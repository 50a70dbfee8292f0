import type { AlertSeverity, RuntimeChannel } from './runtime-config';

/** CloudWatch alarm states. */
export type AlarmStateValue = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

/** An alarm state change, normalised from an EventBridge event or an SNS alarm notification. */
export interface AlarmSnapshot {
  readonly alarmName: string;
  readonly alarmArn?: string;
  readonly state: AlarmStateValue;
  readonly previousState?: AlarmStateValue;
  readonly reason: string;
  /** ISO time of the state change: with the alarm, it identifies the incident. */
  readonly stateChangedAt: string;
  readonly description?: string;
  readonly region: string;
  readonly accountId?: string;
  /** Metric namespace/name/dimensions when the alarm watches a single metric (for graphs). */
  readonly metric?: {
    readonly namespace: string;
    readonly name: string;
    readonly dimensions: Readonly<Record<string, string>>;
    readonly stat?: string;
    readonly periodSeconds?: number;
  };
  readonly threshold?: number;
  readonly source: 'eventbridge' | 'sns' | 'local';
}

/** Extra context gathered for the first notification, within a time budget. */
export interface Enrichment {
  readonly traces?: readonly { readonly id: string; readonly url: string; readonly durationMs?: number }[];
  readonly graphUrl?: string;
  /** What could not be gathered, and why (e.g. `traces: timed out`). */
  readonly skipped?: readonly string[];
}

/** One incident: an alarm going into ALARM at a given time, routed to a policy. */
export interface Incident {
  /** The Step Functions execution name, derived from the alarm and the state-change time. */
  readonly id: string;
  readonly alarm: AlarmSnapshot;
  readonly severity: AlertSeverity;
  readonly team: string;
  readonly policy: string;
  readonly rule?: string;
  readonly summary: string;
  readonly runbookUrl?: string;
  readonly tags: Readonly<Record<string, string>>;
  /** Epoch ms when the engine opened the incident. */
  readonly startedAt: number;
  readonly enrichment?: Enrichment;
}

/** What the engine decided at a check. */
export type EscalationOutcome = 'due' | 'wait' | 'resolved' | 'acked' | 'silenced' | 'repeat' | 'expired';

/** The execution state itself (`$`): what every state transition carries. */
export interface EscalationState {
  readonly incident: Incident;
  /** Round of the policy (0 first, then repeats). */
  readonly round: number;
  readonly status: {
    readonly outcome: EscalationOutcome;
    /** ISO time the next Wait state waits until. */
    readonly waitUntil: string;
    /** Epoch ms of the check. */
    readonly checkedAt: number;
    readonly detail: string;
    /** Channels to send `resolve` / `acknowledge` to (outcome `resolved` / `acked`). */
    readonly followUps: readonly string[];
    readonly ackedBy?: string;
  };
}

/** What kind of message a notification is. */
export type NotificationKind = 'trigger' | 'acknowledge' | 'resolve';

/** One delivery attempt's record, stored per incident. */
export interface AuditRecord {
  readonly incidentId: string;
  readonly at: number;
  readonly channel: string;
  readonly channelType: RuntimeChannel['type'];
  readonly kind: NotificationKind;
  readonly level: number;
  readonly round: number;
  readonly outcome: 'delivered' | 'failed' | 'fallback' | 'suppressed';
  readonly attempts: number;
  readonly detail: string;
  /** The channel this delivery was a fallback for. */
  readonly fallbackFor?: string;
}

/** An acknowledgement. */
export interface AckRecord {
  readonly incidentId: string;
  readonly by: string;
  readonly at: number;
  readonly via: 'link' | 'pagerduty' | 'local';
  /** The Vigil channel whose ack link or PagerDuty webhook carried it (absent in records from before). */
  readonly channel?: string;
}
