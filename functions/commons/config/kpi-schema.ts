import { z } from 'zod';
import { dimensionNameProblem, METRIC_UNITS, metricNameProblem } from '../metrics/emf-rules';
import { KPI_DIMENSIONS } from '../metrics/kpi-dimensions';
import { SEVERITIES, type Severity } from '../severity';
import { sqlParameterNames } from '../sql/sql-parameters';
import { kpiSqlProblem } from '../sql/sql-statement';
import { nameSchema, scheduleSchema, severitySchema } from './check-schema';
import { durationSchema } from './duration';
import { type ResolvedSchedule, resolveSchedule } from './schedule';

/** Built-in KPI settings, the last step of inheritance (KPI > config `defaults` > these). */
export const KPI_DEFAULTS = {
  /** Every five minutes. */
  schedule: '5m',
  /** `statement_timeout` of each query, and the engine's per-KPI deadline. */
  timeoutMs: 30_000,
  /** `lock_timeout` of each query. */
  lockTimeoutMs: 5_000,
  /** More rows than this fails the KPI instead of filling memory. */
  maxRows: 1_000,
  /** Distinct dimension combinations (= CloudWatch metrics) one KPI may create. */
  maxSeries: 10,
  /** Alarm after one breaching period out of one. */
  evaluationPeriods: 1,
  datapointsToAlarm: 1,
  /** A period without data keeps the alarm's state. */
  missingData: 'missing',
  /** An empty result or a NULL value is a missing datapoint, not zero. */
  emptyAs: 'missing',
  /** Severity of the alarm raised when a KPI's query fails (or stops reporting). */
  failureSeverity: 'warning',
  /** Connections each runner keeps to one PostgreSQL datasource; also how many KPIs run at once. */
  maxConnections: 8,
} as const;

/** CloudWatch metric units. */
export const metricUnitSchema = z.enum(METRIC_UNITS);

/** A result column name as SQL returns it (lower case unless quoted). */
const columnSchema = z.string().min(1).max(63);
const METRIC_NAME = /^[A-Za-z0-9_.\-/#:]{1,255}$/;

/**
 * Why a KPI metric or dimension name cannot be published (Vigil's character set, then EMF's and
 * CloudWatch's rules: no leading `:`, not `_aws`), or `undefined`. Applies to names taken from a column too.
 */
const kpiNameProblem = (name: string, kind: 'metric' | 'dimension'): string | undefined => {
  if (!METRIC_NAME.test(name)) return `${kind} name '${name}': use 1-255 letters, digits or "_ . - / # :"`;
  const problem = kind === 'metric' ? metricNameProblem(name) : dimensionNameProblem(name);
  return problem ? `${kind} name '${name}' ${problem}` : undefined;
};

const emfNameSchema = (kind: 'metric' | 'dimension') =>
  z
    .string()
    .regex(METRIC_NAME, 'use 1-255 letters, digits or "_ . - / # :"')
    .superRefine((name, context) => {
      if (!METRIC_NAME.test(name)) return; // reported by the pattern
      const problem = kpiNameProblem(name, kind);
      if (problem) context.addIssue({ code: 'custom', message: problem });
    });
/** A CloudWatch metric name. */
const metricNameSchema = emfNameSchema('metric');
/** A CloudWatch dimension name. */
const dimensionNameSchema = emfNameSchema('dimension');
/** A query parameter name: `window_start` is used in SQL as `:window_start`. */
const parameterNameSchema = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, 'use letters, digits and "_", starting with a letter or "_"');

/** An alarm threshold: the KPI is bad when its value is `below` or `above` the number. */
export const thresholdSchema = z.union(
  [z.strictObject({ below: z.number() }), z.strictObject({ above: z.number() })],
  {
    error: 'a threshold is { below: <number> } or { above: <number> }',
  },
);

/** Secret holding a PostgreSQL login (RDS format: `{"username","password","host","port","dbname"}`). */
const datasourceSecretSchema = z.strictObject({
  /** Secret name or ARN in Secrets Manager. */
  secretsManager: z.string().min(1),
});

