import type { VigilConfig } from '../../commons/config/schema';
import { ownValue } from '../../commons/own-value';
import { SEVERITIES, type Severity } from '../../commons/severity';
import type {
  BundledRuntimeConfig,
  EscalationRuntimeConfig,
  PersonChannelType,
  RuntimeBusinessHours,
  RuntimeChannel,
  RuntimeConfigContext,
  RuntimePerson,
  RuntimePolicy,
  RuntimeRuleStep,
  RuntimeSilence,
} from '../types/runtime-config';
import { checkFlapping, checkQuorums, maintenanceSilences } from './monitor-policies';
import { personChannel } from './person-pages';

/** Weekday names in `Date#getDay()` order. */
export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** Thrown when a config has no escalation section but an engine is being built from it. */
export class EscalationConfigMissingError extends Error {
  public constructor() {
    super("the config has no 'escalation' section: add escalation policies for critical, warning and info");
    this.name = 'EscalationConfigMissingError';
  }
}

const minutes = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

/** `'09:00-17:30'` -> `[540, 1050]`. */
export const parseTimeRange = (range: string): [number, number] => {
  const [from = '00:00', to = '24:00'] = range.split('-');
  return [minutes(from), minutes(to)];
};

/**
 * Every `runbookUrl` the config names, wherever it sits (defaults, checks and their groups, KPIs, SLOs, alert
 * rules, observability alarms), sorted and unique: the only links a message may offer as a runbook.
 */
export const configuredRunbooks = (config: VigilConfig): string[] => {
  const found = new Set<string>();
  const visit = (value: unknown, depth: number): void => {
    if (depth > 32 || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      for (const item of value) visit(item, depth + 1);
      return;
    }
    for (const [key, item] of Object.entries(value)) {
      if (key === 'runbookUrl' && typeof item === 'string') found.add(item);
      else visit(item, depth + 1);
    }
  };
  visit(config, 0);
  return [...found].sort();
};

/**
 * Turns a validated config into the plain JSON bundled with the escalation Lambdas (durations in ms,
 * schedules as minute ranges, policies keyed `critical` / `team.<team>.<severity>`). Holds no deploy-time
 * value (token), so it can be written to a file at synth time.
 *
 * @throws {EscalationConfigMissingError} when the config has no `escalation` section
 */
