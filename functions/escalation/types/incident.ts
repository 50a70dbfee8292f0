import type { Severity } from '../../commons/severity';
import type { RuntimeChannel } from './runtime-config';

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

/** Where a check with a quorum fails: its locations, the quorum, and those whose alarm is in ALARM. */
export interface IncidentQuorum {
  readonly locations: readonly string[];
  readonly minFailing: number;
  readonly failing: readonly string[];
}

/** One incident: an alarm going into ALARM at a given time, routed to a policy. */
export interface Incident {
  /** The Step Functions execution name, derived from the alarm and the state-change time. */
  readonly id: string;
  readonly alarm: AlarmSnapshot;
  readonly severity: Severity;
  readonly team: string;
  readonly policy: string;
  readonly rule?: string;
  readonly summary: string;
  readonly runbookUrl?: string;
  readonly tags: Readonly<Record<string, string>>;
  /** Epoch ms when the engine opened the incident. */
  readonly startedAt: number;
  readonly enrichment?: Enrichment;
  /** The check has a quorum: the locations failing when the incident opened (also named in `summary`). */
  readonly quorum?: IncidentQuorum;
  /** Its alarm changed state more than its flapping threshold allows (also said in `summary`). */
  readonly flapping?: { readonly transitions: number; readonly windowMs: number };
}

/**
 * What the engine decided at a check. `due`: notify `status.notify` (the level `level`); `wait`: wait (or be
 * woken) until `waitUntil`; `acked`: send `acknowledge` to `status.followUps`, then keep watching; `resolved`:
 * send `resolve` to `status.followUps` and end; `joined`: the alarm already has an open incident, this
 * execution recorded the flap there and ends; `retry`: send the deliveries whose next round is due;
 * `closed`: every resolve is delivered; `undeliverable`: a resolve could not be delivered within its window
 * (audited, alarmed, the execution fails); `silenced` / `expired`: end; `below-quorum`: fewer of the check's
 * locations fail than its quorum asks, nobody is paged (audited), end.
 */
export type EscalationOutcome =
  | 'due'
  | 'wait'
  | 'resolved'
  | 'acked'
  | 'silenced'
  | 'repeat'
  | 'expired'
  | 'joined'
  | 'retry'
  | 'closed'
  | 'undeliverable'
  | 'below-quorum';

/** One notification to send: a channel, what kind, for which level (0 for follow-ups). */
export interface NotificationSend {
  readonly channel: string;
  readonly kind: NotificationKind;
  /** 0-based level (0 for follow-ups). */
  readonly level: number;
  /** 1-based count of a reminder to a paged person (absent: the page itself). */
  readonly reminder?: number;
}

/** A notification whose round of attempts failed and that is retried at `retryAt`, within its window. */
export interface PendingDelivery extends NotificationSend {
  /** Epoch ms of its first attempt: the retry window counts from here. */
  readonly since: number;
  /** Rounds of attempts made. */
  readonly rounds: number;
  /** Epoch ms of the next round. */
  readonly retryAt: number;
  /** A critical trigger's fallback chain was engaged after the first failed round. */
  readonly fallbackEngaged?: boolean;
}

/** A person's notification due later: a step of their rule, or a reminder. */
export interface ScheduledPage {
  /** The person channel (`@<person>/<method>`). */
  readonly channel: string;
  /** 0-based level that paged the person. */
  readonly level: number;
  /** Epoch ms it is due. */
  readonly at: number;
  /** Scheduled again this long after it is sent (the level's `repeatEvery`), until an ack. */
  readonly repeatEveryMs?: number;
  /** 1-based count when it is a reminder. */
  readonly reminder?: number;
}

/** What one notification task reports back (the execution keeps it until the next check). */
export interface DeliveryResult {
  readonly channel: string;
  readonly kind: NotificationKind;
  readonly level: number;
  /**
   * `delivered`: the channel has it (now or before: a follow-up is sent once); `fallback`: the channel was
   * given up on and a fallback has it; `failed`: given up on, nobody has it; `retry`: another round at
   * `retryAt`; `error`: the task itself failed (the next check schedules a retry).
   */
  readonly outcome: 'delivered' | 'fallback' | 'failed' | 'retry' | 'error';
  /** The channel that finally received it. */
  readonly deliveredTo?: string;
  /** outcome `retry`: the next round, and the window's progress. */
  readonly retryAt?: number;
  readonly since?: number;
  readonly rounds?: number;
  readonly fallbackEngaged?: boolean;
}

