import { z } from 'zod';
import { ownValue } from '../own-value';
import { nameSchema, secretRefSchema, severitySchema } from './check-schema';
import { durationSchema, positiveDurationSchema } from './duration';
import { timeRangeSchema, timezoneSchema, weekdaySchema } from './time-schema';

export { timeRangeSchema, timezoneSchema, weekdaySchema } from './time-schema';

/** A phone number in E.164 form (`'+447700900123'`). */
export const e164PhoneSchema = z
  .string()
  .regex(/^\+[1-9]\d{6,14}$/, "an E.164 phone number, e.g. '+447700900123'");

/** Settings shared by every channel. */
const channelBase = {
  /** Another channel to deliver to when this one still fails after its retries. */
  fallback: nameSchema.optional(),
  /** Delivery attempts per notification (first try included). @default 3 */
  attempts: z.number().int().min(1).max(6).default(3),
  /** Per-request timeout. @default '5s' */
  timeout: positiveDurationSchema.default(5_000),
};

/**
 * A notification channel. Webhook URLs and routing keys are Secrets Manager / SSM references, resolved at run
 * time; email and SMS channels get an SNS topic each, subscribed from config.
 */
export const channelSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('slack'), webhook: secretRefSchema, ...channelBase }),
  z.strictObject({
    type: z.literal('pagerduty'),
    routingKey: secretRefSchema,
    /** Events API v2 endpoint. @default 'https://events.pagerduty.com/v2/enqueue' */
    eventsUrl: z.url().default('https://events.pagerduty.com/v2/enqueue'),
    /**
     * Signing secret of a PagerDuty V3 webhook subscription (`incident.acknowledged`) pointed at the engine's
     * `pagerDutyWebhookUrl`: acks made in PagerDuty then stop Vigil's escalation too. @default no webhook
     */
    webhookSecret: secretRefSchema.optional(),
    ...channelBase,
  }),
  z.strictObject({ type: z.literal('email'), addresses: z.array(z.email()).min(1), ...channelBase }),
  z.strictObject({
    type: z.literal('sms'),
    phoneNumbers: z.array(e164PhoneSchema).min(1),
    ...channelBase,
  }),
  z.strictObject({ type: z.literal('teams'), webhook: secretRefSchema, ...channelBase }),
  z.strictObject({
    type: z.literal('webhook'),
    url: secretRefSchema,
    headers: z.record(z.string(), z.string()).default({}),
    ...channelBase,
  }),
]);

/**
 * One escalation level: who is notified, how long after the incident started. A level names at least one
 * target: channels, people (ids under `people`), schedules (the person on call when the level is due) or
 * on-call teams (every member). A person is paged through their own notification rules for the incident's
 * severity (see `docs/oncall.md`).
 *
 * @example
 * { after: '0s', schedules: ['payments-primary'], repeatEvery: '10m' }
 */
export const escalationLevelSchema = z.strictObject({
  /** Delay from the start of the incident (`'0s'`, `'5m'`). */
  after: durationSchema,
  /** Channels notified at once, in parallel. @default [] */
  channels: z.array(nameSchema).default([]),
  /** People paged through their notification rules. @default [] */
  people: z.array(nameSchema).default([]),
  /** Schedules whose on-call person (at the moment the level is due) is paged. @default [] */
  schedules: z.array(nameSchema).default([]),
  /** On-call teams (`oncallTeams`) whose every member is paged. @default [] */
  teams: z.array(nameSchema).default([]),
  /**
   * Page the level's people again, through their rules from the first step, this long after each page
   * until someone acknowledges (PagerDuty's repeated notifications). At least `1m`. @default no reminders
   */
  repeatEvery: positiveDurationSchema.optional(),
});

/** Ordered levels plus how the whole policy repeats and whether it waits for business hours. */
export const escalationPolicySchema = z.strictObject({
  levels: z.array(escalationLevelSchema).min(1),
  /** Run the whole policy again this many times while nobody acknowledges. @default 0 */
  repeat: z.number().int().min(0).max(10).default(0),
  /** Time between repeats, measured from the start of the previous round. @default '30m' */
  repeatInterval: durationSchema.default(1_800_000),
  /** Outside `businessHours` the policy waits until they start (the seeds' Sev2 "Business Hours"). @default false */
  businessHoursOnly: z.boolean().default(false),
});