/** Where a PostgreSQL runner Lambda sits in a VPC. */
export const kpiVpcSchema = z.strictObject({
  /** The VPC. Subnets and security groups not given are looked up / created in it. */
  vpcId: z.string().regex(/^vpc-[0-9a-f]+$/, "a VPC id, e.g. 'vpc-0123abcd'"),
  /** Subnets for the Lambda. @default the VPC's private subnets (looked up) */
  subnetIds: z
    .array(z.string().regex(/^subnet-[0-9a-f]+$/, "a subnet id, e.g. 'subnet-0123abcd'"))
    .min(1)
    .optional(),
  /** Security groups for the Lambda. @default a new group allowing outbound traffic only */
  securityGroupIds: z
    .array(z.string().regex(/^sg-[0-9a-f]+$/, "a security group id, e.g. 'sg-0123abcd'"))
    .min(1)
    .optional(),
});

/** A PostgreSQL database reached through the `pg` driver. */
export const postgresDatasourceSchema = z.strictObject({
  type: z.literal('postgres'),
  /** Login (and, for RDS secrets, host/port/dbname). Fetched at run time, never in templates. */
  secret: datasourceSecretSchema,
  /** @default the secret's `host` */
  host: z.string().min(1).optional(),
  /** @default the secret's `port`, else 5432 */
  port: z.number().int().min(1).max(65_535).optional(),
  /** @default the secret's `dbname`, else `postgres` */
  database: z.string().min(1).optional(),
  /** `verify-full`: TLS, certificate checked (RDS CA bundle trusted). `require`: TLS, unchecked. @default 'verify-full' */
  ssl: z.enum(['verify-full', 'require', 'disable']).default('verify-full'),
  /** Connections per runner (also its KPI concurrency). @default 8 */
  maxConnections: z.number().int().min(1).max(50).optional(),
  /** Put the runner in this VPC to reach a private database. @default no VPC */
  vpc: kpiVpcSchema.optional(),
});

/** An Aurora cluster reached through the RDS Data API (HTTPS, no VPC needed). */
export const dataApiDatasourceSchema = z.strictObject({
  type: z.literal('aurora-data-api'),
  clusterArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:rds:[a-z0-9-]+:\d{12}:cluster:[A-Za-z0-9-]+$/, 'an Aurora cluster ARN'),
  /** The Secrets Manager secret the Data API signs in with. */
  secretArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/, 'a Secrets Manager secret ARN'),
  database: z.string().min(1),
});

/** Any KPI datasource. */
export const datasourceSchema = z.discriminatedUnion('type', [
  postgresDatasourceSchema,
  dataApiDatasourceSchema,
]);

/** Datasources by name, referenced by `kpis[].datasource`. */
export const datasourcesSchema = z.record(nameSchema, datasourceSchema);

/** A result column published as a metric. A string is the column name (metric = column, unit `None`). */
export const kpiValueSchema = z.union([
  columnSchema,
  z.strictObject({
    column: columnSchema,
    /** @default the column name */
    metric: metricNameSchema.optional(),
    /** @default 'None' */
    unit: metricUnitSchema.default('None'),
  }),
]);

/** A result column whose values split the metric into one series per row. */
export const kpiDimensionSchema = z.union([
  columnSchema,
  z.strictObject({
    column: columnSchema,
    /** CloudWatch dimension name. @default the column name */
    name: dimensionNameSchema.optional(),
  }),
]);

