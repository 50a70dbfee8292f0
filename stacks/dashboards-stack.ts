import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { IWidget } from 'aws-cdk-lib/aws-cloudwatch';
import type { ILogGroup } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { alarmName } from '../functions/commons/alarm-naming';
import type { ResolvedKpi } from '../functions/commons/config/kpi-schema';
import type { VigilConfig } from '../functions/commons/config/schema';
import type { ResolvedCheck } from '../functions/commons/config/types';
import {
  DASHBOARD_STACK_BUDGET_BYTES,
  STACK_OVERHEAD_BYTES,
} from './constructs/observability/dashboard-placement';
import {
  type DashboardPage,
  planDashboard,
  renderPages,
  type SplitDashboard,
} from './constructs/observability/dashboard-splitter';
import {
  alarmByName,
  controlTowerSections,
  engineRoomSections,
  sloSections,
  syntheticsSections,
  vigilAlarmNames,
  vigilSections,
} from './constructs/observability/dashboards';
import { LogQueries } from './constructs/observability/log-queries';
import { type EngineRoomResources, resourceWidgets } from './constructs/observability/resource-widgets';
import type { ObservabilityAlarmsStack } from './observability-alarms-stack';

/** Estimated template bytes of the saved queries: three definitions, each listing the log groups. */
const queryBytes = (logGroups: number): number => 3 * (1_500 + 300 * logGroups);

/** Props for {@link DashboardsStack}. */
export interface DashboardsStackProps extends StackProps {
  readonly config: VigilConfig;
  readonly checks: readonly ResolvedCheck[];
  readonly kpis: readonly ResolvedKpi[];
  readonly alarmParts: readonly ObservabilityAlarmsStack[];
  readonly primaryRegion: string;
  readonly logGroups: readonly ILogGroup[];
  readonly escalationStateMachineArn?: string;
  /** Estimated template bytes a stack may hold. @default DASHBOARD_STACK_BUDGET_BYTES */
  readonly budgetBytes?: number;
}

/**
 * The dashboards (Control Tower, Engine Room, Synthetics, SLOs, Vigil) and the saved Logs Insights queries,
 * in the primary region. Each dashboard splits into pages under 500 widgets and 2,500 metrics and under a
 * template-size budget; the stack builds every page's widgets and plans the pages, then holds the saved
 * queries and those pages {@link DashboardsStack.addPages} gives it (the rest go to
 * `DashboardPagesStack`s). Alarms are referenced by name, so no cross-stack exports grow with the
 * alarm count.
 */
export class DashboardsStack extends Stack {
  /** Every planned page of each dashboard, by kind, wherever it is placed. */
  public readonly dashboards: ReadonlyMap<string, readonly DashboardPage[]>;
  /** Every planned page, in order (Control Tower, Engine Room, Synthetics, SLOs, Vigil). */
  public readonly pages: readonly DashboardPage[];
  /** Estimated template bytes of this stack's content besides dashboards (the saved queries). */
  public readonly baseBytes: number;
  /** Pages placed in this stack, by kind. */
  public placed: ReadonlyMap<string, SplitDashboard> = new Map();

