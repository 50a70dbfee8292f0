import { z } from 'zod';
import { AWS_LIMITS } from '../aws-limits';
import { nameSchema, severitySchema } from './check-schema';
import { durationSchema } from './duration';

/**
 * A CloudWatch statistic: `Sum`, `Average`, `Minimum`, `Maximum`, `SampleCount`, a percentile (`p99`,
 * `p99.9`), or a trimmed/percentile-rank statistic (`TC(:300)`, `PR(:300)`).
 */
export const statisticSchema = z
  .string()
  .regex(
    /^(Sum|Average|Minimum|Maximum|SampleCount|p\d{1,2}(\.\d+)?|(TC|TM|PR|WM|TS)\(\d*(\.\d+)?%?:\d*(\.\d+)?%?\))$/,
    'a CloudWatch statistic: Sum, Average, Minimum, Maximum, SampleCount, p95, TC(:300) or PR(:300)',
  );

/** One of the user's own CloudWatch metrics. */
export const metricRefSchema = z.strictObject({
  namespace: z.string().min(1).max(255),
  metricName: z.string().min(1).max(255),
  dimensions: z.record(z.string().min(1), z.string().min(1)).default({}),
  /** @default 'Sum' */
  statistic: statisticSchema.default('Sum'),
});

/** An API Gateway REST API by name (metrics `AWS/ApiGateway` with `ApiName`, optionally `Stage`). */
export const apiRefSchema = z.strictObject({
  apiName: z.string().min(1),
  stage: z.string().min(1).optional(),
});

/** Settings every alarm of the rule catalog accepts. */
const alarmBase = {
  /** Alarm name suffix: the alarm is named `<app>-rule-<name>`. */
  name: z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]{0,99}$/, 'a name such as ServiceDown or payments-5xx'),
  /**
   * An entry of `alertRules` (escalation config) this alarm belongs to: severity, team, runbook URL and
   * summary are taken from it unless given here. @default the alert rule named like `name`, if any
   */
  rule: z.string().optional(),
  severity: severitySchema.optional(),
  team: nameSchema.optional(),
  runbookUrl: z.url().optional(),
  description: z.string().max(900).optional(),
  /** Aggregation period. @default per type: 1m for checks, 5m otherwise */
  period: durationSchema.optional(),
  /** Periods looked at (N of "M out of N"). @default per type, see docs/observability.md */
  evaluationPeriods: z.number().int().min(1).max(100).optional(),
  /** Breaching periods that fire the alarm (M of "M out of N"). @default evaluationPeriods */
  datapointsToAlarm: z.number().int().min(1).max(100).optional(),
  /** How missing data counts. @default per type, see docs/observability.md */
  missingData: z.enum(['missing', 'ignore', 'breaching', 'notBreaching']).optional(),
  /**
   * Names of other `alarms` whose ALARM state suppresses this one's notifications (the seeds' Alertmanager
   * inhibition: service down suppresses its dependents). Suppressors may themselves be suppressed (nesting).
   * @default []
   */
  suppressedBy: z.array(z.string()).default([]),
};

/**
 * The seeds' alert rule catalog, as ready-made alarms over the user's own metrics and resources. Each
 * entry makes one CloudWatch alarm, named `<app>-rule-<name>`.
 */