/** Escalation policies per severity, optionally overridden per team, and the engine's timing. */
export const escalationSchema = z.strictObject({
  critical: escalationPolicySchema,
  warning: escalationPolicySchema,
  info: escalationPolicySchema,
  /** Per-team overrides: `{ payments: { critical: {...} } }`. @default {} */
  teams: z.record(nameSchema, z.partialRecord(severitySchema, escalationPolicySchema)).default({}),
  /** How often the engine re-checks alarm state, acks and silences between levels. @default '1m' */
  pollInterval: durationSchema.default(60_000),
  /** How long after the last level the engine keeps watching for resolution. @default '24h' */
  watchFor: durationSchema.default(86_400_000),
  /** How long an acknowledge link stays valid. @default '24h' */
  ackLinkTtl: positiveDurationSchema.default(86_400_000),
  /** Per-channel time budget for enriching the first notification (traces, graph). @default '2s' */
  enrichmentBudget: durationSchema.default(2_000),
  /**
   * How long a notification keeps being retried (rounds of the channel's `attempts`, exponential backoff with
   * jitter between rounds, `Retry-After` honoured), per action, from its first attempt. A critical trigger
   * engages the channel's fallback after the first failed round while the primary keeps being retried; other
   * triggers engage it when the window runs out. Follow-ups never go to a fallback: a follow-up still
   * undeliverable at the end of its window is audited `failed` and alarmed.
   * @default { trigger: '2m', acknowledge: '1h', resolve: '1h' }
   */
  retry: z
    .strictObject({
      /** @default '2m' */
      trigger: durationSchema.default(120_000),
      /** @default '1h' */
      acknowledge: durationSchema.default(3_600_000),
      /** @default '1h' */
      resolve: durationSchema.default(3_600_000),
    })
    .default({ trigger: 120_000, acknowledge: 3_600_000, resolve: 3_600_000 }),
  /**
   * Acknowledge and Resolve buttons in Slack pages: the Slack app's signing secret (Basic Information →
   * Signing Secret), a Secrets Manager or SSM reference read at run time. Deploys the engine's
   * `slackInteractionsUrl`, to set as the app's Interactivity Request URL. @default no Slack buttons
   */
  slack: z.strictObject({ signingSecret: secretRefSchema }).optional(),
  /**
   * Two-way SMS: a person's reply `ACK` (or `ACK <code>`) to an SMS page acknowledges it. `{}` deploys a
   * KMS-encrypted SNS topic (output `InboundSmsTopicArn`) to set as the origination number's two-way
   * destination; `inboundTopicArn` subscribes to a topic you already have instead. @default no two-way SMS
   */
  sms: z
    .strictObject({
      /** An existing SNS topic receiving the number's inbound messages. @default a topic the engine creates */
      inboundTopicArn: z
        .string()
        .regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/, 'an SNS topic ARN')
        .optional(),
    })
    .optional(),
});

/** Business hours: a time zone and a weekly schedule, plus optional holidays. */
export const businessHoursSchema = z.strictObject({
  timezone: timezoneSchema,
  schedule: z.partialRecord(weekdaySchema, z.union([timeRangeSchema, z.array(timeRangeSchema)])),
  /** Dates (`YYYY-MM-DD`, in `timezone`) without business hours. @default [] */
  holidays: z.array(z.iso.date()).default([]),
});

/** What a silence applies to; every given field must match. */
export const silenceMatchSchema = z.strictObject({
  /** Alarm name pattern with `*` wildcards (`'shop-check-*'`). */
  alarm: z.string().min(1).optional(),
  team: nameSchema.optional(),
  severity: severitySchema.optional(),
  /** Alarm tags that must all be present with these values. */
  tags: z.record(z.string(), z.string()).optional(),
});

/** A maintenance window or silence: one-off (`start`/`end`) or recurring (weekly). */
export const silenceSchema = z.strictObject({
  name: nameSchema,
  reason: z.string().optional(),
  match: silenceMatchSchema,
  /** One-off window start (ISO 8601 with offset). */
  start: z.iso.datetime({ offset: true }).optional(),
  /** One-off window end (ISO 8601 with offset). */
  end: z.iso.datetime({ offset: true }).optional(),
  /** Weekly window: days and a time range in a time zone. */
  recurring: z
    .strictObject({ timezone: timezoneSchema, days: z.array(weekdaySchema).min(1), time: timeRangeSchema })
    .optional(),
});