/** The execution state itself (`$`): what every state transition carries. */
export interface EscalationState {
  readonly incident: Incident;
  /** Round of the policy (0 first, then repeats). */
  readonly round: number;
  /**
   * 0-based level the last check looked at: the level due (outcome `due`) or waited for; the number of
   * levels once all are notified. Absent in states from before the level moved into the state (level 0).
   */
  readonly level?: number;
  /** Who acknowledged, once the `acknowledge` follow-ups went out: escalation stops, watching goes on. */
  readonly ackedBy?: string;
  /** Why escalation stopped without an ack (a silence opened after pages went out): watching goes on. */
  readonly quiet?: string;
  /**
   * Flap damping holds the resolve: the alarm was seen OK and this state change was recorded at this instant
   * (epoch ms); the incident resolves after the quiet period unless the alarm changes state again.
   */
  readonly flapOkAt?: number;
  /** The alarm recovered and the resolves are decided: only their retries remain. */
  readonly closing?: boolean;
  /** Deliveries waiting for their next round. */
  readonly pending?: readonly PendingDelivery[];
  /** Later steps of paged people's notification rules (and reminders), until an ack or the resolve. */
  readonly scheduled?: readonly ScheduledPage[];
  /** Channels whose resolve could not be delivered within its window (the execution ends failed). */
  readonly undeliverable?: readonly string[];
  /** Results of the last `Send all` (a Map) or `Send one` task, read and dropped by the next check. */
  readonly sent?: readonly DeliveryResult[];
  readonly sentOne?: DeliveryResult;
  readonly status: {
    readonly outcome: EscalationOutcome;
    /** ISO time the next Wait state waits until. */
    readonly waitUntil: string;
    /** Whole seconds from the check to `waitUntil` (at least 1): the signal wait's timeout. */
    readonly waitSeconds?: number;
    /** Epoch ms of the check. */
    readonly checkedAt: number;
    readonly detail: string;
    /** Channels to send `resolve` / `acknowledge` to (outcome `resolved` / `acked`). */
    readonly followUps: readonly string[];
    /** Notifications to send now (outcomes `due`, `acked`, `resolved`, `retry`). */
    readonly sends?: readonly NotificationSend[];
    readonly ackedBy?: string;
  };
}

/** What kind of message a notification is. */
export type NotificationKind = 'trigger' | 'acknowledge' | 'resolve';

/**
 * What an audit record is about: a notification, the alarm flapping back into ALARM while open (`flap`),
 * the alarm's state that could not be read at a check (`alarm-state`), or a check's quorum not met (`quorum`).
 */
export type AuditKind = NotificationKind | 'flap' | 'alarm-state' | 'quorum';

/** One delivery attempt's record, stored per incident. */
export interface AuditRecord {
  readonly incidentId: string;
  readonly at: number;
  /** The channel (the alarm's name for a flap or an `alarm-state` record). */
  readonly channel: string;
  /** Absent for a flap and an `alarm-state` record. */
  readonly channelType?: RuntimeChannel['type'];
  readonly kind: AuditKind;
  readonly level: number;
  readonly round: number;
  /**
   * `retrying`: a round of attempts failed and another is scheduled within the action's retry window;
   * `failed`: the channel is given up on (a trigger's fallback is tried; a follow-up is undeliverable and
   * alarmed); `joined`: a flap joined the open incident; `unreadable`: the alarm's state could not be read at
   * a check (unknown, not deleted); `below-quorum`: fewer locations failed than the check's quorum, nobody paged.
   */
  readonly outcome:
    | 'delivered'
    | 'failed'
    | 'fallback'
    | 'suppressed'
    | 'retrying'
    | 'joined'
    | 'unreadable'
    | 'below-quorum';
  readonly attempts: number;
  readonly detail: string;
  /** The channel this delivery was a fallback for. */
  readonly fallbackFor?: string;
  /** 1-based round of attempts within the action's retry window (absent: the first and only round). */
  readonly retry?: number;
  /** 1-based count of a reminder to a paged person. */
  readonly reminder?: number;
}

/**
 * The one open incident of an alarm: held from the incident's open until it resolves, expires or is
 * silenced (a conditional write, so two executions for one alarm cannot both hold it), renewed by every
 * check until `until`, and carrying the task token of the execution's current signal wait.
 */
export interface AlarmClaim {
  readonly alarmKey: string;
  readonly incidentId: string;
  /** Epoch ms after which the holder counts as dead and a new incident may take the alarm over. */
  readonly until: number;
  /** Step Functions task token of the holder's current signal wait, if it waits. */
  readonly token?: string;
}

/** An acknowledgement. */
export interface AckRecord {
  readonly incidentId: string;
  readonly by: string;
  readonly at: number;
  readonly via: 'link' | 'pagerduty' | 'slack' | 'sms' | 'local';
  /** The Vigil channel whose ack link or PagerDuty webhook carried it (absent in records from before). */
  readonly channel?: string;
}

/** One page sent to a person: the paging path records it; a two-way SMS `ACK` finds the page it acknowledges. */
export interface PersonPage {
  /** The person's id under `people`. */
  readonly personId: string;
  readonly incidentId: string;
  /** Epoch ms of the page. */
  readonly at: number;
  /** How the person was paged (`sms`, `voice`, `email`, `slack`). */
  readonly method: string;
}