export const ruleAlarmSchema = z.discriminatedUnion('type', [
  /** Any of the named synthetic checks failed or did not run in a period (see `checkFailureSignal`): `up == 0`. */
  z.strictObject({ type: z.literal('serviceDown'), checks: z.array(nameSchema).min(1), ...alarmBase }),
  /** Share of 5xx responses above `thresholdPercent`: an API Gateway API, or an errors/total metric pair. */
  z.strictObject({
    type: z.literal('errorRate'),
    api: apiRefSchema.optional(),
    errors: metricRefSchema.optional(),
    total: metricRefSchema.optional(),
    /** @default 5 */
    thresholdPercent: z.number().positive().max(100).default(5),
    ...alarmBase,
  }),
  /** A latency percentile above `thresholdMs`: an API Gateway API's `Latency`, or any latency metric. */
  z.strictObject({
    type: z.literal('latency'),
    api: apiRefSchema.optional(),
    metric: metricRefSchema.optional(),
    /** @default 'p95' */
    percentile: z.enum(['p50', 'p90', 'p95', 'p99']).default('p95'),
    thresholdMs: z.number().positive(),
    ...alarmBase,
  }),
  /** RDS `DatabaseConnections` (maximum) above `threshold`. Give an instance or a cluster identifier. */
  z.strictObject({
    type: z.literal('databaseConnections'),
    dbInstance: z.string().min(1).optional(),
    dbCluster: z.string().min(1).optional(),
    /** @default 80 */
    threshold: z.number().positive().default(80),
    ...alarmBase,
  }),
  /** A business metric (a KPI's or the user's) below `below`: conversion rate low. */
  z.strictObject({
    type: z.literal('metricBelow'),
    metric: metricRefSchema,
    below: z.number(),
    ...alarmBase,
  }),
  /** A failure count above `threshold`, or with `total` a failure rate above `thresholdPercent`. */
  z.strictObject({
    type: z.literal('failures'),
    failures: metricRefSchema,
    total: metricRefSchema.optional(),
    threshold: z.number().positive().optional(),
    thresholdPercent: z.number().positive().max(100).optional(),
    ...alarmBase,
  }),
  /** A Lambda function's errors, throttles (counts) or duration (p99, ms) above the threshold. */
  z.strictObject({
    type: z.literal('lambda'),
    functionName: z.string().min(1),
    metric: z.enum(['errors', 'throttles', 'duration']),
    threshold: z.number().positive(),
    ...alarmBase,
  }),
  /** An SQS queue's oldest message age (seconds) or visible messages above the threshold. */
  z.strictObject({
    type: z.literal('queue'),
    queueName: z.string().min(1),
    metric: z.enum(['age', 'depth']),
    threshold: z.number().positive(),
    ...alarmBase,
  }),
  /** Any metric against a threshold, or outside an anomaly-detection band. */
  z.strictObject({
    type: z.literal('metric'),
    metric: metricRefSchema,
    comparison: z.enum(['>', '>=', '<', '<=', 'outsideBand', 'aboveBand', 'belowBand']),
    /** The static threshold; for band comparisons the band width in standard deviations. @default 2 */
    threshold: z.number().default(2),
    ...alarmBase,
  }),
]);

/** Where an SLO's good/total events come from. */
export const sloSourceSchema = z.union([
  /** A synthetic check's runs: passing runs (`CheckDuration`) against the runs its schedule expects. */
  z.strictObject({ check: nameSchema }),
  /** An API Gateway API's requests (`Count`, `5XXError`, `Latency`). */
  z.strictObject({ api: apiRefSchema }),
  /** A good/total metric pair of the user's own (both summed). */
  z.strictObject({ good: metricRefSchema, total: metricRefSchema }),
]);

/** A service level objective with multi-window, multi-burn-rate alarms. */
export const sloSchema = z.strictObject({
  name: nameSchema,
  description: z.string().optional(),
  /** `availability`: share of good events. `latency`: share of events faster than `thresholdMs`. */
  objective: z.enum(['availability', 'latency']).default('availability'),
  source: sloSourceSchema,
  /** Target in percent, e.g. 99.9. */
  target: z.number().gt(0).lt(100),
  /** Compliance window. @default '30d' */
  window: durationSchema.default(2_592_000_000),
  /**
   * Latency objective threshold (required for `latency`), ms: up to Lambda's 15 minutes (no check run lasts
   * longer), in at most 3 decimals, since it is written into the SLO's `TC(…)` statistic as printed.
   */
  thresholdMs: z
    .number()
    .positive()
    .max(AWS_LIMITS.lambdaTimeoutSeconds * 1000)
    .refine((ms) => /^\d+(\.\d{1,3})?$/.test(String(ms)), 'a threshold in ms with at most 3 decimals')
    .optional(),
  team: nameSchema.optional(),
  runbookUrl: z.url().optional(),
  /** Severity of the fast-burn page (14.4x over 1h and 5m). @default 'critical' */
  pageSeverity: severitySchema.default('critical'),
  /** Severity of the slow-burn ticket (6x over 6h and 30m). @default 'warning' */
  ticketSeverity: severitySchema.default('warning'),
});

