import type { SecretRef } from '../../commons/config/types';

/** `critical` | `warning` | `info`. */
export type AlertSeverity = 'critical' | 'warning' | 'info';

/** Kinds of channel the engine delivers to. */
export type ChannelType = 'slack' | 'pagerduty' | 'email' | 'sms' | 'teams' | 'webhook';

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
}

/** One level: channels notified `afterMs` after the (possibly deferred) start. */
export interface RuntimeLevel {
  readonly afterMs: number;
  readonly channels: readonly string[];
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
    readonly severity?: AlertSeverity;
    readonly tags?: Readonly<Record<string, string>>;
  };
  /** One-off window in epoch ms. */
  readonly startMs?: number;
  readonly endMs?: number;
  /** Weekly window. */
  readonly recurring?: {
    readonly timezone: string;
    /** 0 = Sunday. */
    readonly days: readonly number[];
    readonly startMinute: number;
    readonly endMinute: number;
  };
}

/** A named alert rule (the seeds' `ServiceDown` ...). */
export interface RuntimeAlertRule {
  readonly name: string;
  readonly severity: AlertSeverity;
  readonly team: string;
  readonly summary: string;
  readonly description?: string;
  readonly runbookUrl?: string;
  readonly alarms: readonly string[];
  readonly service?: string;
}

/**
 * Everything the escalation Lambdas need, rendered into the state machine definition (a Pass state) at
 * synth time so every Task receives it and no Lambda needs zod or a config file.
 */
export interface EscalationRuntimeConfig {
  readonly app: string;
  readonly channels: Readonly<Record<string, RuntimeChannel>>;
  readonly policies: Readonly<Record<string, RuntimePolicy>>;
  readonly businessHours?: RuntimeBusinessHours;
  readonly silences: readonly RuntimeSilence[];
  readonly rules: readonly RuntimeAlertRule[];
  readonly pollIntervalMs: number;
  readonly watchForMs: number;
  readonly ackLinkTtlMs: number;
  readonly enrichmentBudgetMs: number;
  /** Base URL of the acknowledge Function URL (`https://...lambda-url...on.aws/`). */
  readonly ackUrl: string;
  /** CloudWatch console region for links. */
  readonly region: string;
  /** Dashboard linked from notifications, if any. */
  readonly dashboardUrl?: string;
}

/**
 * The part of the runtime config carried in the execution state (the `Load config` Pass state), which every
 * state transition copies: everything but the alert rules. The rules only matter for routing, so they are
 * rendered into the `Open incident` task's parameters alone.
 */
export type CarriedRuntimeConfig = Omit<EscalationRuntimeConfig, 'rules'>;