export const resolveBundledConfig = (config: VigilConfig): BundledRuntimeConfig => {
  const escalation = config.escalation;
  if (escalation === undefined) throw new EscalationConfigMissingError();
  const channels: Record<string, RuntimeChannel> = {};
  for (const [name, channel] of Object.entries(config.channels)) {
    const base = {
      name,
      type: channel.type,
      attempts: channel.attempts,
      timeoutMs: channel.timeout,
      ...(channel.fallback !== undefined ? { fallback: channel.fallback } : {}),
    };
    switch (channel.type) {
      case 'slack':
      case 'teams':
        channels[name] = { ...base, secret: channel.webhook };
        break;
      case 'pagerduty':
        channels[name] = { ...base, secret: channel.routingKey, eventsUrl: channel.eventsUrl };
        break;
      case 'webhook':
        channels[name] = { ...base, secret: channel.url, headers: channel.headers };
        break;
      case 'email':
      case 'sms':
        // The topic's ARN is a deploy-time value: joined in by `withRuntimeContext`.
        channels[name] = base;
        break;
    }
  }
  const policies: Record<string, RuntimePolicy> = {};
  const addPolicy = (key: string, policy: NonNullable<VigilConfig['escalation']>['critical']) => {
    policies[key] = {
      key,
      levels: policy.levels.map((level) => ({
        afterMs: level.after,
        channels: level.channels,
        ...(level.people.length > 0 ? { people: level.people } : {}),
        ...(level.schedules.length > 0 ? { schedules: level.schedules } : {}),
        ...(level.teams.length > 0 ? { teams: level.teams } : {}),
        ...(level.repeatEvery !== undefined ? { repeatEveryMs: level.repeatEvery } : {}),
      })),
      repeat: policy.repeat,
      repeatIntervalMs: policy.repeatInterval,
      businessHoursOnly: policy.businessHoursOnly,
    };
  };
  for (const severity of SEVERITIES) addPolicy(severity, escalation[severity]);
  for (const [team, byTeam] of Object.entries(escalation.teams)) {
    for (const severity of SEVERITIES) {
      const policy = byTeam[severity];
      if (policy !== undefined) addPolicy(policyKey(severity, team), policy);
    }
  }
  const businessHours: RuntimeBusinessHours | undefined = config.businessHours && {
    timezone: config.businessHours.timezone,
    weekly: Object.fromEntries(
      WEEKDAYS.map((day, index) => {
        const ranges = config.businessHours?.schedule[day];
        const list = ranges === undefined ? [] : typeof ranges === 'string' ? [ranges] : ranges;
        return [String(index), list.map(parseTimeRange)];
      }),
    ),
    holidays: config.businessHours.holidays,
  };
  const silences: RuntimeSilence[] = config.silences.map((silence) => ({
    name: silence.name,
    ...(silence.reason !== undefined ? { reason: silence.reason } : {}),
    match: silence.match,
    ...(silence.start !== undefined ? { startMs: Date.parse(silence.start) } : {}),
    ...(silence.end !== undefined ? { endMs: Date.parse(silence.end) } : {}),
    ...(silence.recurring !== undefined
      ? {
          recurring: {
            timezone: silence.recurring.timezone,
            days: silence.recurring.days.map((day) => WEEKDAYS.indexOf(day)),
            startMinute: parseTimeRange(silence.recurring.time)[0],
            endMinute: parseTimeRange(silence.recurring.time)[1],
          },
        }
      : {}),
  }));
  const quorums = Object.entries(checkQuorums(config));
  const flapping = Object.entries(checkFlapping(config));
  const paging = config.paging ?? {};
  const people: Record<string, RuntimePerson> = {};
  for (const [id, person] of Object.entries(config.people ?? {})) {
    const methods = (['sms', 'voice', 'email', 'slack'] as const).filter(
      (method) => person.contact[method] !== undefined,
    );
    for (const method of methods) {
      const name = personChannel(id, method);
      channels[name] = {
        name,
        type: `person-${method}` satisfies PersonChannelType,
        attempts: 3,
        timeoutMs: 5_000,
        person: id,
        to: person.contact[method] as string,
        ...(method === 'slack' && paging.slack !== undefined ? { secret: paging.slack.botToken } : {}),
      };
    }
    // A severity without a rule: every contact method but a call, at once.
    const fallbackSteps = methods
      .filter((method) => method !== 'voice')
      .map((method): RuntimeRuleStep => ({ channel: personChannel(id, method), afterMs: 0 }));
    const rules = Object.fromEntries(
      SEVERITIES.map((severity) => [
        severity,
        person.rules[severity]?.map(
          (rule): RuntimeRuleStep => ({ channel: personChannel(id, rule.method), afterMs: rule.after }),
        ) ?? fallbackSteps,
      ]),
    ) as Record<Severity, RuntimeRuleStep[]>;
    people[id] = { name: person.name, rules };
  }
  return {
    app: config.app,
    channels,
    policies,
    people,
    schedules: config.schedules ?? {},
    oncallTeams: Object.fromEntries(
      Object.entries(config.oncallTeams ?? {}).map(([id, team]) => [id, team.members]),
    ),
    paging: {
      ...(paging.sms !== undefined ? { sms: paging.sms } : {}),
      ...(paging.voice !== undefined ? { voice: paging.voice } : {}),
      ...(paging.email !== undefined ? { email: paging.email } : {}),
      ...(paging.slack !== undefined ? { slack: { apiUrl: paging.slack.apiUrl } } : {}),
    },
    ...(businessHours !== undefined ? { businessHours } : {}),
    silences: [...silences, ...maintenanceSilences(config)],
    rules: config.alertRules,
    ...(quorums.length > 0 ? { quorums: Object.fromEntries(quorums) } : {}),
    ...(flapping.length > 0 ? { flapping: Object.fromEntries(flapping) } : {}),
    runbooks: configuredRunbooks(config),
    pollIntervalMs: escalation.pollInterval,
    watchForMs: escalation.watchFor,
    ackLinkTtlMs: escalation.ackLinkTtl,
    enrichmentBudgetMs: escalation.enrichmentBudget,
    retryWindowsMs: { ...escalation.retry },
  };
};

/**
 * Joins the bundled config and the deployment's values (ack URL, channel topics, region, dashboard) into the
 * config the handler cores run on. The Lambdas do this at init; the construct and local runs at synth.
 */
export const withRuntimeContext = (
  bundled: BundledRuntimeConfig,
  context: RuntimeConfigContext,
): EscalationRuntimeConfig => {
  const channels: Record<string, RuntimeChannel> = {};
  for (const [name, channel] of Object.entries(bundled.channels)) {
    const topicArn =
      channel.type === 'email' || channel.type === 'sms' ? ownValue(context.topicArns, name) : undefined;
    channels[name] = topicArn !== undefined ? { ...channel, topicArn } : channel;
  }
  return {
    ...bundled,
    channels,
    ackUrl: context.ackUrl,
    region: context.region ?? 'us-east-1',
    ...(context.dashboardUrl !== undefined ? { dashboardUrl: context.dashboardUrl } : {}),
  };
};

/**
 * {@link resolveBundledConfig} with the deployment's values joined in.
 *
 * @throws {EscalationConfigMissingError} when the config has no `escalation` section
 */
export const resolveRuntimeConfig = (
  config: VigilConfig,
  context: RuntimeConfigContext,
): EscalationRuntimeConfig => withRuntimeContext(resolveBundledConfig(config), context);

/** Key of a policy: the severity, or `team.<team>.<severity>` for a team override. */
export const policyKey = (severity: Severity, team?: string): string =>
  team === undefined ? severity : `team.${team}.${severity}`;