/** A named alert rule (the seeds' `ServiceDown`, `HighErrorRate` ...): how its alarms are routed and described. */
export const alertRuleSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'a rule name such as ServiceDown'),
  severity: severitySchema,
  team: nameSchema,
  summary: z.string().min(1),
  description: z.string().optional(),
  runbookUrl: z.url().optional(),
  /** Alarm name patterns (`*` wildcards) this rule covers. @default [] */
  alarms: z.array(z.string().min(1)).default([]),
  /** X-Ray service name whose failed traces enrich the first notification. */
  service: z.string().optional(),
});

/** The keys the escalation engine adds to the top-level config. */
export const escalationConfigShape = {
  channels: z.record(nameSchema, channelSchema).default({}),
  escalation: escalationSchema.optional(),
  businessHours: businessHoursSchema.optional(),
  silences: z.array(silenceSchema).default([]),
  alertRules: z.array(alertRuleSchema).default([]),
};

type EscalationPart = z.output<z.ZodObject<typeof escalationConfigShape>>;

type Issue = (path: PropertyKey[], message: string) => void;

/**
 * Semantic checks zod cannot express: channel references exist, levels ordered by `after`, fallbacks
 * acyclic, business hours present when a policy needs them, silences well-formed. Reports through `issue`
 * with paths such as `escalation.critical.levels[1].channels[0]`.
 */