  public constructor(scope: Construct, id: string, props: DashboardsStackProps) {
    super(scope, id, props);
    const { config } = props;
    const app = config.app;
    if (props.logGroups.length > 0) new LogQueries(this, 'Queries', { app, logGroups: props.logGroups });
    this.baseBytes = props.logGroups.length > 0 ? queryBytes(props.logGroups.length) : 0;
    const dashboards = new Map<string, DashboardPage[]>();
    this.dashboards = dashboards;
    this.pages = [];
    if (!config.dashboards.enabled) return;
    const limits = {
      maxWidgets: config.dashboards.maxWidgets,
      maxMetrics: config.dashboards.maxMetrics,
      maxBytes: (props.budgetBytes ?? DASHBOARD_STACK_BUDGET_BYTES) - STACK_OVERHEAD_BYTES,
    };
    const region = props.primaryRegion;
    const runbooks = new Map<string, string>();
    for (const check of props.checks)
      if (check.runbookUrl !== undefined) runbooks.set(check.group ?? check.name, check.runbookUrl);
    for (const part of props.alarmParts) {
      for (const [name, route] of part.rules.routing)
        if (route.runbookUrl !== undefined) runbooks.set(name, route.runbookUrl);
    }
    let ids = 0;
    const byName = (name: string) => alarmByName(this, `A${ids++}`, name);

    const critical =
      config.dashboards.criticalPaths ??
      props.checks.filter((c) => c.severity === 'critical').map((c) => c.name);
    const criticalPathAlarms = props.checks
      .filter((check) => critical.includes(check.name) && check.locations.includes(region))
      .map((check) => byName(alarmName(app, 'check', check.name)));
    const businessAlarms = [
      ...props.alarmParts.flatMap((part) =>
        [...part.rules.routing]
          .filter(([, route]) => route.severity === 'critical')
          .map(([name]) => byName(alarmName(app, 'rule', name))),
      ),
      ...config.slos.map((slo) => byName(alarmName(app, 'slo', `${slo.name}-page`, slo.pageSeverity))),
    ];
    const add = (kind: string, title: string, sections: readonly (readonly IWidget[])[], range?: Duration) =>
      dashboards.set(
        kind,
        planDashboard(this, {
          dashboardName: `${app}-${kind}`,
          header: `# ${title} — ${app}`,
          sections,
          limits,
          ...(range !== undefined ? { range } : {}),
        }),
      );

    add(
      'control-tower',
      'Control Tower (business health)',
      controlTowerSections({
        app,
        metricsNamespace: config.metricsNamespace,
        kpis: props.kpis,
        criticalPathAlarms,
        businessAlarms,
        runbooks,
      }),
    );

    const resources = engineRoomResources(config);
    add(
      'engine-room',
      'Engine Room (system health)',
      engineRoomSections({
        app,
        metricsNamespace: config.metricsNamespace,
        ruleAlarms: props.alarmParts.flatMap((part) => [...part.rules.metricAlarms.values()]),
        resourceSections: resourceWidgets(this, {
          ...resources,
          stateMachineArns: [
            ...resources.stateMachineArns,
            ...(props.escalationStateMachineArn !== undefined ? [props.escalationStateMachineArn] : []),
          ],
        }),
        runbooks,
      }),
    );
    add(
      'synthetics',
      'Synthetics',
      syntheticsSections({
        app,
        metricsNamespace: config.metricsNamespace,
        checks: props.checks,
        region,
        detailed: config.runner.metrics === 'detailed',
      }),
    );
    if (config.slos.length > 0) {
      const longest = Math.max(...config.slos.map((slo) => slo.window));
      add(
        'slos',
        'SLOs',
        sloSections({ slos: props.alarmParts.flatMap((part) => part.slos.outputs) }),
        Duration.millis(longest),
      );
    }
    const regions = [...new Set(props.checks.flatMap((check) => check.locations))].sort();
    const extra: IWidget[][] = props.alarmParts
      .map((part) => part.errors.latestErrorsWidget)
      .filter((widget): widget is NonNullable<typeof widget> => widget !== undefined)
      .slice(0, 1)
      .map((widget) => [widget]);
    const vigilAlarms = [
      ...vigilAlarmNames(
        app,
        regions.filter((r) => r === region),
        { escalation: props.escalationStateMachineArn !== undefined },
      ),
      ...props.alarmParts.flatMap((part) =>
        [...part.errors.alarms.values()].flatMap((pair) => [pair.newErrors.alarmName, pair.rising.alarmName]),
      ),
    ];
    add(
      'vigil',
      'Vigil itself',
      vigilSections({
        app,
        metricsNamespace: config.metricsNamespace,
        detailed: config.runner.metrics === 'detailed',
        regions,
        alarms: vigilAlarms.map(byName),
        extra,
      }),
    );
    this.pages = [...dashboards.values()].flat();
  }

  /** Renders planned pages (of {@link DashboardsStack.pages}) as dashboards in this stack. */
  public addPages(pages: readonly DashboardPage[]): void {
    this.placed = renderPages(this, this.dashboards, pages);
  }
}

/** The AWS resources the Engine Room shows: those the rule alarms watch plus `dashboards.resources`. */
export const engineRoomResources = (config: VigilConfig): EngineRoomResources => {
  const extra = config.dashboards.resources;
  const unique = <T>(items: T[], key: (item: T) => string = String): T[] => [
    ...new Map(items.map((item) => [key(item), item])).values(),
  ];
  const alarms = config.alarms;
  return {
    lambdaFunctions: unique([
      ...alarms.flatMap((a) => (a.type === 'lambda' ? [a.functionName] : [])),
      ...extra.lambdaFunctions,
    ]),
    queues: unique([...alarms.flatMap((a) => (a.type === 'queue' ? [a.queueName] : [])), ...extra.queues]),
    apis: unique(
      [
        ...alarms.flatMap((a) =>
          (a.type === 'errorRate' || a.type === 'latency') && a.api !== undefined ? [a.api] : [],
        ),
        ...extra.apis,
      ],
      (api) => `${api.apiName}/${api.stage ?? ''}`,
    ),
    dbInstances: unique([
      ...alarms.flatMap((a) =>
        a.type === 'databaseConnections' && a.dbInstance !== undefined ? [a.dbInstance] : [],
      ),
      ...extra.dbInstances,
    ]),
    dbClusters: unique(
      alarms.flatMap((a) =>
        a.type === 'databaseConnections' && a.dbCluster !== undefined ? [a.dbCluster] : [],
      ),
    ),
    stateMachineArns: unique([...extra.stateMachineArns]),
  };
};
