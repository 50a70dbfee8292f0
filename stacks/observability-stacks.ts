import type { App, Environment, Stack } from 'aws-cdk-lib';
import type { ILogGroup } from 'aws-cdk-lib/aws-logs';
import { logGroupLabel } from '../functions/commons/alarm-naming';
import type { ResolvedKpi } from '../functions/commons/config/kpi-schema';
import { resolveChecks } from '../functions/commons/config/resolve-config';
import { resolveKpis } from '../functions/commons/config/resolve-kpis';
import type { VigilConfig } from '../functions/commons/config/schema';
import type { ResolvedCheck } from '../functions/commons/config/types';
import { CheckAlarmExtrasStack } from './check-alarm-extras-stack';
import { CheckAlarmExtras } from './constructs/observability/check-alarm-extras';
import { placeDashboardPages } from './constructs/observability/dashboard-placement';
import { RuleAlarms } from './constructs/observability/rule-alarms';
import { SloAlarms } from './constructs/observability/slo-alarms';
import { DashboardPagesStack } from './dashboard-pages-stack';
import { DashboardsStack } from './dashboards-stack';
import { type LogGroupEntry, ObservabilityAlarmsStack } from './observability-alarms-stack';
import { checksByRegion, planObservabilityAlarms } from './observability-placement';
import { STACK_RESOURCE_BUDGET, splitByCost } from './stack-budget';

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
  readonly dashboards?: DashboardsStack;
  /**
   * Further dashboard pages when one template would pass the size budget: `<app>-observability-2`, `-3` ...,
   * each depending on the one before. Empty for small configs.
   */
  readonly dashboardParts: readonly DashboardPagesStack[];
  /** Every stack above. */
  readonly all: readonly Stack[];
}

/**
 * Builds the observability stacks from a validated config: degraded-latency alarms per region (split by counted resources),
 * rule/SLO/error-tracking alarms in the primary region (split by the resources each construct counts, within
 * `STACK_RESOURCE_BUDGET`, suppression groups kept whole: see observability-placement.ts), and the dashboards (split under 500 widgets / 2,500 metrics each) with the saved
 * queries: one stack, `<app>-observability`, while its estimated template stays under
 * `DASHBOARD_STACK_BUDGET_BYTES`, then further pages in `<app>-observability-2`, `-3` ... (pages placed
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
    const cost = (check: ResolvedCheck) => CheckAlarmExtras.resourcesFor([check]);
    for (const [region, regionChecks] of checksByRegion(checks.filter((check) => cost(check) > 0))) {
      splitByCost(regionChecks, cost, STACK_RESOURCE_BUDGET).forEach((part, index) => {
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
  const parts = planObservabilityAlarms(
    { alarms: config.alarms, slos: config.slos, logGroups: logEntries },
    {
      rule: RuleAlarms.resourcesFor,
      slo: SloAlarms.resourcesPerSlo,
      logGroup: ObservabilityAlarmsStack.resourcesPerLogGroup,
    },
    STACK_RESOURCE_BUDGET,
  );

  const alarms = parts.map(
    (part, index) =>
      new ObservabilityAlarmsStack(app, `${config.app}-observability-alarms-${index + 1}`, {
        env: envFor(ctx.primaryRegion),
        description: `Vigil rule, SLO and error-tracking alarms of ${config.app} (part ${index + 1} of ${parts.length})`,
        app: config.app,
        metricsNamespace: config.metricsNamespace,
        checks,
        alarms: part.alarms,
        alertRules: config.alertRules,
        slos: part.slos,
        logGroups: part.logGroups,
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

  let dashboards: DashboardsStack | undefined;
  const dashboardParts: DashboardPagesStack[] = [];
  const watched = alarms.flatMap((stack) => stack.watchedLogGroups);
  if (config.dashboards.enabled || watched.length > 0) {
    const primary = new DashboardsStack(app, `${config.app}-observability`, {
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
