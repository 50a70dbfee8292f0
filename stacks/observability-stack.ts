import { type App, Duration, type Environment, Stack, type StackProps } from 'aws-cdk-lib';
import type { IWidget } from 'aws-cdk-lib/aws-cloudwatch';
import type { ILogGroup } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { alarmName, logGroupLabel } from '../functions/commons/alarm-naming';
import { chunk } from '../functions/commons/chunk';
import type { ResolvedKpi } from '../functions/commons/config/kpi-schema';
import type { RuleAlarmConfig } from '../functions/commons/config/observability-schema';
import { resolveChecks } from '../functions/commons/config/resolve-config';
import { resolveKpis } from '../functions/commons/config/resolve-kpis';
import type { VigilConfig } from '../functions/commons/config/schema';
import type { ResolvedCheck } from '../functions/commons/config/types';
import { CheckAlarmExtrasStack } from './check-alarm-extras-stack';
import {
  DASHBOARD_STACK_BUDGET_BYTES,
  placeDashboardPages,
  STACK_OVERHEAD_BYTES,
} from './constructs/observability/dashboard-placement';
import {
  type DashboardPage,
  planDashboard,
  SplitDashboard,
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
import { type LogGroupEntry, ObservabilityAlarmsStack } from './observability-alarms-stack';

/** What {@link createObservabilityStacks} needs beyond the config. */
export interface ObservabilityContext {
  /** Region of the shared alarms and dashboards. */
  readonly primaryRegion: string;
  /** Account to deploy to. @default environment-agnostic */
  readonly account?: string;
  /** The resolved checks. @default resolveChecks(config) */
  readonly checks?: readonly ResolvedCheck[];
  /** The resolved KPIs. @default resolveKpis(config) */
  readonly kpis?: readonly ResolvedKpi[];
  /**
   * Log groups of Vigil's own functions in the primary region (runner, KPI monitors, escalation), labelled,
   * for error tracking and the saved queries. @default none
   */
  readonly vigilLogGroups?: readonly { readonly label: string; readonly logGroup: ILogGroup }[];
  /** The escalation state machine, charted on the Vigil dashboard. @default none */
  readonly escalationStateMachineArn?: string;
}

/** The observability stacks of one app. */
export interface ObservabilityStacks {
  /** Degraded-latency alarms per region, in chunks. */
  readonly checkExtras: readonly CheckAlarmExtrasStack[];
  /** Rule, SLO and error-tracking alarms in the primary region, in parts. */
  readonly alarms: readonly ObservabilityAlarmsStack[];
  /**
   * Saved queries and the first dashboard pages, when dashboards are enabled or there are log groups to
   * query. Named `<app>-observability`.
   */
  readonly dashboards?: ObservabilityStack;
  /**
   * Further dashboard pages when one template would pass the size budget: `<app>-observability-2`, `-3` ...,
   * each depending on the one before. Empty for small configs.
   */
  readonly dashboardParts: readonly DashboardPagesStack[];
  /** Every stack above. */
  readonly all: readonly Stack[];
}

/** Resources per alarms part: under CloudFormation's 500, with room for CDK metadata. */
export const MAX_RESOURCES_PER_PART = 400;

/**
 * Groups rule alarms into suppression groups (an alarm with everything it suppresses or is suppressed by),
 * so a composite and its suppressors always land in the same stack.
 *
 * @example
 * suppressionGroups(config.alarms).length; // number of independent groups
 */
export const suppressionGroups = (alarms: readonly RuleAlarmConfig[]): RuleAlarmConfig[][] => {
  const parent = new Map(alarms.map((alarm) => [alarm.name, alarm.name]));
  const find = (name: string): string => {
    let root = name;
    while (parent.get(root) !== root && parent.get(root) !== undefined) root = parent.get(root) as string;
    return root;
  };
  for (const alarm of alarms) {
    for (const other of alarm.suppressedBy) if (parent.has(other)) parent.set(find(other), find(alarm.name));
  }
  const groups = new Map<string, RuleAlarmConfig[]>();
  for (const alarm of alarms) groups.set(find(alarm.name), [...(groups.get(find(alarm.name)) ?? []), alarm]);
  return [...groups.values()];
};

/** CloudFormation resources one rule alarm takes: the alarm, plus a composite when suppressed (and an OR). */
export const ruleAlarmResources = (alarm: RuleAlarmConfig): number =>
  1 + (alarm.suppressedBy.length > 0 ? 1 : 0) + (alarm.suppressedBy.length > 1 ? 1 : 0);

/** Resources per SLO: four window alarms and two composites. */
export const SLO_RESOURCES = 6;
/** Resources per watched log group: two metric filters and two alarms (plus the group, when Vigil creates it). */
export const LOG_GROUP_RESOURCES = 4;

/** Estimated template bytes of the saved queries: three definitions, each listing the log groups. */
const queryBytes = (logGroups: number): number => 3 * (1_500 + 300 * logGroups);

/** Renders the placed pages of each planned dashboard in `scope`, one {@link SplitDashboard} per kind. */
const renderPages = (
  scope: Construct,
  plans: ReadonlyMap<string, readonly DashboardPage[]>,
  placed: readonly DashboardPage[],
): Map<string, SplitDashboard> => {
  const here = new Set(placed);
  const rendered = new Map<string, SplitDashboard>();
  for (const [kind, pages] of plans) {
    const mine = pages.filter((page) => here.has(page));
    if (mine.length > 0) rendered.set(kind, new SplitDashboard(scope, kind, { pages: mine }));
  }
  return rendered;
};

/** Props for {@link ObservabilityStack}. */
export interface ObservabilityStackProps extends StackProps {
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
 * queries and those pages {@link ObservabilityStack.addPages} gives it (the rest go to
 * {@link DashboardPagesStack}s). Alarms are referenced by name, so no cross-stack exports grow with the
 * alarm count.
 */
export class ObservabilityStack extends Stack {
  /** Every planned page of each dashboard, by kind, wherever it is placed. */
  public readonly dashboards: ReadonlyMap<string, readonly DashboardPage[]>;
  /** Every planned page, in order (Control Tower, Engine Room, Synthetics, SLOs, Vigil). */
  public readonly pages: readonly DashboardPage[];
  /** Estimated template bytes of this stack's content besides dashboards (the saved queries). */
  public readonly baseBytes: number;
  /** Pages placed in this stack, by kind. */
  public placed: ReadonlyMap<string, SplitDashboard> = new Map();

  public constructor(scope: Construct, id: string, props: ObservabilityStackProps) {
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

  /** Renders planned pages (of {@link ObservabilityStack.pages}) as dashboards in this stack. */
  public addPages(pages: readonly DashboardPage[]): void {
    this.placed = renderPages(this, this.dashboards, pages);
  }
}

/** Props for {@link DashboardPagesStack}. */
export interface DashboardPagesStackProps extends StackProps {
  /** The planned pages of every dashboard, by kind (see {@link ObservabilityStack.dashboards}). */
  readonly plans: ReadonlyMap<string, readonly DashboardPage[]>;
  /** The pages this stack holds. */
  readonly pages: readonly DashboardPage[];
}

/**
 * Dashboard pages that did not fit in the {@link ObservabilityStack}'s template: the same dashboards and
 * construct ids (`<kind>/Page<n>`), in a further stack of the primary region.
 */
export class DashboardPagesStack extends Stack {
  /** Pages placed in this stack, by kind. */
  public readonly placed: ReadonlyMap<string, SplitDashboard>;

  public constructor(scope: Construct, id: string, props: DashboardPagesStackProps) {
    super(scope, id, props);
    this.placed = renderPages(this, props.plans, props.pages);
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

/**
 * Builds the observability stacks from a validated config: degraded-latency alarms per region (chunked),
 * rule/SLO/error-tracking alarms in the primary region (split into parts under 500 resources, suppression
 * groups kept whole), and the dashboards (split under 500 widgets / 2,500 metrics each) with the saved
 * queries: one stack, `<app>-observability`, while its estimated template stays under
 * {@link DASHBOARD_STACK_BUDGET_BYTES}, then further pages in `<app>-observability-2`, `-3` ... (pages placed
 * in order; dashboard names do not depend on the placement). Called from `createVigilStacks`.
 *
 * @example
 * createObservabilityStacks(app, config, { primaryRegion: 'us-east-1' });
 */
export const createObservabilityStacks = (
  app: App,
  config: VigilConfig,
  ctx: ObservabilityContext,
): ObservabilityStacks => {
  const checks = ctx.checks ?? resolveChecks(config);
  const kpis = ctx.kpis ?? resolveKpis(config);
  const envFor = (region: string): Environment =>
    ctx.account !== undefined ? { account: ctx.account, region } : { region };
  const all: Stack[] = [];

  const checkExtras: CheckAlarmExtrasStack[] = [];
  if (config.checkAlarms.degraded) {
    const byRegion = new Map<string, ResolvedCheck[]>();
    for (const check of checks) {
      if (check.degradedAfterMs === undefined || check.schedule.everyMs === undefined) continue;
      for (const region of check.locations) byRegion.set(region, [...(byRegion.get(region) ?? []), check]);
    }
    for (const [region, regionChecks] of [...byRegion].sort(([a], [b]) => a.localeCompare(b))) {
      chunk(regionChecks, CheckAlarmExtrasStack.MAX_ALARMS).forEach((part, index) => {
        const stack = new CheckAlarmExtrasStack(app, `${config.app}-check-degraded-${region}-${index + 1}`, {
          env: envFor(region),
          description: `Vigil degraded-latency alarms of ${config.app} in ${region} (part ${index + 1})`,
          app: config.app,
          metricsNamespace: config.metricsNamespace,
          checks: part,
        });
        checkExtras.push(stack);
        all.push(stack);
      });
    }
  }

  type Unit = {
    cost: number;
    alarms?: RuleAlarmConfig[];
    slo?: (typeof config.slos)[number];
    log?: LogGroupEntry;
  };
  const logEntries: LogGroupEntry[] = [
    ...(config.errorTracking.vigilFunctions
      ? (ctx.vigilLogGroups ?? []).map((g) => ({ ...g, owner: 'vigil' as const }))
      : []),
    ...config.errorTracking.logGroups.map((entry) => {
      const name = typeof entry === 'string' ? entry : entry.name;
      const create = typeof entry !== 'string' && entry.create;
      return { label: logGroupLabel(name), name, owner: 'user' as const, ...(create ? { create } : {}) };
    }),
  ];
  const units: Unit[] = [
    ...suppressionGroups(config.alarms).map((group) => ({
      alarms: group,
      cost: group.reduce((sum, a) => sum + ruleAlarmResources(a), 0),
    })),
    ...config.slos.map((slo) => ({ slo, cost: SLO_RESOURCES })),
    ...logEntries.map((log) => ({ log, cost: LOG_GROUP_RESOURCES + (log.create ? 1 : 0) })),
  ];
  const parts: Unit[][] = [];
  let current: Unit[] = [];
  let used = 0;
  for (const unit of units) {
    if (used + unit.cost > MAX_RESOURCES_PER_PART && current.length > 0) {
      parts.push(current);
      current = [];
      used = 0;
    }
    current.push(unit);
    used += unit.cost;
  }
  if (current.length > 0) parts.push(current);

  const alarms = parts.map(
    (part, index) =>
      new ObservabilityAlarmsStack(app, `${config.app}-observability-alarms-${index + 1}`, {
        env: envFor(ctx.primaryRegion),
        description: `Vigil rule, SLO and error-tracking alarms of ${config.app} (part ${index + 1} of ${parts.length})`,
        app: config.app,
        metricsNamespace: config.metricsNamespace,
        checks,
        alarms: part.flatMap((unit) => unit.alarms ?? []),
        alertRules: config.alertRules,
        slos: part.flatMap((unit) => (unit.slo !== undefined ? [unit.slo] : [])),
        logGroups: part.flatMap((unit) => (unit.log !== undefined ? [unit.log] : [])),
        errorTracking: {
          threshold: config.errorTracking.threshold,
          risingBand: config.errorTracking.risingBand,
          severity: config.errorTracking.severity,
          ...(config.errorTracking.team !== undefined ? { team: config.errorTracking.team } : {}),
        },
        defaultTeam: config.defaults.team ?? 'default',
        region: ctx.primaryRegion,
      }),
  );
  all.push(...alarms);

  let dashboards: ObservabilityStack | undefined;
  const dashboardParts: DashboardPagesStack[] = [];
  const watched = alarms.flatMap((stack) => stack.watchedLogGroups);
  if (config.dashboards.enabled || watched.length > 0) {
    const primary = new ObservabilityStack(app, `${config.app}-observability`, {
      env: envFor(ctx.primaryRegion),
      description: `Vigil dashboards and saved Logs Insights queries of ${config.app}`,
      config,
      checks,
      kpis,
      alarmParts: alarms,
      primaryRegion: ctx.primaryRegion,
      logGroups: watched.map((entry) => entry.logGroup),
      ...(ctx.escalationStateMachineArn !== undefined
        ? { escalationStateMachineArn: ctx.escalationStateMachineArn }
        : {}),
    });
    dashboards = primary;
    all.push(primary);
    const [first = [], ...rest] = placeDashboardPages(primary.pages, { firstStackBytes: primary.baseBytes });
    primary.addPages(first);
    let previous: Stack = primary;
    rest.forEach((pages, index) => {
      const part = new DashboardPagesStack(app, `${config.app}-observability-${index + 2}`, {
        env: envFor(ctx.primaryRegion),
        description: `Vigil dashboards of ${config.app} (part ${index + 2} of ${rest.length + 1})`,
        plans: primary.dashboards,
        pages,
      });
      // In order, so a page moving to a later stack leaves the earlier one before it is created again.
      part.addStackDependency(previous);
      previous = part;
      dashboardParts.push(part);
      all.push(part);
    });
  }
  return { checkExtras, alarms, ...(dashboards !== undefined ? { dashboards } : {}), dashboardParts, all };
};
