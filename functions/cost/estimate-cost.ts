import {
  CERTIFICATE_ALARM_SEVERITIES,
  certificateOwners,
  certificateWatches,
} from '../commons/alarm-settings';
import { checkStepNames } from '../commons/config/check-steps';
import { resolveHeartbeats } from '../commons/config/heartbeat-schema';
import type { ResolvedKpi } from '../commons/config/kpi-schema';
import type { RuleAlarmConfig } from '../commons/config/observability-schema';
import type { VigilConfig } from '../commons/config/schema';
import type { ResolvedCheck } from '../commons/config/types';
import { metricCountPerCheck } from '../synthetics/adapters/emf-publisher';
import { runnerPlan } from '../synthetics/planning/runner-plan';
import { heartbeatCostLines } from './heartbeat-cost';
import { HOURS_PER_MONTH, PRICES, tieredMetricsUsd } from './price-table';

/** Usage assumptions the estimate cannot read from the config; every one can be overridden. */
export interface CostAssumptions {
  /** Average time of one step (request + assertions), ms. @default 300 */
  readonly avgStepMs: number;
  /** Fixed time per runner invocation (init of the batch, flushing), ms. @default 200 */
  readonly invocationOverheadMs: number;
  /** Bytes logged per check run: the EMF record with its metadata. @default 1500 */
  readonly logBytesPerCheckRun: number;
  /** Bytes logged per step and run at `detailed` metrics. @default 700 */
  readonly logBytesPerStepRun: number;
  /** Bytes logged per invocation (START/END/REPORT, summary line). @default 1500 */
  readonly logBytesPerInvocation: number;
  /** Runs per month of a cron-scheduled check or KPI (its frequency is not derived). @default 730 (hourly) */
  readonly cronRunsPerMonth: number;
  /** Average time of one KPI query, ms. @default 500 */
  readonly avgKpiQueryMs: number;
  /** KPI Lambda memory, MB. @default 512 */
  readonly kpiMemoryMb: number;
  /** Incidents escalated per month. @default 20 */
  readonly incidentsPerMonth: number;
  /** State transitions per incident (levels, waits, status checks). @default 60 */
  readonly transitionsPerIncident: number;
  /** Lambda invocations per incident (start, checks, notifications). @default 15 */
  readonly invocationsPerIncident: number;
  /** Traces scanned per incident for enrichment. @default 100 */
  readonly tracesScannedPerIncident: number;
  /** Distinct error types per watched log group (each a metric). @default 5 */
  readonly errorTypesPerLogGroup: number;
}

/** The defaults of {@link CostAssumptions}. */
export const DEFAULT_ASSUMPTIONS: CostAssumptions = {
  avgStepMs: 300,
  invocationOverheadMs: 200,
  logBytesPerCheckRun: 1500,
  logBytesPerStepRun: 700,
  logBytesPerInvocation: 1500,
  cronRunsPerMonth: HOURS_PER_MONTH,
  avgKpiQueryMs: 500,
  kpiMemoryMb: 512,
  incidentsPerMonth: 20,
  transitionsPerIncident: 60,
  invocationsPerIncident: 15,
  tracesScannedPerIncident: 100,
  errorTypesPerLogGroup: 5,
};

/** One line of the bill. */
export interface CostLine {
  readonly item: string;
  readonly quantity: number;
  readonly unit: string;
  readonly usd: number;
  /** Whether it is part of the checks' own share (compared with canaries). */
  readonly checks: boolean;
}

/** The estimate `vigil cost` prints. */
export interface CostEstimate {
  readonly monthlyUsd: number;
  /** The synthetic checks' own share: runner, schedules, their logs and traces, their metrics and alarms. */
  readonly checksMonthlyUsd: number;
  /** USD per category (metrics, alarms, dashboards, lambda, stepFunctions, scheduler, logs, xray). */
  readonly breakdown: Readonly<Record<string, number>>;
  /** The same checks as CloudWatch Synthetics canaries (runs × price per run, nothing else counted). */
  readonly canaryEquivalentUsd: number;
  /** canaryEquivalentUsd / checksMonthlyUsd. */
  readonly ratio: number;
  readonly lines: readonly CostLine[];
  readonly pricesAsOf: string;
}

const MINUTES_PER_MONTH = HOURS_PER_MONTH * 60;
const GB = 1024 ** 3;
/** DynamoDB writes a run makes for its shard's lease (`DynamoDbRunLease`: a conditional put, a conditional delete). */
const LEASE_WRITES_PER_RUN = 2;
const round = (usd: number, digits = 2): number => Number(usd.toFixed(digits));