/** One business KPI: a read-only SQL query whose result columns become metrics, alarmed by severity. */
export const kpiSchema = z.strictObject({
  name: nameSchema,
  description: z.string().optional(),
  enabled: z.boolean().default(true),
  /** A key of `datasources`. */
  datasource: nameSchema,
  /**
   * The query: exactly one SELECT (or WITH … SELECT, VALUES, TABLE); a trailing `;` is fine, a second
   * statement is refused. Runs in a READ ONLY transaction; may use `:window_start`, `:window_end` and
   * `parameters`.
   */
  sql: z.string().min(1),
  /** @default '5m' */
  schedule: scheduleSchema.optional(),
  /** Binds `:window_start` = now - window and `:window_end` = now. */
  window: durationSchema.optional(),
  /** Extra bind parameters, used in SQL as `:name`. Values are bound, never spliced into the SQL. */
  parameters: z.record(parameterNameSchema, z.union([z.string(), z.number(), z.boolean()])).default({}),
  /** Columns published as metrics. */
  values: z.array(kpiValueSchema).min(1),
  /** Columns whose values become dimensions: one datapoint per row. */
  dimensions: z.array(kpiDimensionSchema).max(8).default([]),
  /** Cardinality guard: most distinct dimension combinations allowed. @default 10 */
  maxSeries: z.number().int().min(1).max(100).optional(),
  /** Thresholds keyed by severity, e.g. `{ warning: { below: 15 }, critical: { below: 10 } }`. */
  thresholds: z.partialRecord(severitySchema, thresholdSchema).default({}),
  /** Which value column the thresholds apply to. @default the first value */
  alarmOn: columnSchema.optional(),
  /**
   * Also alarm when the value leaves its CloudWatch anomaly-detection band (learned from history), e.g.
   * `{ severity: 'warning', direction: 'below', width: 2 }`: catches a drop that stays above the static line.
   * @default no anomaly alarm
   */
  anomalyBand: z
    .strictObject({
      severity: severitySchema,
      /** Which side of the band alarms. @default 'outside' */
      direction: z.enum(['below', 'above', 'outside']).default('outside'),
      /** Band width in standard deviations. @default 2 */
      width: z.number().positive().max(10).default(2),
    })
    .optional(),
  /** Length of one alarm period. @default the schedule's interval (required for cron schedules) */
  period: durationSchema.optional(),
  /** @default 1 */
  evaluationPeriods: z.number().int().min(1).max(100).optional(),
  /** @default 1 */
  datapointsToAlarm: z.number().int().min(1).max(100).optional(),
  /** How alarms treat a period without data. @default 'missing' */
  missingData: z.enum(['missing', 'ignore', 'breaching', 'notBreaching']).optional(),
  /** An empty result or NULL value: a missing datapoint, or zero. @default 'missing' */
  emptyAs: z.enum(['missing', 'zero']).optional(),
  /** Severity of the alarm raised when the query fails or stops reporting. @default 'warning' */
  failureSeverity: severitySchema.optional(),
  team: nameSchema.optional(),
  runbookUrl: z.url().optional(),
  /** `statement_timeout`, and the engine's deadline for this KPI. @default '30s' */
  timeout: durationSchema.optional(),
  /** `lock_timeout`. @default '5s' */
  lockTimeout: durationSchema.optional(),
  /** Result-row cap. @default 1000 */
  maxRows: z.number().int().min(1).max(100_000).optional(),
});

/** The KPIs. */
export const kpisSchema = z.array(kpiSchema);

/** One KPI threshold after resolution. */
export interface ResolvedThreshold {
  readonly severity: Severity;
  readonly direction: 'below' | 'above';
  readonly value: number;
}

/** A KPI value column after resolution. */
export interface ResolvedKpiValue {
  readonly column: string;
  readonly metric: string;
  readonly unit: z.output<typeof metricUnitSchema>;
}

/**
 * A KPI as the engine runs it: defaults applied, durations in milliseconds. Plain data: this is what is
 * shipped (as JSON) to the KPI runner Lambdas.
 */
export interface ResolvedKpi {
  readonly name: string;
  readonly description?: string;
  readonly datasource: string;
  readonly sql: string;
  readonly schedule: ResolvedSchedule;
  /** Set when the SQL uses `:window_start` / `:window_end`. */
  readonly windowMs?: number;
  readonly parameters: Readonly<Record<string, string | number | boolean>>;
  readonly values: readonly ResolvedKpiValue[];
  readonly dimensions: readonly { readonly column: string; readonly name: string }[];
  readonly maxSeries: number;
  /** Most severe first. */
  readonly thresholds: readonly ResolvedThreshold[];
  /** Metric name the thresholds apply to. */
  readonly alarmOn: string;
  /** Anomaly-detection band alarm on `alarmOn`, when configured. */
  readonly anomalyBand?: {
    readonly severity: Severity;
    readonly direction: 'below' | 'above' | 'outside';
    readonly width: number;
  };
  readonly periodMs: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly missingData: 'missing' | 'ignore' | 'breaching' | 'notBreaching';
  readonly emptyAs: 'missing' | 'zero';
  readonly failureSeverity: Severity;
  readonly team: string;
  readonly runbookUrl?: string;
  readonly timeoutMs: number;
  readonly lockTimeoutMs: number;
  readonly maxRows: number;
}

