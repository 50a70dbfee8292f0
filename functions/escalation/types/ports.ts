import type { Clock } from '../../commons/clock';
import type { ScheduleOverride } from '../../oncall/types/override';
import type {
  AckRecord,
  AlarmClaim,
  AlarmSnapshot,
  AlarmStateValue,
  AuditRecord,
  Enrichment,
  Incident,
  PersonPage,
} from './incident';

/** The part of the one {@link Clock} escalation uses: wall time plus sleep; virtual in `vigil simulate`. */
export type EscalationClock = Pick<Clock, 'now' | 'sleep'>;

/** Reads an alarm's current state and tags (CloudWatch `DescribeAlarms` / `ListTagsForResource`). */
export interface AlarmStatePort {
  /**
   * The alarm's current state, asked in the alarm's own region (check alarms live in every check location);
   * `undefined` only when the alarm positively does not exist (deleted).
   *
   * @throws {EscalationAlarmStateUnreadableError} when the state cannot be read (access denied, the alarm is
   * in another account, throttling): unknown, not deleted
   */
  getState(
    alarm: Pick<AlarmSnapshot, 'alarmName' | 'region' | 'accountId' | 'alarmArn'>,
  ): Promise<AlarmStateValue | undefined>;
  getTags(alarm: Pick<AlarmSnapshot, 'alarmName' | 'alarmArn' | 'region'>): Promise<Record<string, string>>;
}

/** Incidents, acknowledgements and audit records (DynamoDB in AWS, memory locally). */
export interface IncidentStore {
  /** Creates the incident; returns false when it already exists (idempotent). */
  createIncident(incident: Incident): Promise<boolean>;
  getIncident(incidentId: string): Promise<Incident | undefined>;
  /** Records the first ack; returns the ack that stands (an earlier one wins). */
  recordAck(ack: AckRecord): Promise<{ ack: AckRecord; created: boolean }>;
  getAck(incidentId: string): Promise<AckRecord | undefined>;
  /** Appends an audit record; writing the same record twice stores it once. */
  appendAudit(record: AuditRecord): Promise<void>;
  listAudit(incidentId: string): Promise<AuditRecord[]>;
  /**
   * Makes `incidentId` the alarm's one open incident, with a conditional write: succeeds when the alarm has
   * no open incident, when the claim is already this incident's, or when the holder's claim ran out
   * (`until` < `now`: its execution died). Returns the claim that stands.
   */
  claimAlarm(
    claim: Omit<AlarmClaim, 'token'>,
    now: number,
  ): Promise<{ claimed: boolean; holder: AlarmClaim }>;
  /**
   * Extends the holder's claim to `until` and sets (or, when `token` is undefined, clears) the task token of
   * its signal wait; false when the alarm is no longer this incident's.
   */
  renewAlarm(claim: AlarmClaim): Promise<boolean>;
  /** Gives up the alarm if `incidentId` holds it (the incident resolved, expired or was silenced). */
  releaseAlarm(alarmKey: string, incidentId: string): Promise<void>;
  /** The alarm's open incident, if any. */
  getAlarmClaim(alarmKey: string): Promise<AlarmClaim | undefined>;
  /**
   * The alarm's recorded state changes (epoch ms) from `since` on, ascending, after adding `add` (recording
   * the same instant twice keeps one) and forgetting those before `since`: flap damping counts them.
   */
  alarmTransitions(
    alarmKey: string,
    update: { readonly since: number; readonly add?: number },
  ): Promise<number[]>;
}

/** Wakes an execution waiting on a task token (Step Functions `SendTaskSuccess`); false when it no longer waits. */
export type ExecutionSignaller = (token: string) => Promise<boolean>;

/** An HTTP request the delivery layer makes. */
export interface HttpRequest {
  readonly url: string;
  readonly method: 'POST' | 'GET';
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly timeoutMs: number;
}

/** The response, reduced to what delivery decisions need. */
export interface HttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** The request was printed locally, not sent: there is no HTTP status to report. @default false */
  readonly printed?: boolean;
}

/** Sends HTTP requests (fetch in Lambda and locally). */
export type HttpPort = (request: HttpRequest) => Promise<HttpResponse>;

/** Publishes to SNS topics (email, SMS). */
export interface TopicPublisher {
  /** Prints messages locally instead of publishing them. @default false */
  readonly prints?: boolean;
  publish(topicArn: string, subject: string, message: string): Promise<void>;
}

/** Resolves a channel's secret (webhook URL, routing key) by channel name. */
export type ChannelSecretResolver = (channelName: string) => Promise<string>;

/** Gathers enrichment for an incident within a budget. */
export type Enricher = (incident: Incident, budgetMs: number) => Promise<Enrichment>;

/** Signs ack links. */
export type AckSecretResolver = () => Promise<string>;

/** Counts things worth alarming on (notification failures). */
export interface EscalationMetrics {
  /** A trigger's channel failed a round (its fallback is tried), or a follow-up was given up on. */
  notificationFailed(channel: string): void;
}

/** A uniform random number in [0, 1) (backoff jitter); fixed in tests. */
export type RandomSource = () => number;

/** Pages sent to people, by person (DynamoDB in AWS, memory locally). */
export interface PageLog {
  /** Records a page; recording the same page twice stores it once. */
  recordPage(page: PersonPage): Promise<void>;
  /** The person's latest pages, newest first, at most `limit`. */
  recentPages(personId: string, limit: number): Promise<PersonPage[]>;
}

/** Run-time overrides of one on-call schedule (the on-call table when deployed, the local file locally). */
export type OverrideReader = (schedule: string) => Promise<readonly ScheduleOverride[]>;

/** Who a direct page goes to: the person, their name, and the number, address or Slack member id. */
export interface PageRecipient {
  readonly person: string;
  readonly name: string;
  readonly to: string;
}

/**
 * Pages a person directly: SMS and voice through AWS End User Messaging SMS and Voice v2, email through SES
 * v2 (origination identities and sender from config, in the adapter). Each resolves to the provider's
 * message id; a failure throws (an `EscalationDeliveryError` says whether to retry).
 */
export interface DirectPager {
  /** Pages are printed locally, not sent (audited `printed`). @default false */
  readonly prints?: boolean;
  sendText(recipient: PageRecipient, text: string): Promise<string>;
  callVoice(recipient: PageRecipient, ssml: string): Promise<string>;
  sendEmail(recipient: PageRecipient, subject: string, text: string): Promise<string>;
}

/**
 * A signed webhook delivery as a Function URL hands it over (Slack interactions, PagerDuty webhooks): the
 * method, the headers (names matched case-insensitively) and the raw, unaltered body, whose exact bytes the
 * sender's signature covers.
 */
export interface SignedWebhookRequest {
  readonly method: string;
  /** Request headers; names are matched case-insensitively. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The raw, unaltered body (signatures cover its exact bytes). */
  readonly body: string | Uint8Array;
}