export const checkEscalationConfig = (config: EscalationPart, issue: Issue): void => {
  const channels = config.channels;
  for (const [name, channel] of Object.entries(channels)) {
    if (
      channel.type === 'pagerduty' &&
      channel.webhookSecret !== undefined &&
      JSON.stringify(channel.webhookSecret) === JSON.stringify(channel.routingKey)
    ) {
      issue(
        ['channels', name, 'webhookSecret'],
        "is the routing key's reference: use the webhook subscription's signing secret",
      );
    }
    if (channel.fallback === undefined) continue;
    if (!Object.hasOwn(channels, channel.fallback)) {
      issue(['channels', name, 'fallback'], `unknown channel '${channel.fallback}'`);
      continue;
    }
    const seen = new Set([name]);
    let next: string | undefined = channel.fallback;
    while (next !== undefined && ownValue(channels, next) !== undefined) {
      if (seen.has(next)) {
        issue(['channels', name, 'fallback'], `fallback chain loops back to '${next}'`);
        break;
      }
      seen.add(next);
      next = ownValue(channels, next)?.fallback;
    }
  }
  const escalation = config.escalation;
  if (escalation === undefined) {
    if (Object.keys(channels).length > 0) {
      issue(
        ['escalation'],
        'channels are defined but no escalation policies: add escalation.critical/warning/info',
      );
    }
    return;
  }
  const checkPolicy = (policy: z.output<typeof escalationPolicySchema>, at: PropertyKey[]) => {
    policy.levels.forEach((level, index) => {
      level.channels.forEach((channel, channelIndex) => {
        if (!Object.hasOwn(channels, channel)) {
          issue([...at, 'levels', index, 'channels', channelIndex], `unknown channel '${channel}'`);
        }
      });
      if (new Set(level.channels).size !== level.channels.length) {
        issue([...at, 'levels', index, 'channels'], 'a channel is listed twice in one level');
      }
      if (level.channels.length + level.people.length + level.schedules.length + level.teams.length === 0) {
        issue([...at, 'levels', index], 'name at least one target: channels, people, schedules or teams');
      }
      if (level.repeatEvery !== undefined && level.repeatEvery < 60_000) {
        issue([...at, 'levels', index, 'repeatEvery'], 'must be at least 1m');
      }
      const previous = policy.levels[index - 1];
      if (previous !== undefined && level.after <= previous.after) {
        issue([...at, 'levels', index, 'after'], 'levels must be ordered by strictly increasing `after`');
      }
    });
    const last = policy.levels[policy.levels.length - 1];
    if (policy.repeat > 0 && last !== undefined && policy.repeatInterval <= last.after) {
      issue([...at, 'repeatInterval'], 'must be longer than the last level’s `after`');
    }
    if (policy.businessHoursOnly && config.businessHours === undefined) {
      issue([...at, 'businessHoursOnly'], 'needs a top-level `businessHours` schedule');
    }
  };
  for (const severity of severitySchema.options) {
    // Undefined when it did not parse (its problem is reported): the other policies are still checked.
    const policy: z.output<typeof escalationPolicySchema> | undefined = escalation[severity];
    if (policy !== undefined) checkPolicy(policy, ['escalation', severity]);
  }
  for (const [team, policies] of Object.entries(escalation.teams)) {
    for (const [severity, policy] of Object.entries(policies)) {
      if (policy !== undefined) checkPolicy(policy, ['escalation', 'teams', team, severity]);
    }
  }
  const people = (config as { people?: Record<string, { contact?: { sms?: string } } | undefined> }).people;
  if (
    escalation.sms !== undefined &&
    !Object.values(people ?? {}).some((person) => person?.contact?.sms !== undefined)
  ) {
    issue(['escalation', 'sms'], 'two-way SMS needs at least one person with contact.sms under `people`');
  }
  if (escalation.pollInterval < 1_000) issue(['escalation', 'pollInterval'], 'must be at least 1s');
  if (escalation.watchFor > 6 * 86_400_000) {
    issue(['escalation', 'watchFor'], 'must be at most 6d (executions are capped at 7 days)');
  }
  for (const [action, window] of Object.entries(escalation.retry)) {
    if (window > 12 * 3_600_000) issue(['escalation', 'retry', action], 'must be at most 12h');
  }

  if (config.businessHours !== undefined) {
    for (const [day, ranges] of Object.entries(config.businessHours.schedule)) {
      for (const range of typeof ranges === 'string' ? [ranges] : (ranges ?? [])) {
        const [from, to] = range.split('-');
        if (from !== undefined && to !== undefined && from >= to) {
          issue(['businessHours', 'schedule', day], `range '${range}' ends before it starts`);
        }
      }
    }
  }

  const silenceNames = new Set<string>();
  config.silences.forEach((silence, index) => {
    if (silenceNames.has(silence.name))
      issue(['silences', index, 'name'], `duplicate silence '${silence.name}'`);
    silenceNames.add(silence.name);
    const oneOff = silence.start !== undefined || silence.end !== undefined;
    if (oneOff && silence.recurring !== undefined) {
      issue(['silences', index], "give either 'start'/'end' or 'recurring', not both");
    } else if (!oneOff && silence.recurring === undefined) {
      issue(['silences', index], "give a one-off window ('start' and 'end') or a 'recurring' one");
    } else if (oneOff) {
      if (silence.start === undefined || silence.end === undefined) {
        issue(['silences', index], "a one-off window needs both 'start' and 'end'");
      } else if (Date.parse(silence.end) <= Date.parse(silence.start)) {
        issue(['silences', index, 'end'], "must be after 'start'");
      }
    }
    if (Object.keys(silence.match).length === 0) {
      issue(['silences', index, 'match'], 'match at least one of alarm, team, severity or tags');
    }
  });

  const ruleNames = new Set<string>();
  config.alertRules.forEach((rule, index) => {
    if (ruleNames.has(rule.name)) issue(['alertRules', index, 'name'], `duplicate alert rule '${rule.name}'`);
    ruleNames.add(rule.name);
  });
};

/** A channel as written, after defaults. */
export type ChannelConfig = z.output<typeof channelSchema>;
/** One escalation policy, after defaults (durations in ms). */
export type EscalationPolicyConfig = z.output<typeof escalationPolicySchema>;
/** Business hours after defaults. */
export type BusinessHoursConfig = z.output<typeof businessHoursSchema>;
/** A silence after defaults. */
export type SilenceConfig = z.output<typeof silenceSchema>;
/** An alert rule after defaults. */
export type AlertRuleConfig = z.output<typeof alertRuleSchema>;
/** Escalation settings after defaults. */
export type EscalationConfig = z.output<typeof escalationSchema>;