/** A PostgreSQL datasource after resolution. */
export interface ResolvedPostgresDatasource {
  readonly type: 'postgres';
  readonly name: string;
  readonly secretId: string;
  readonly host?: string;
  readonly port?: number;
  readonly database?: string;
  readonly ssl: 'verify-full' | 'require' | 'disable';
  readonly maxConnections: number;
  readonly vpc?: z.output<typeof kpiVpcSchema>;
}

/** An Aurora Data API datasource after resolution. */
export interface ResolvedDataApiDatasource {
  readonly type: 'aurora-data-api';
  readonly name: string;
  readonly clusterArn: string;
  readonly secretArn: string;
  readonly database: string;
}

/** Any datasource after resolution. */
export type ResolvedDatasource = ResolvedPostgresDatasource | ResolvedDataApiDatasource;

/** The built-in parameters `window` declares. */
export const WINDOW_PARAMETERS = ['window_start', 'window_end'] as const;

type Issue = (path: PropertyKey[], message: string) => void;
type KpiConfigPart = {
  datasources: z.output<typeof datasourcesSchema>;
  kpis: z.output<typeof kpisSchema>;
};

const valueColumn = (value: z.output<typeof kpiValueSchema>) =>
  typeof value === 'string' ? value : value.column;
const dimensionColumn = (dimension: z.output<typeof kpiDimensionSchema>) =>
  typeof dimension === 'string' ? dimension : dimension.column;

/**
 * The schedule interval a KPI's alarm period defaults to, or an error message. Exported for
 * {@link refineKpis} and the resolver, so both agree.
 */
export const kpiPeriodMs = (
  schedule: ResolvedSchedule,
  period: number | undefined,
): { periodMs: number } | { error: string } => {
  if (period !== undefined) {
    if (period < 60_000 || period % 60_000 !== 0)
      return { error: 'alarm periods are whole minutes, at least 1m' };
    if (period > 86_400_000) return { error: 'alarm periods are at most 1d' };
    return { periodMs: period };
  }
  if (schedule.everyMs === undefined) {
    return { error: "cron-scheduled KPIs need 'period': how long one datapoint stands for, e.g. '1d'" };
  }
  return { periodMs: Math.min(schedule.everyMs, 86_400_000) };
};

/**
 * Semantic checks of the `datasources` and `kpis` sections, reporting each problem with its path
 * (`kpis[1].thresholds.critical.below`). Called from the config schema's `superRefine`.
 */