const runsPerMonth = (everyMs: number | undefined, assumptions: CostAssumptions): number =>
  everyMs === undefined ? assumptions.cronRunsPerMonth : MINUTES_PER_MONTH / (everyMs / 60_000);

/** Alarm metrics one rule alarm is billed for, and whether it adds composites. */
const ruleAlarmPrice = (alarm: RuleAlarmConfig): number => {
  const suppression =
    alarm.suppressedBy.length > 0 ? PRICES.alarmCompositeUsd * (alarm.suppressedBy.length > 1 ? 2 : 1) : 0;
  switch (alarm.type) {
    case 'serviceDown':
      return PRICES.alarmStandardUsd * alarm.checks.length + suppression;
    case 'errorRate':
      return PRICES.alarmStandardUsd * 2 + suppression;
    case 'failures':
      return (
        PRICES.alarmStandardUsd *
          (alarm.total !== undefined && alarm.thresholdPercent !== undefined ? 2 : 1) +
        suppression
      );
    case 'metric':
      return (
        (alarm.comparison.endsWith('Band') ? PRICES.alarmAnomalyUsd : PRICES.alarmStandardUsd) + suppression
      );
    default:
      return PRICES.alarmStandardUsd + suppression;
  }
};

/** KPI metrics: each value column per series, plus query duration and failure. */
const kpiMetricCount = (kpi: ResolvedKpi): number =>
  kpi.values.length * (kpi.dimensions.length > 0 ? kpi.maxSeries : 1) + 2;

/**
 * Estimates the monthly AWS bill of a config from list prices ({@link PRICES}) and usage assumptions, and
 * compares the checks' own share with running the same checks as CloudWatch Synthetics canaries. Pure: no
 * AWS calls.
 *
 * @example
 * const estimate = estimateCost(config, resolveChecks(config), resolveKpis(config));
 * estimate.ratio; // how many times cheaper than canaries
 */
