import { ArnFormat, Stack } from 'aws-cdk-lib';
import {
  Alarm,
  type AlarmBase,
  AlarmStatusWidget,
  Color,
  GraphWidget,
  type IAlarm,
  type IMetric,
  type IWidget,
  MathExpression,
  SingleValueWidget,
  TextWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import { alarmName } from '../../../functions/commons/alarm-naming';
import { certificateOwners, checkFailurePeriodMs } from '../../../functions/commons/alarm-settings';
import { chunk } from '../../../functions/commons/chunk';
import { checkStepNames } from '../../../functions/commons/config/check-steps';
import type { ResolvedKpi } from '../../../functions/commons/config/kpi-schema';
import type { ResolvedCheck } from '../../../functions/commons/config/types';
import {
  CHECK_DURATION_STATISTICS,
  CHECK_METRICS,
  ENGINE_METRICS,
  METRIC_DIMENSIONS,
  passingRunsWithin,
} from '../../../functions/commons/metrics/metric-catalog';
import { logQueries } from './log-queries';
import { certificateMetric, checkMetric, kpiMetric, metricScope } from './metric-sources';
import type { SloOutputs } from './slo-alarms';

/**
 * What a check's duration graph draws: the mean of its passing runs (a failed run's `CheckDuration` 0 left
 * out), and p95 and p99. CloudWatch has no percentile over a value range, so a failed run's 0 is among the
 * percentiles' values: it lowers p95 (p99) only when more than 5 % (1 %) of the period's runs failed,
 * which the success graph beside shows.
 */
const DURATION_GRAPH_STATISTICS = [
  { statistic: CHECK_DURATION_STATISTICS.passingMean, label: 'mean' },
  { statistic: 'p95', label: 'p95' },
  { statistic: 'p99', label: 'p99' },
] as const;

/** Alarm status widgets hold at most 100 alarms each. */
const ALARMS_PER_STATUS_WIDGET = 100;

/**
 * An alarm of the same account and region referenced by name (no cross-stack export needed: Vigil's alarm
 * names are deterministic).
 */
export const alarmByName = (scope: Construct, id: string, name: string): IAlarm =>
  Alarm.fromAlarmArn(
    scope,
    id,
    Stack.of(scope).formatArn({
      service: 'cloudwatch',
      resource: 'alarm',
      resourceName: name,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    }),
  );

/** Status widgets (red/green) over alarms, 100 per widget. */
export const alarmStatusWidgets = (title: string, alarms: readonly IAlarm[]): IWidget[] =>
  chunk(alarms, ALARMS_PER_STATUS_WIDGET).map(
    (part, index) =>
      new AlarmStatusWidget({
        title: index === 0 ? title : `${title} (${index + 1})`,
        alarms: part,
        width: 24,
        height: Math.min(12, 2 + Math.ceil(part.length / 4)),
      }),
  );

/** Links to the saved Logs Insights queries and the runbooks, as markdown. */
export const linksMarkdown = (app: string, runbooks: ReadonlyMap<string, string>): string => {
  const queries = logQueries(app)
    .map((query) => `[${query.title}](#logsV2:logs-insights) (saved as \`${query.name}\`)`)
    .join(' · ');
  const books = [...runbooks].map(([name, url]) => `[${name}](${url})`).join(' · ');
  return `**Logs Insights:** ${queries}${books ? `\n\n**Runbooks:** ${books}` : ''}`;
};

/** Input of {@link controlTowerSections}. */
export interface ControlTowerInput {
  readonly app: string;
  /** CloudWatch namespace of Vigil's metrics (the config's `metricsNamespace`). @default 'Vigil' */
  readonly metricsNamespace?: string;
  readonly kpis: readonly ResolvedKpi[];
  /** Critical paths shown red/green: their failure alarms by name (same region). */
  readonly criticalPathAlarms: readonly IAlarm[];
  /** Business and service alarms shown red/green (payments, service down, SLO pages). */
  readonly businessAlarms: readonly IAlarm[];
  readonly runbooks: ReadonlyMap<string, string>;
}

/**
 * Control Tower (operations, business health): KPI tickers (every KPI's alarmed value, 4 per widget),
 * the KPI trends, and red/green status of each critical path and of the business alarms.
 */
export const controlTowerSections = (input: ControlTowerInput): IWidget[][] => {
  const sections: IWidget[][] = [
    [new TextWidget({ markdown: linksMarkdown(input.app, input.runbooks), width: 24, height: 3 })],
  ];
  const tickers = input.kpis.map((kpi) =>
    kpiMetric(metricScope(input), kpi.name, kpi.alarmOn, { periodMs: kpi.periodMs }),
  );
  if (tickers.length > 0) {
    sections.push(
      chunk(tickers, 4).map(
        (part, index) =>
          new SingleValueWidget({
            title: index === 0 ? 'KPIs' : 'KPIs (cont.)',
            metrics: part,
            width: 24,
            height: 4,
            sparkline: true,
          }),
      ),
    );
    sections.push(
      input.kpis.map(
        (kpi) =>
          new GraphWidget({
            title: `${kpi.name}${kpi.description !== undefined ? `: ${kpi.description}` : ''}`.slice(0, 200),
            left: kpi.values.map((value) =>
              kpiMetric(metricScope(input), kpi.name, value.metric, { periodMs: kpi.periodMs }),
            ),
            leftAnnotations: kpi.thresholds.map((threshold) => ({
              value: threshold.value,
              label: `${threshold.severity} (${threshold.direction} ${threshold.value})`,
              color: threshold.severity === 'critical' ? Color.RED : Color.ORANGE,
            })),
            width: 8,
          }),
      ),
    );
  }
  sections.push(alarmStatusWidgets('Critical paths', input.criticalPathAlarms));
  sections.push(alarmStatusWidgets('Business and service alarms', input.businessAlarms));
  return sections.filter((section) => section.length > 0);
};

/** Input of {@link engineRoomSections}. */
export interface EngineRoomInput {
  readonly app: string;
  /** CloudWatch namespace of Vigil's metrics (the config's `metricsNamespace`). @default 'Vigil' */
  readonly metricsNamespace?: string;
  /** Rule alarms: each charted with its threshold. */
  readonly ruleAlarms: readonly AlarmBase[];
  /** Resource health widgets, one section per resource (see resourceWidgets). */
  readonly resourceSections: readonly IWidget[][];
  readonly runbooks: ReadonlyMap<string, string>;
}

/**
 * Engine Room (engineers, system health): every rule alarm's metric against its threshold (5xx rate,
 * latency, connections ...), then RED and health widgets per API, Lambda function, queue, database and
 * state machine.
 */
export const engineRoomSections = (input: EngineRoomInput): IWidget[][] => {
  const charts = input.ruleAlarms
    .filter((alarm): alarm is Alarm => alarm instanceof Alarm)
    .map((alarm) => {
      const metric = alarm.metric;
      return new GraphWidget({
        title: alarm.node.id,
        left: [metric],
        ...(metric instanceof MathExpression && metric.expression.startsWith('ANOMALY')
          ? {}
          : { leftAnnotations: [alarm.toAnnotation()] }),
        width: 8,
      });
    });
  return [
    [new TextWidget({ markdown: linksMarkdown(input.app, input.runbooks), width: 24, height: 3 })],
    ...(charts.length > 0 ? [charts] : []),
    ...input.resourceSections,
  ];
};

/** Input of {@link syntheticsSections}. */
export interface SyntheticsInput {
  readonly app: string;
  /** CloudWatch namespace of Vigil's metrics (the config's `metricsNamespace`). @default 'Vigil' */
  readonly metricsNamespace?: string;
  readonly checks: readonly ResolvedCheck[];
  /** The dashboard's region: Apdex (metric math cannot mix regions) is computed from this region's metrics. */
  readonly region: string;
  /** Also chart per-step success and duration (runner metrics `detailed`). */
  readonly detailed: boolean;
}

/**
 * The Apdex expression of a check from its latency thresholds: satisfied = passing runs within T
 * (`degradedAfter`), tolerating = passing runs within F (`failedAfter`, else 4T),
 * `(satisfied + tolerating / 2) / passing runs` (a failed run's `CheckDuration` 0 counts in none).
 *
 * @example
 * apdexExpression(); // 'IF(total > 0, (sat + (tol - sat) / 2) / total, 1)'
 */
export const apdexExpression = (): string => 'IF(total > 0, (sat + (tol - sat) / 2) / total, 1)';

/** Statistics of an Apdex: T and the tolerating bound F. */
export const apdexStatistics = (check: ResolvedCheck): { sat: string; tol: string } | undefined => {
  if (check.degradedAfterMs === undefined) return undefined;
  const tolerating = check.failedAfterMs ?? check.degradedAfterMs * 4;
  return { sat: passingRunsWithin(check.degradedAfterMs), tol: passingRunsWithin(tolerating) };
};

/**
 * A check's success in one region: the percentage of its runs that did not fail (`CheckDuration` values
 * above 0, `PR(0:ceiling)`) over a period of its interval (its failure alarm's, {@link checkFailurePeriodMs}).
 *
 * @example
 * checkSuccessRatio({ app: 'shop', checks, region: 'us-east-1', detailed: false }, check, 'eu-west-1');
 */
export const checkSuccessRatio = (input: SyntheticsInput, check: ResolvedCheck, region: string): IMetric =>
  checkMetric(metricScope(input), check.name, CHECK_METRICS.duration, {
    statistic: CHECK_DURATION_STATISTICS.passingPercent,
    periodMs: checkFailurePeriodMs(check.schedule),
    region,
    label: region,
  });

/** The region a host's certificate metric lives in (its owner's home), else the check's first location. */
const certificateRegion = (checks: readonly ResolvedCheck[], check: ResolvedCheck, host: string): string =>
  certificateOwners(checks, '').find((owner) => owner.host === host.toLowerCase())?.location ??
  check.locations[0] ??
  '';

/**
 * Synthetics: per check, success (%) ({@link checkSuccessRatio}) and duration (passing runs' mean, p95, p99) per location (with the degraded and
 * failed thresholds drawn), Apdex from its latency thresholds, for a `tls` (or TLS `tcp`) check the
 * host certificate's days to expiry against its thresholds, and with `detailed` metrics per-step success and p95
 * duration (a network check's one step included).
 */
export const syntheticsSections = (input: SyntheticsInput): IWidget[][] =>
  input.checks.map((check) => {
    const periodMs = Math.max(60_000, Math.min(3_600_000, check.schedule.everyMs ?? 3_600_000));
    const widgets: IWidget[] = [
      new GraphWidget({
        title: `${check.name}: success (%)`,
        left: check.locations.map((region) => checkSuccessRatio(input, check, region)),
        leftYAxis: { min: 0, max: 100, showUnits: false },
        width: 8,
      }),
      new GraphWidget({
        title: `${check.name}: duration (ms)`,
        left: check.locations.flatMap((region) =>
          DURATION_GRAPH_STATISTICS.map(({ statistic, label }) =>
            checkMetric(metricScope(input), check.name, CHECK_METRICS.duration, {
              statistic,
              periodMs,
              region,
              label: `${region} ${label}`,
            }),
          ),
        ),
        leftAnnotations: [
          ...(check.degradedAfterMs !== undefined
            ? [{ value: check.degradedAfterMs, label: 'degraded', color: Color.ORANGE }]
            : []),
          ...(check.failedAfterMs !== undefined
            ? [{ value: check.failedAfterMs, label: 'failed', color: Color.RED }]
            : []),
        ],
        width: 8,
      }),
    ];
    const apdex = apdexStatistics(check);
    if (apdex !== undefined && check.locations.includes(input.region)) {
      const metric = (statistic: string) =>
        checkMetric(metricScope(input), check.name, CHECK_METRICS.duration, { statistic, periodMs });
      widgets.push(
        new GraphWidget({
          title: `${check.name}: Apdex (T = ${check.degradedAfterMs} ms)`,
          left: [
            new MathExpression({
              expression: apdexExpression(),
              usingMetrics: {
                sat: metric(apdex.sat),
                tol: metric(apdex.tol),
                total: metric(CHECK_DURATION_STATISTICS.passingRuns),
              },
              label: 'Apdex',
            }),
          ],
          leftYAxis: { min: 0, max: 1, showUnits: false },
          width: 8,
        }),
      );
    }
    const probe = check.probe;
    if (probe !== undefined && (probe.type === 'tls' || (probe.type === 'tcp' && probe.tls))) {
      widgets.push(
        new GraphWidget({
          title: `${check.name}: certificate days to expiry`,
          left: [
            certificateMetric(metricScope(input), probe.host.toLowerCase(), {
              statistic: 'Minimum',
              periodMs,
              region: certificateRegion(input.checks, check, probe.host),
              label: probe.host,
            }),
          ],
          leftAnnotations:
            probe.type === 'tls'
              ? [
                  { value: probe.warningDays, label: 'warning', color: Color.ORANGE },
                  { value: probe.criticalDays, label: 'critical', color: Color.RED },
                ]
              : [],
          leftYAxis: { min: 0, showUnits: false },
          width: 8,
        }),
      );
    }
    if (input.detailed) {
      const region = check.locations.includes(input.region) ? input.region : check.locations[0];
      const steps = checkStepNames(check).map((name) => ({ name }));
      widgets.push(
        new GraphWidget({
          title: `${check.name}: steps (${region})`,
          left: steps.map((step) =>
            checkMetric(metricScope(input), check.name, 'StepSuccess', {
              statistic: 'Average',
              periodMs,
              step: step.name,
              label: `${step.name} success`,
              ...(region !== undefined ? { region } : {}),
            }),
          ),
          right: steps.map((step) =>
            checkMetric(metricScope(input), check.name, 'StepDuration', {
              statistic: 'p95',
              periodMs,
              step: step.name,
              label: `${step.name} p95`,
              ...(region !== undefined ? { region } : {}),
            }),
          ),
          width: 24,
        }),
      );
    }
    return widgets;
  });

/** Input of {@link sloSections}. */
export interface SloDashboardInput {
  readonly slos: readonly SloOutputs[];
}

/** SLOs: per SLO the error budget remaining, the burn rates against the 14.4x and 6x lines, and alert status. */
export const sloSections = (input: SloDashboardInput): IWidget[][] =>
  input.slos.map((output) => [
    new GraphWidget({
      title: `${output.slo.name}: error budget remaining (%) — target ${output.slo.target} %`,
      left: [output.budgetRemaining],
      leftAnnotations: [{ value: 0, label: 'budget spent', color: Color.RED }],
      width: 8,
    }),
    new GraphWidget({
      title: `${output.slo.name}: burn rate`,
      left: [...output.burnRates],
      leftAnnotations: [
        { value: 14.4, label: 'page (14.4x)', color: Color.RED },
        { value: 6, label: 'ticket (6x)', color: Color.ORANGE },
      ],
      width: 8,
    }),
    new AlarmStatusWidget({
      title: `${output.slo.name}: alerts`,
      alarms: [...output.alerts.values()],
      width: 8,
      height: 6,
    }),
  ]);

/** Input of {@link vigilSections}. */
export interface VigilDashboardInput {
  readonly app: string;
  /** CloudWatch namespace of Vigil's metrics (the config's `metricsNamespace`). @default 'Vigil' */
  readonly metricsNamespace?: string;
  /** Also chart check retries (`CheckRetries`, runner metrics `detailed`). @default false */
  readonly detailed?: boolean;
  /** Regions the runner runs in. */
  readonly regions: readonly string[];
  /** Vigil's own alarms (runner errors, notification failures, error tracking) in this region, by name. */
  readonly alarms: readonly IAlarm[];
  /** Widgets of error tracking (latest errors) and of the escalation engine, if any. */
  readonly extra: readonly IWidget[][];
}

/** Vigil itself: runner errors per region, check runs, escalation notification failures, alarm status. */
export const vigilSections = (input: VigilDashboardInput): IWidget[][] => {
  const scope = metricScope(input);
  const { app, check } = METRIC_DIMENSIONS;
  // SEARCH schemas quote the namespace: a custom one may hold '/'.
  const checks = `{"${scope.namespace}",${app},${check}}`;
  const ofApp = `${app}="${scope.app}"`;
  const search = (expression: string, label: string, statistic = 'Sum') =>
    new MathExpression({
      expression: `SEARCH('${expression}', '${statistic}', 300)`,
      usingMetrics: {},
      label,
    });
  return [
    [
      new GraphWidget({
        title: 'Runner errors and throttles',
        left: [
          search(`{AWS/Lambda,FunctionName} MetricName="Errors" "${input.app}-synthetics"`, 'errors'),
          search(`{AWS/Lambda,FunctionName} MetricName="Throttles" "${input.app}-synthetics"`, 'throttles'),
        ],
        width: 8,
      }),
      new GraphWidget({
        title: input.detailed ? 'Check runs, passing runs and retries' : 'Check runs and passing runs',
        left: [
          search(
            `${checks} MetricName="${CHECK_METRICS.duration}" ${ofApp}`,
            'runs',
            CHECK_DURATION_STATISTICS.runs,
          ),
          search(
            `${checks} MetricName="${CHECK_METRICS.duration}" ${ofApp}`,
            'passing runs',
            CHECK_DURATION_STATISTICS.passingRuns,
          ),
          ...(input.detailed
            ? [search(`${checks} MetricName="${CHECK_METRICS.retries}" ${ofApp}`, 'retries')]
            : []),
        ],
        width: 8,
      }),
      new GraphWidget({
        title: 'Escalation notifications',
        left: [
          search(
            `{"${scope.namespace}",${app}} MetricName="${ENGINE_METRICS.notificationFailures}" ${ofApp}`,
            'failures',
          ),
          search('{AWS/States,StateMachineArn} MetricName="ExecutionsStarted"', 'executions started'),
        ],
        width: 8,
      }),
    ],
    alarmStatusWidgets(`Vigil's own alarms (${input.regions.join(', ')})`, input.alarms),
    ...input.extra,
  ].filter((section) => section.length > 0);
};

/**
 * Names of the alarms Vigil itself creates, for the Vigil dashboard: the runners' of these regions, and the
 * escalation engine's when there is one (a dashboard naming an alarm nothing creates shows it as missing).
 */
export const vigilAlarmNames = (
  app: string,
  regions: readonly string[],
  options: { readonly escalation: boolean },
): string[] => [
  ...regions.map((region) => alarmName(app, 'vigil', `synthetics-runner-errors-${region}`)),
  ...(options.escalation ? [alarmName(app, 'vigil', 'notification-failures')] : []),
];