export const refineKpis = (config: KpiConfigPart, issue: Issue): void => {
  const names = new Set<string>();
  config.kpis.forEach((kpi, index) => {
    const at = (...path: PropertyKey[]) => ['kpis', index, ...path];
    if (names.has(kpi.name)) issue(at('name'), `duplicate KPI name '${kpi.name}'`);
    names.add(kpi.name);

    if (!Object.hasOwn(config.datasources, kpi.datasource)) {
      const known = Object.keys(config.datasources);
      issue(
        at('datasource'),
        `unknown datasource '${kpi.datasource}': declare it under 'datasources'${known.length ? ` (known: ${known.join(', ')})` : ''}`,
      );
    }

    let schedule: ResolvedSchedule | undefined;
    const resolved = resolveSchedule(kpi.schedule ?? KPI_DEFAULTS.schedule);
    if ('error' in resolved) issue(at('schedule'), resolved.error);
    else schedule = resolved;

    const columns = new Set<string>();
    const metrics = new Set<string>();
    const dimensionNamesOf = new Set(
      kpi.dimensions.map((dimension) =>
        typeof dimension === 'string' ? dimension : (dimension.name ?? dimension.column),
      ),
    );
    kpi.values.forEach((value, valueIndex) => {
      const column = valueColumn(value);
      const metric = typeof value === 'string' ? value : (value.metric ?? value.column);
      // A name given as `metric` is checked by its schema; one taken from the column is checked here.
      if (typeof value === 'string' || value.metric === undefined) {
        const problem = kpiNameProblem(metric, 'metric');
        if (problem) issue(at('values', valueIndex), `${problem} (the column name is the metric name)`);
      }
      if (metric === KPI_DIMENSIONS.app || metric === KPI_DIMENSIONS.kpi || dimensionNamesOf.has(metric)) {
        issue(
          at('values', valueIndex),
          `metric name '${metric}' is also a dimension name of this KPI's metrics (App, Kpi${[...dimensionNamesOf].map((name) => `, ${name}`).join('')}): EMF cannot carry both`,
        );
      }
      if (columns.has(column)) issue(at('values', valueIndex), `column '${column}' is listed twice`);
      if (metrics.has(metric)) issue(at('values', valueIndex), `metric '${metric}' is listed twice`);
      if (metric === 'QueryDuration' || metric === 'QueryFailed') {
        issue(at('values', valueIndex), `metric name '${metric}' is reserved for Vigil's own KPI metrics`);
      }
      columns.add(column);
      metrics.add(metric);
    });
    const dimensionNames = new Set<string>();
    kpi.dimensions.forEach((dimension, dimensionIndex) => {
      const column = dimensionColumn(dimension);
      const name = typeof dimension === 'string' ? dimension : (dimension.name ?? dimension.column);
      if (typeof dimension === 'string' || dimension.name === undefined) {
        const problem = kpiNameProblem(name, 'dimension');
        if (problem)
          issue(at('dimensions', dimensionIndex), `${problem} (the column name is the dimension name)`);
      }
      if (columns.has(column))
        issue(at('dimensions', dimensionIndex), `column '${column}' is both a value and a dimension`);
      if (dimensionNames.has(name))
        issue(at('dimensions', dimensionIndex), `dimension '${name}' is listed twice`);
      if (name === KPI_DIMENSIONS.app || name === KPI_DIMENSIONS.kpi)
        issue(at('dimensions', dimensionIndex), `dimension name '${name}' is reserved`);
      dimensionNames.add(name);
    });
    if (kpi.alarmOn !== undefined && !columns.has(kpi.alarmOn)) {
      issue(
        at('alarmOn'),
        `'${kpi.alarmOn}' is not one of this KPI's value columns (${[...columns].join(', ')})`,
      );
    }

    // Severities crossing in the same direction must get stricter as severity rises.
    const entries = SEVERITIES.flatMap((severity) => {
      const threshold = kpi.thresholds[severity];
      return threshold ? [{ severity, threshold }] : [];
    });
    for (let high = 0; high < entries.length; high++) {
      for (let low = high + 1; low < entries.length; low++) {
        const a = entries[high]!;
        const b = entries[low]!;
        if ('below' in a.threshold && 'below' in b.threshold && a.threshold.below > b.threshold.below) {
          issue(
            at('thresholds', a.severity, 'below'),
            `${a.severity} (below ${a.threshold.below}) must be at or below ${b.severity} (below ${b.threshold.below})`,
          );
        }
        if ('above' in a.threshold && 'above' in b.threshold && a.threshold.above < b.threshold.above) {
          issue(
            at('thresholds', a.severity, 'above'),
            `${a.severity} (above ${a.threshold.above}) must be at or above ${b.severity} (above ${b.threshold.above})`,
          );
        }
      }
    }

    const sqlProblem = kpiSqlProblem(kpi.sql);
    if (sqlProblem !== undefined) issue(at('sql'), sqlProblem);

    const declared = new Set<string>(Object.keys(kpi.parameters));
    for (const name of Object.keys(kpi.parameters)) {
      if ((WINDOW_PARAMETERS as readonly string[]).includes(name)) {
        issue(at('parameters', name), `'${name}' is set by 'window'; choose another name`);
      }
    }
    if (kpi.window !== undefined) for (const name of WINDOW_PARAMETERS) declared.add(name);
    for (const name of sqlParameterNames(kpi.sql)) {
      if (declared.has(name)) continue;
      const hint = (WINDOW_PARAMETERS as readonly string[]).includes(name)
        ? ` (set 'window', e.g. window: '24h', to bind it)`
        : ` (declare it under 'parameters')`;
      issue(at('sql'), `the SQL uses ':${name}', which is not a declared parameter${hint}`);
    }

    if (schedule) {
      const period = kpiPeriodMs(schedule, kpi.period);
      // period x evaluationPeriods is checked with the other AWS limits (service-limits.ts).
      if ('error' in period) issue(at('period'), period.error);
    }
    if ((kpi.datapointsToAlarm ?? 1) > (kpi.evaluationPeriods ?? 1)) {
      issue(at('datapointsToAlarm'), 'datapointsToAlarm cannot exceed evaluationPeriods');
    }
    if (kpi.timeout !== undefined && (kpi.timeout < 100 || kpi.timeout > 600_000)) {
      issue(at('timeout'), 'timeout must be between 100ms and 10m');
    }
  });
};
