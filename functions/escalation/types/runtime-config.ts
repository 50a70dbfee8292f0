import type { OnCallScheduleConfig } from '../../commons/config/oncall-schema';
import type { SecretRef } from '../../commons/config/types';
import type { Severity } from '../../commons/severity';
import type { WeeklyWindow } from '../../commons/weekly-windows';

/** Kinds of channel the engine delivers to. */
export type ChannelType = 'slack' | 'pagerduty' | 'email' | 'sms' | 'teams' | 'webhook' | PersonChannelType;

/** How a person is paged directly: one channel per person and contact method, named `@<person>/<method>`. */
export type PersonChannelType = 'person-sms' | 'person-voice' | 'person-email' | 'person-slack';

/**
 * A channel as the Lambdas see it: plain JSON, validated at synth time. Secrets are references only;
 * email/SMS channels carry the ARN of the SNS topic the construct created for them.
 */
export interface RuntimeChannel {
  readonly name: string;
  readonly type: ChannelType;
  /** Webhook URL / routing key reference (slack, teams, webhook, pagerduty). */
  readonly secret?: SecretRef;
  /** SNS topic (email, sms). */
  readonly topicArn?: string;
  /** PagerDuty Events API v2 endpoint. */
  readonly eventsUrl?: string;
  /** Extra headers for generic webhooks. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly fallback?: string;
  readonly attempts: number;
  readonly timeoutMs: number;
  /** Person channels: the person's id, and where they are reached (E.164 number, address, Slack member id). */
  readonly person?: string;
  readonly to?: string;
}

/** One level: channels notified `afterMs` after the (possibly deferred) start. */
export interface RuntimeLevel {
  readonly afterMs: number;
  readonly channels: readonly string[];
  /** People paged through their rules. @default [] */
  readonly people?: readonly string[];
  /** Schedules whose on-call person, when the level is due, is paged. @default [] */
  readonly schedules?: readonly string[];
  /** On-call teams whose members are paged. @default [] */
  readonly teams?: readonly string[];
  /** Reminders to the level's people until acknowledged. @default none */
  readonly repeatEveryMs?: number;
}

/** One step of a person's notification rule, as a person channel and a delay from the page. */
export interface RuntimeRuleStep {
  readonly channel: string;
  readonly afterMs: number;
}

/** A person as paging sees them: their name and, per severity, the steps of their notification rule. */
export interface RuntimePerson {
  readonly name: string;
  readonly rules: Readonly<Record<Severity, readonly RuntimeRuleStep[]>>;
}

/** How people are reached: origination identities, sender address (the bot token is a channel secret). */
export interface RuntimePaging {
  readonly sms?: { readonly originationIdentity: string };
  readonly voice?: { readonly originationIdentity: string; readonly voiceId: string };
  readonly email?: { readonly from: string };
  /** Slack Web API base URL (`https://slack.com/api`). */
  readonly slack?: { readonly apiUrl: string };
}

/** A policy as executed. `key` is `critical` or `team.<team>.<severity>`. */
export interface RuntimePolicy {
  readonly key: string;
  readonly levels: readonly RuntimeLevel[];
  readonly repeat: number;
  readonly repeatIntervalMs: number;
  readonly businessHoursOnly: boolean;
}

/** Business hours: per weekday (0 = Sunday) a list of `[startMinute, endMinute)` ranges in `timezone`. */
export interface RuntimeBusinessHours {
  readonly timezone: string;
  readonly weekly: Readonly<Record<string, readonly (readonly [number, number])[]>>;
  readonly holidays: readonly string[];
}

/** A silence / maintenance window. */
export interface RuntimeSilence {
  readonly name: string;
  readonly reason?: string;
  readonly match: {
    readonly alarm?: string;
    readonly team?: string;
    readonly severity?: Severity;
    readonly tags?: Readonly<Record<string, string>>;
  };
  /** One-off window in epoch ms. */
  readonly startMs?: number;
  readonly endMs?: number;
  /** Weekly windows of a check's or heartbeat's `maintenance` (cross midnight and daylight saving kept). */
  readonly weekly?: {
    readonly timezone: string;
    readonly windows: readonly WeeklyWindow[];
  };
  /** Weekly window. */
  readonly recurring?: {
    readonly timezone: string;
    /** 0 = Sunday. */
    readonly days: readonly number[];
    readonly startMinute: number;
    readonly endMinute: number;
  };
}

/**
 * The quorum of a check run from several locations: its alarm, of one name, lives in each location, and an
 * incident opens (and stays open) only while at least `minFailing` of them are in ALARM.
 */