const logGroupNameSchema = z.string().regex(/^[.\-_/#A-Za-z0-9]{1,512}$/, 'a CloudWatch Logs log group name');

/**
 * A log group error tracking watches: an existing one by name (not Vigil's: declared external), or one
 * Vigil creates on request.
 */
export const watchedLogGroupSchema = z.union([
  logGroupNameSchema,
  z.strictObject({
    name: logGroupNameSchema,
    /** Vigil creates the log group (and deletes it with its stack). @default false: it must exist */
    create: z.boolean().default(false),
  }),
]);

/** Log groups whose errors are counted by type, alarmed and listed (the seeds' Sentry role). */
export const errorTrackingSchema = z.strictObject({
  /** Also watch Vigil's own functions' log groups. @default true */
  vigilFunctions: z.boolean().default(true),
  /**
   * The user's log groups. A name (`/aws/lambda/checkout`) declares a log group Vigil does not own: it
   * must exist before the deploy (Vigil only adds metric filters to it). `{ name, create: true }` makes
   * Vigil create it (one month retention, deleted with the stack), e.g. for a function not deployed yet.
   * @default []
   */
  logGroups: z.array(watchedLogGroupSchema).default([]),
  /** Errors in 5 minutes that page ("new errors" in a group that normally has none). @default 1 */
  threshold: z.number().int().min(1).default(1),
  /** Anomaly band width (standard deviations) of the "rising errors" alarm. @default 3 */
  risingBand: z.number().positive().default(3),
  /** @default 'warning' */
  severity: severitySchema.default('warning'),
  team: nameSchema.optional(),
});

/** Dashboard options. */
export const dashboardsSchema = z.strictObject({
  /** Create the dashboards at all. @default true */
  enabled: z.boolean().default(true),
  /** Checks shown as red/green status on the Control Tower. @default checks of severity critical */
  criticalPaths: z.array(nameSchema).optional(),
  /** Extra resources for the Engine Room (beyond those the alarms name). @default {} */
  resources: z
    .strictObject({
      lambdaFunctions: z.array(z.string().min(1)).default([]),
      queues: z.array(z.string().min(1)).default([]),
      apis: z.array(apiRefSchema).default([]),
      dbInstances: z.array(z.string().min(1)).default([]),
      stateMachineArns: z.array(z.string().regex(/^arn:[^:]+:states:/)).default([]),
    })
    .default({ lambdaFunctions: [], queues: [], apis: [], dbInstances: [], stateMachineArns: [] }),
  /** Per-dashboard limits before it is split into numbered pages. */
  maxWidgets: z.number().int().min(10).max(500).default(500),
  maxMetrics: z.number().int().min(10).max(2500).default(2500),
});

/** Per-check alarm options beyond the failure alarm. */
export const checkAlarmOptionsSchema = z.strictObject({
  /** Alarm when a check's p95 duration exceeds its `degradedAfter`. @default true */
  degraded: z.boolean().default(true),
  /** Failed runs (M) that fire the failure alarm. @default 2 */
  failuresToAlarm: z.number().int().min(1).max(10).default(2),
  /** Runs looked at (N). @default failuresToAlarm */
  outOf: z.number().int().min(1).max(10).optional(),
  /**
   * Certificate early warning: for every host whose certificate a check sees (an HTTPS step, a `tls` check,
   * a `tcp` check over TLS), once per host, a `warning` and a `critical` alarm when its
   * `CertificateDaysToExpiry` drops below these days (a `tls` check asks for its own `daysBeforeExpiry`; the
   * host gets the earliest asked); `false` for none.
   * @default { warning: 14, critical: 7 }
   */
  certificate: z
    .union([
      z.literal(false),
      z.strictObject({
        warning: z.number().int().nonnegative().default(14),
        critical: z.number().int().nonnegative().default(7),
      }),
    ])
    .default({ warning: 14, critical: 7 }),
});

/** The keys observability adds to the top-level config. */
export const observabilityConfigShape = {
  /** Service level objectives with burn-rate alarms and error budgets. */
  slos: z.array(sloSchema).default([]),
  /** The rule catalog: alarms over the user's own metrics and resources. */
  alarms: z.array(ruleAlarmSchema).default([]),
  checkAlarms: checkAlarmOptionsSchema.default({
    degraded: true,
    failuresToAlarm: 2,
    certificate: { warning: 14, critical: 7 },
  }),
  errorTracking: errorTrackingSchema.default({
    vigilFunctions: true,
    logGroups: [],
    threshold: 1,
    risingBand: 3,
    severity: 'warning',
  }),
  dashboards: dashboardsSchema.default({
    enabled: true,
    resources: { lambdaFunctions: [], queues: [], apis: [], dbInstances: [], stateMachineArns: [] },
    maxWidgets: 500,
    maxMetrics: 2500,
  }),
};

/** A rule-catalog alarm after defaults. */
export type RuleAlarmConfig = z.output<typeof ruleAlarmSchema>;
/** An SLO after defaults (window in ms). */
export type SloConfig = z.output<typeof sloSchema>;
/** A metric reference after defaults. */
export type MetricRefConfig = z.output<typeof metricRefSchema>;
/** An API reference. */
export type ApiRefConfig = z.output<typeof apiRefSchema>;
/** A watched log group after defaults. */
export type WatchedLogGroupConfig = z.output<typeof watchedLogGroupSchema>;
/** Error tracking after defaults. */
export type ErrorTrackingConfig = z.output<typeof errorTrackingSchema>;
/** Dashboard options after defaults. */
export type DashboardsConfig = z.output<typeof dashboardsSchema>;

type ObservabilityPart = {
  [K in keyof typeof observabilityConfigShape]: z.output<(typeof observabilityConfigShape)[K]>;
} & {
  readonly checks: readonly { readonly name: string; readonly enabled: boolean }[];
  readonly alertRules: readonly { readonly name: string }[];
};

type Issue = (path: PropertyKey[], message: string) => void;

const exactlyOne = (
  present: Record<string, boolean>,
  at: PropertyKey[],
  issue: Issue,
  what: string,
): void => {
  const given = Object.entries(present)
    .filter(([, yes]) => yes)
    .map(([key]) => key);
  if (given.length !== 1)
    issue(
      at,
      `give exactly one of ${Object.keys(present).join(', ')} (${what}); got ${given.length === 0 ? 'none' : given.join(', ')}`,
    );
};

/**
 * Semantic checks zod cannot express: checks and alert rules that alarms and SLOs reference exist, each
 * alarm has exactly one source, suppression references exist and do not loop, latency SLOs have a
 * threshold. Reports through `issue` with paths such as `slos[0].thresholdMs` or `alarms[2].suppressedBy[0]`.
 */
export const checkObservabilityConfig = (config: ObservabilityPart, issue: Issue): void => {
  const checks = new Set(config.checks.filter((check) => check.enabled).map((check) => check.name));
  const rules = new Set(config.alertRules.map((rule) => rule.name));
  const alarmNames = new Map<string, number>();
  config.alarms.forEach((alarm, index) => {
    const at = ['alarms', index];
    if (alarmNames.has(alarm.name)) issue([...at, 'name'], `duplicate alarm name '${alarm.name}'`);
    alarmNames.set(alarm.name, index);
    if (alarm.rule !== undefined && !rules.has(alarm.rule)) {
      issue([...at, 'rule'], `unknown alert rule '${alarm.rule}': declare it under 'alertRules'`);
    }
    if (
      alarm.datapointsToAlarm !== undefined &&
      alarm.evaluationPeriods !== undefined &&
      alarm.datapointsToAlarm > alarm.evaluationPeriods
    ) {
      issue([...at, 'datapointsToAlarm'], 'cannot exceed evaluationPeriods');
    }
    if (alarm.period !== undefined && (alarm.period < 60_000 || alarm.period % 60_000 !== 0)) {
      issue([...at, 'period'], 'must be a whole number of minutes (at least 1m)');
    }
    switch (alarm.type) {
      case 'serviceDown':
        alarm.checks.forEach((check, checkIndex) => {
          if (!checks.has(check))
            issue([...at, 'checks', checkIndex], `unknown or disabled check '${check}'`);
        });
        break;
      case 'errorRate':
        if (alarm.api !== undefined && (alarm.errors !== undefined || alarm.total !== undefined)) {
          issue(at, "give either 'api' or 'errors' + 'total', not both");
        } else if (alarm.api === undefined && (alarm.errors === undefined || alarm.total === undefined)) {
          issue(at, "give 'api', or both 'errors' and 'total'");
        }
        break;
      case 'latency':
        exactlyOne(
          { api: alarm.api !== undefined, metric: alarm.metric !== undefined },
          at,
          issue,
          'the latency source',
        );
        break;
      case 'databaseConnections':
        exactlyOne(
          { dbInstance: alarm.dbInstance !== undefined, dbCluster: alarm.dbCluster !== undefined },
          at,
          issue,
          'the database',
        );
        break;
      case 'failures':
        exactlyOne(
          {
            threshold: alarm.threshold !== undefined,
            thresholdPercent: alarm.thresholdPercent !== undefined,
          },
          at,
          issue,
          'a count or, with total, a rate',
        );
        if (alarm.thresholdPercent !== undefined && alarm.total === undefined) {
          issue([...at, 'total'], "'thresholdPercent' needs a 'total' metric");
        }
        break;
      default:
        break;
    }
  });
  config.alarms.forEach((alarm, index) => {
    alarm.suppressedBy.forEach((name, suppressorIndex) => {
      const at = ['alarms', index, 'suppressedBy', suppressorIndex];
      if (name === alarm.name) issue(at, 'an alarm cannot suppress itself');
      else if (!alarmNames.has(name)) issue(at, `unknown alarm '${name}': name an entry of 'alarms'`);
    });
    const seen = new Set<string>();
    const pending = [...alarm.suppressedBy];
    while (pending.length > 0) {
      const next = pending.pop() as string;
      if (next === alarm.name) {
        if (!alarm.suppressedBy.includes(alarm.name))
          issue(['alarms', index, 'suppressedBy'], `suppression loops back to '${alarm.name}'`);
        break;
      }
      const nextIndex = alarmNames.get(next);
      if (nextIndex === undefined || seen.has(next)) continue;
      seen.add(next);
      pending.push(...(config.alarms[nextIndex]?.suppressedBy ?? []));
    }
  });

  const sloNames = new Set<string>();
  config.slos.forEach((slo, index) => {
    const at = ['slos', index];
    if (sloNames.has(slo.name)) issue([...at, 'name'], `duplicate SLO name '${slo.name}'`);
    sloNames.add(slo.name);
    if ('check' in slo.source && !checks.has(slo.source.check)) {
      issue([...at, 'source', 'check'], `unknown or disabled check '${slo.source.check}'`);
    }
    if (slo.objective === 'latency' && slo.thresholdMs === undefined) {
      issue([...at, 'thresholdMs'], 'a latency SLO needs thresholdMs');
    }
    if (slo.objective === 'latency' && 'good' in slo.source) {
      issue(
        [...at, 'objective'],
        "a good/total source counts its own good events: use objective 'availability'",
      );
    }
    if (slo.window < 86_400_000 || slo.window > 90 * 86_400_000) {
      issue([...at, 'window'], 'must be between 1d and 90d');
    }
  });

  const criticalPaths = config.dashboards.criticalPaths ?? [];
  criticalPaths.forEach((name, index) => {
    if (!checks.has(name))
      issue(['dashboards', 'criticalPaths', index], `unknown or disabled check '${name}'`);
  });
  const checkOptions = config.checkAlarms;
  if (checkOptions.outOf !== undefined && checkOptions.outOf < checkOptions.failuresToAlarm) {
    issue(['checkAlarms', 'outOf'], 'must be at least failuresToAlarm');
  }
  if (
    checkOptions.certificate !== false &&
    checkOptions.certificate.warning <= checkOptions.certificate.critical
  ) {
    issue(
      ['checkAlarms', 'certificate', 'warning'],
      `warning (${checkOptions.certificate.warning} days) must be above critical (${checkOptions.certificate.critical} days): the critical alarm would fire first`,
    );
  }
};