export const estimateCost = (
  config: VigilConfig,
  checks: readonly ResolvedCheck[],
  kpis: readonly ResolvedKpi[],
  overrides: Partial<CostAssumptions> = {},
): CostEstimate => {
  const a = { ...DEFAULT_ASSUMPTIONS, ...overrides };
  const lines: CostLine[] = [];
  const add = (item: string, quantity: number, unit: string, usd: number, checksShare: boolean) =>
    lines.push({ item, quantity: Math.round(quantity * 100) / 100, unit, usd, checks: checksShare });

  // Synthetic checks: one invocation per shard of each schedule and region (`vigil plan`), which stays up
  // until its last check has started (the start spread) and finished.
  const groups: { checks: ResolvedCheck[]; spreadMs: number }[] = [];
  for (const region of [...new Set(checks.flatMap((check) => check.locations))]) {
    const inRegion = checks.filter((check) => check.locations.includes(region));
    const byName = new Map(inRegion.map((check) => [check.name, check]));
    for (const plan of runnerPlan({ checks: inRegion, concurrency: config.runner.concurrency }).values()) {
      for (const shard of plan.shards) {
        groups.push({
          checks: shard.checks.flatMap((name) => byName.get(name) ?? []),
          spreadMs: shard.spreadMs,
        });
      }
    }
  }
  let invocations = 0;
  let gbSeconds = 0;
  let logBytes = 0;
  let checkRuns = 0;
  for (const { checks: group, spreadMs } of groups) {
    const runs = runsPerMonth(group[0]?.schedule.everyMs, a);
    // A tcp, dns or tls check runs one step (its probe), timed like an HTTP step.
    const stepsOf = (check: ResolvedCheck) => checkStepNames(check).length;
    const batches = Math.ceil(group.length / config.runner.concurrency);
    const longest = Math.max(...group.map(stepsOf));
    const seconds = (a.invocationOverheadMs + spreadMs + batches * longest * a.avgStepMs) / 1000;
    invocations += runs;
    checkRuns += runs * group.length;
    gbSeconds += runs * seconds * (config.runner.memorySize / 1024);
    const detailed = config.runner.metrics === 'detailed';
    logBytes +=
      runs *
      (a.logBytesPerInvocation +
        group.reduce(
          (sum, check) =>
            sum + a.logBytesPerCheckRun + (detailed ? stepsOf(check) * a.logBytesPerStepRun : 0),
          0,
        ));
  }
  add(
    'runner Lambda requests',
    invocations,
    'requests',
    (invocations / 1e6) * PRICES.lambdaRequestsPerMillionUsd,
    true,
  );
  add('runner Lambda duration (arm64)', gbSeconds, 'GB-s', gbSeconds * PRICES.lambdaArmGbSecondUsd, true);
  add('Scheduler invocations', invocations, 'invocations', invocations * PRICES.schedulerInvocationUsd, true);
  // Every run takes its shard's lease and gives it back: two conditional writes (an item under 1 KB, one
  // write request unit each; a refused take is billed too, and is rarer than a run).
  const leaseWrites = invocations * LEASE_WRITES_PER_RUN;
  add(
    'runner run lease DynamoDB writes (take and give back, per run)',
    leaseWrites,
    'writes',
    (leaseWrites / 1e6) * PRICES.dynamoDbWritePerMillionUsd,
    true,
  );
  add('runner logs (EMF)', logBytes / GB, 'GB', (logBytes / GB) * PRICES.logsIngestionPerGbUsd, true);
  add('runner X-Ray traces', invocations, 'traces', invocations * PRICES.xrayTraceRecordedUsd, true);

  // Metrics are tiered over the account's total: checks first (they are the bulk), then the rest.
  // Every host whose certificate a check sees adds one CertificateDaysToExpiry, published from one
  // location (the deployed environment's baseUrl decides which hosts).
  const environmentName = config.deploy?.environment ?? Object.keys(config.environments)[0];
  const baseUrl =
    environmentName !== undefined && Object.hasOwn(config.environments, environmentName)
      ? (config.environments[environmentName]?.baseUrl ?? '')
      : '';
  const resultMetrics = checks.reduce(
    (sum, check) =>
      sum + check.locations.length * metricCountPerCheck(config.runner.metrics, checkStepNames(check).length),
    0,
  );
  const certificateMetrics = certificateOwners(checks, baseUrl).length;
  const checkMetrics = resultMetrics + certificateMetrics;
  const kpiMetrics = kpis.reduce((sum, kpi) => sum + kpiMetricCount(kpi), 0);
  const logGroups = config.errorTracking.logGroups.length;
  const errorMetrics = logGroups * (1 + a.errorTypesPerLogGroup);
  add('check metrics', resultMetrics, 'metrics', tieredMetricsUsd(resultMetrics), true);
  add(
    'check certificate metrics (CertificateDaysToExpiry, one per host)',
    certificateMetrics,
    'metrics',
    tieredMetricsUsd(certificateMetrics, resultMetrics),
    true,
  );
  add('KPI metrics', kpiMetrics, 'metrics', tieredMetricsUsd(kpiMetrics, checkMetrics), false);
  add(
    'error-tracking metrics',
    errorMetrics,
    'metrics',
    tieredMetricsUsd(errorMetrics, checkMetrics + kpiMetrics),
    false,
  );

  const locations = checks.reduce((sum, check) => sum + check.locations.length, 0);
  const degraded = config.checkAlarms.degraded
    ? checks
        .filter((check) => check.degradedAfterMs !== undefined && check.schedule.everyMs !== undefined)
        .reduce((sum, check) => sum + check.locations.length, 0)
    : 0;
  add('check failure alarms', locations, 'alarms', locations * PRICES.alarmStandardUsd, true);
  add('check degraded alarms', degraded, 'alarms', degraded * PRICES.alarmStandardUsd, true);
  // Certificate early warning: the same decision as the check alarms construct, per host.
  const certificateAlarms =
    certificateWatches(checks, { certificate: config.checkAlarms.certificate, baseUrl }).length *
    CERTIFICATE_ALARM_SEVERITIES.length;
  add(
    'check certificate alarms (warning, critical, per host)',
    certificateAlarms,
    'alarms',
    certificateAlarms * PRICES.alarmStandardUsd,
    true,
  );
  const kpiAlarms = kpis.reduce((sum, kpi) => sum + kpi.thresholds.length + 1, 0);
  const kpiBands = kpis.filter((kpi) => kpi.anomalyBand !== undefined).length;
  add(
    'KPI alarms',
    kpiAlarms + kpiBands,
    'alarms',
    kpiAlarms * PRICES.alarmStandardUsd + kpiBands * PRICES.alarmAnomalyUsd,
    false,
  );
  add(
    'rule alarms',
    config.alarms.length,
    'alarms',
    config.alarms.reduce((sum, alarm) => sum + ruleAlarmPrice(alarm), 0),
    false,
  );
  add(
    'SLO burn-rate alarms',
    config.slos.length * 6,
    'alarms',
    config.slos.length * (8 * PRICES.alarmStandardUsd + 2 * PRICES.alarmCompositeUsd),
    false,
  );
  add(
    'error-tracking alarms',
    logGroups * 2,
    'alarms',
    logGroups * (PRICES.alarmStandardUsd + PRICES.alarmAnomalyUsd),
    false,
  );

  const dashboards = config.dashboards.enabled
    ? 4 + (config.slos.length > 0 ? 1 : 0) + Math.max(0, Math.ceil((checks.length * 3) / 499) - 1)
    : 0;
  add('dashboards', dashboards, 'dashboards', dashboards * PRICES.dashboardUsd, false);

  // KPI monitors: one invocation per distinct schedule.
  const kpiGroups = new Map<string, ResolvedKpi[]>();
  for (const kpi of kpis) kpiGroups.set(kpi.schedule.key, [...(kpiGroups.get(kpi.schedule.key) ?? []), kpi]);
  let kpiInvocations = 0;
  let kpiGbSeconds = 0;
  for (const group of kpiGroups.values()) {
    const runs = runsPerMonth(group[0]?.schedule.everyMs, a);
    kpiInvocations += runs;
    kpiGbSeconds +=
      runs *
      ((a.invocationOverheadMs + Math.ceil(group.length / 8) * a.avgKpiQueryMs) / 1000) *
      (a.kpiMemoryMb / 1024);
  }
  add(
    'KPI Lambda requests + duration',
    kpiInvocations,
    'requests',
    (kpiInvocations / 1e6) * PRICES.lambdaRequestsPerMillionUsd + kpiGbSeconds * PRICES.lambdaArmGbSecondUsd,
    false,
  );
  add('KPI schedules', kpiInvocations, 'invocations', kpiInvocations * PRICES.schedulerInvocationUsd, false);

  const escalates = config.escalation !== undefined;
  const incidents = escalates ? a.incidentsPerMonth : 0;
  add(
    'escalation Step Functions transitions',
    incidents * a.transitionsPerIncident,
    'transitions',
    incidents * a.transitionsPerIncident * PRICES.stepFunctionsTransitionUsd,
    false,
  );
  add(
    'escalation Lambda requests',
    incidents * a.invocationsPerIncident,
    'requests',
    ((incidents * a.invocationsPerIncident) / 1e6) * PRICES.lambdaRequestsPerMillionUsd,
    false,
  );
  add(
    'escalation X-Ray traces scanned',
    incidents * a.tracesScannedPerIncident,
    'traces',
    incidents * a.tracesScannedPerIncident * PRICES.xrayTraceRetrievedUsd,
    false,
  );

  const heartbeatLines = heartbeatCostLines(resolveHeartbeats(config), {
    cronRunsPerMonth: a.cronRunsPerMonth,
    metricsBefore: checkMetrics + kpiMetrics + errorMetrics,
  });
  for (const line of heartbeatLines) add(line.item, line.quantity, line.unit, line.usd, false);

  const category = (item: string): string => {
    if (item.includes('secrets')) return 'secrets';
    if (item.includes('DynamoDB')) return 'dynamodb';
    if (item.includes('metrics')) return 'metrics';
    if (item.includes('alarms')) return 'alarms';
    if (item === 'dashboards') return 'dashboards';
    if (item.includes('Step Functions')) return 'stepFunctions';
    if (item.includes('Scheduler') || item.includes('schedules')) return 'scheduler';
    if (item.includes('logs')) return 'logs';
    if (item.includes('X-Ray')) return 'xray';
    return 'lambda';
  };
  const breakdown: Record<string, number> = {};
  for (const line of lines) breakdown[category(line.item)] = (breakdown[category(line.item)] ?? 0) + line.usd;
  for (const key of Object.keys(breakdown)) breakdown[key] = round(breakdown[key] as number);

  const monthly = lines.reduce((sum, line) => sum + line.usd, 0);
  const checksShare = lines.filter((line) => line.checks).reduce((sum, line) => sum + line.usd, 0);
  const canary = checkRuns * PRICES.canaryRunUsd;
  return {
    monthlyUsd: round(monthly),
    checksMonthlyUsd: round(checksShare),
    breakdown,
    canaryEquivalentUsd: round(canary),
    ratio: checksShare > 0 ? round(canary / checksShare, 1) : 0,
    lines: lines.map((line) => ({ ...line, usd: round(line.usd, 4) })),
    pricesAsOf: PRICES.asOf,
  };
};

/**
 * The one-line summary `cdk synth` prints.
 *
 * @example
 * costSummaryLine(estimate); // 'Vigil cost estimate: $12.34/month (checks $4.56 vs $140.00 as Synthetics canaries: 30.7x cheaper; list prices of 2026-11-22)'
 */
export const costSummaryLine = (estimate: CostEstimate): string =>
  `Vigil cost estimate: $${estimate.monthlyUsd.toFixed(2)}/month (checks $${estimate.checksMonthlyUsd.toFixed(2)} vs $${estimate.canaryEquivalentUsd.toFixed(2)} as Synthetics canaries: ${estimate.ratio}x cheaper; list prices of ${estimate.pricesAsOf}). Details: npx vigil cost`;