export interface RuntimeQuorum {
  /** The check's locations (AWS regions). */
  readonly locations: readonly string[];
  /** Locations whose alarm must be in ALARM at once. */
  readonly minFailing: number;
}

/** Flap damping of a check's alarm (its `flapping` setting, in ms). */
export interface RuntimeFlapping {
  /** State changes within `windowMs` above which the incident is marked flapping. */
  readonly transitions: number;
  readonly windowMs: number;
  /** The incident resolves only once its alarm has not changed state for this long. */
  readonly quietMs: number;
}

/** A named alert rule (the seeds' `ServiceDown` ...). */
export interface RuntimeAlertRule {
  readonly name: string;
  readonly severity: Severity;
  readonly team: string;
  readonly summary: string;
  readonly description?: string;
  readonly runbookUrl?: string;
  readonly alarms: readonly string[];
  readonly service?: string;
}

/** How long each action's notification keeps being retried, from its first attempt (ms). */
export interface RuntimeRetryWindows {
  readonly trigger: number;
  readonly acknowledge: number;
  readonly resolve: number;
}

/**
 * Everything the escalation Lambdas need, validated at synth time. The check-status and notify Lambdas load
 * it at init: the config-derived part ({@link BundledRuntimeConfig}) from `escalation-config.json` in their
 * bundle, the deploy-time values ({@link RuntimeConfigContext}) from an environment variable. It is not
 * carried in the execution state, so state transitions copy only the incident, and a config change (a new
 * silence, a fixed webhook) reaches running escalations at their next step.
 */
export interface EscalationRuntimeConfig {
  readonly app: string;
  readonly channels: Readonly<Record<string, RuntimeChannel>>;
  readonly policies: Readonly<Record<string, RuntimePolicy>>;
  readonly businessHours?: RuntimeBusinessHours;
  readonly silences: readonly RuntimeSilence[];
  readonly rules: readonly RuntimeAlertRule[];
  /** Quorums of checks that have one, by the check's alarm name. @default {} */
  readonly quorums?: Readonly<Record<string, RuntimeQuorum>>;
  /** Flap damping of checks that have it, by the check's alarm name. @default {} */
  readonly flapping?: Readonly<Record<string, RuntimeFlapping>>;
  /**
   * Every runbook URL the config names (checks, KPIs, SLOs, rules, defaults). A runbook link in an alarm's
   * description is offered only when it is one of these: the Runbook button always points where the config
   * says. @default none (only an alert rule's own `runbookUrl` is offered)
   */
  readonly runbooks?: readonly string[];
  readonly pollIntervalMs: number;
  readonly watchForMs: number;
  readonly ackLinkTtlMs: number;
  readonly enrichmentBudgetMs: number;
  /** People who may be paged directly, by id. @default {} */
  readonly people?: Readonly<Record<string, RuntimePerson>>;
  /** On-call schedules as validated, by id (resolved with run-time overrides when a level is due). @default {} */
  readonly schedules?: Readonly<Record<string, OnCallScheduleConfig>>;
  /** On-call teams' members, by team id. @default {} */
  readonly oncallTeams?: Readonly<Record<string, readonly string[]>>;
  /** Direct paging's sender settings. @default {} */
  readonly paging?: RuntimePaging;
  /** Retry window per action. Absent in bundles from before: {@link DEFAULT_RETRY_WINDOWS}. */
  readonly retryWindowsMs?: RuntimeRetryWindows;
  /** Base URL of the acknowledge Function URL (`https://...lambda-url...on.aws/`). */
  readonly ackUrl: string;
  /** CloudWatch console region for links. */
  readonly region: string;
  /** Dashboard linked from notifications, if any. */
  readonly dashboardUrl?: string;
}

/**
 * Values only the deployment knows (the ack Function URL, the channel topics' ARNs, the region): passed to
 * the Lambdas in an environment variable, filled by the construct or the local runner.
 */
export interface RuntimeConfigContext {
  /** Base URL of the acknowledge endpoint. */
  readonly ackUrl: string;
  /** SNS topic ARN per email/SMS channel name. */
  readonly topicArns?: Readonly<Record<string, string>>;
  /** Region used in console links. @default 'us-east-1' */
  readonly region?: string;
  /** Dashboard URL linked from notifications. */
  readonly dashboardUrl?: string;
}

/** The config-derived part of the runtime config, bundled with the Lambdas (no deploy-time values). */
export type BundledRuntimeConfig = Omit<EscalationRuntimeConfig, 'ackUrl' | 'region' | 'dashboardUrl'>;
