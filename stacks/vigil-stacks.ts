import type { App, Environment } from 'aws-cdk-lib';
import { certificateOwners, certificateWatches } from '../functions/commons/alarm-settings';
import { resolveHeartbeats } from '../functions/commons/config/heartbeat-schema';
import type { ResolvedDatasource, ResolvedKpi } from '../functions/commons/config/kpi-schema';
import { resolveChecks } from '../functions/commons/config/resolve-config';
import { resolveDatasources, resolveKpis } from '../functions/commons/config/resolve-kpis';
import type { VigilConfig } from '../functions/commons/config/schema';
import { ownValue } from '../functions/commons/own-value';
import type { RunnerConfig } from '../functions/synthetics/types/runner-config';
import { CheckAlarmsStack } from './check-alarms-stack';
import { AlarmEventForwarder } from './constructs/alarm-event-forwarder';
import { CheckAlarms } from './constructs/check-alarms';
import { KpiMonitors } from './constructs/kpi-monitors';
import { EscalationStack } from './escalation-stack';
import { HeartbeatStack } from './heartbeat-stack';
import { KpiStack } from './kpi-stack';
import { checksByRegion } from './observability-placement';
import { createObservabilityStacks, type ObservabilityStacks } from './observability-stacks';
import { resourcesIn, STACK_RESOURCE_BUDGET, splitByCost } from './stack-budget';
import { SyntheticsStack } from './synthetics-stack';

/** Options for {@link createVigilStacks}. */
export interface VigilStacksOptions {
  /** Which config environment the deployed checks target. @default config.deploy.environment, else the first */
  readonly environment?: string;
  /** Account to deploy to. @default config.deploy.account, else environment-agnostic */
  readonly account?: string;
}

/** The stacks of one Vigil app. */
export interface VigilStacks {
  readonly primaryRegion: string;
  readonly synthetics: readonly SyntheticsStack[];
  readonly checkAlarms: readonly CheckAlarmsStack[];
  /** KPI monitors in the primary region: runners and the first alarms, then further alarm stacks. */
  readonly kpis: readonly KpiStack[];
  /** The escalation engine, when the config has escalation policies. */
  readonly escalation?: EscalationStack;
  /** Heartbeat monitors in the primary region, when the config has heartbeats. */
  readonly heartbeats?: HeartbeatStack;
  /** Rule/SLO/error alarms, degraded-latency alarms, dashboards and saved queries. */
  readonly observability: ObservabilityStacks;
}

/**
 * Builds every stack from a validated config: per location a synthetics runner stack and its check
 * alarms, and in the primary region the KPI monitors; the per-item resources (alarms) are split across
 * stacks by the resources each construct counts, within {@link STACK_RESOURCE_BUDGET}.
 *
 * @example
 * const app = new App();
 * createVigilStacks(app, loadConfig().config);
 */
export const createVigilStacks = (
  app: App,
  config: VigilConfig,
  options: VigilStacksOptions = {},
): VigilStacks => {
  const environmentName =
    options.environment ?? config.deploy?.environment ?? Object.keys(config.environments)[0];
  const environment =
    environmentName !== undefined ? ownValue(config.environments, environmentName) : undefined;
  if (environmentName === undefined || environment === undefined) {
    throw new Error(
      `unknown environment '${environmentName}': choose one of ${Object.keys(config.environments).join(', ')}`,
    );
  }
  const checks = resolveChecks(config);
  const primaryRegion = config.deploy?.region ?? checks[0]?.locations[0] ?? 'us-east-1';
  const account = options.account ?? config.deploy?.account;
  const envFor = (region: string): Environment => (account !== undefined ? { account, region } : { region });

  const escalates = Object.keys(config.escalation ?? {}).length > 0;
  const byRegion = new Map(checksByRegion(checks));

  const synthetics: SyntheticsStack[] = [];
  const checkAlarms: CheckAlarmsStack[] = [];
  // One certificate metric per host, published by its first check from that check's home location, and
  // one pair of alarms on it there.
  const owners = certificateOwners(checks, environment.baseUrl);
  const watches = certificateWatches(checks, {
    certificate: config.checkAlarms.certificate,
    baseUrl: environment.baseUrl,
  });
  for (const [region, regionChecks] of byRegion) {
    const certificateHosts: Record<string, string[]> = {};
    for (const owner of owners)
      if (owner.location === region)
        certificateHosts[owner.check] = [...(certificateHosts[owner.check] ?? []), owner.host];
    const runnerConfig: RunnerConfig = {
      app: config.app,
      environment: environmentName,
      baseUrl: environment.baseUrl,
      variables: environment.variables,
      concurrency: config.runner.concurrency,
      metrics: config.runner.metrics,
      connections: config.runner.connections,
      location: region,
      secrets: config.secrets,
      checks: regionChecks,
      certificateHosts,
    };
    synthetics.push(
      new SyntheticsStack(app, `${config.app}-synthetics-${region}`, {
        env: envFor(region),
        description: `Vigil synthetic checks of ${config.app} from ${region}`,
        runnerConfig,
        metricsNamespace: config.metricsNamespace,
        memorySize: config.runner.memorySize,
        ...(config.runner.vpc !== undefined ? { vpc: config.runner.vpc } : {}),
      }),
    );
    const regionWatches = watches.filter((watch) => watch.location === region);
    // One forwarder per region is enough: the first alarm stack of a non-primary region carries it.
    const forwards = escalates && region !== primaryRegion;
    splitByCost(
      regionChecks,
      (check) => CheckAlarms.resourcesFor([check], regionWatches),
      STACK_RESOURCE_BUDGET,
      forwards ? AlarmEventForwarder.RESOURCES : 0,
    ).forEach((part, index) => {
      checkAlarms.push(
        new CheckAlarmsStack(app, `${config.app}-check-alarms-${region}-${index + 1}`, {
          env: envFor(region),
          description: `Vigil check alarms of ${config.app} in ${region} (part ${index + 1})`,
          app: config.app,
          metricsNamespace: config.metricsNamespace,
          checks: part,
          certificates: regionWatches.filter((watch) => part.some((check) => check.name === watch.check)),
          ...(index === 0 && forwards ? { primaryRegion } : {}),
        }),
      );
    });
  }
  const kpiList = resolveKpis(config);
  const datasources = resolveDatasources(config);
  const kpis = createKpiStacks(app, config, kpiList, datasources, envFor(primaryRegion));
  const heartbeatList = resolveHeartbeats(config);
  const heartbeats =
    heartbeatList.length > 0
      ? new HeartbeatStack(app, `${config.app}-heartbeats`, {
          env: envFor(primaryRegion),
          description: `Vigil heartbeat monitors of ${config.app}: ping endpoint, evaluator, alarms`,
          app: config.app,
          metricsNamespace: config.metricsNamespace,
          heartbeats: heartbeatList,
        })
      : undefined;
  const escalation = escalates
    ? new EscalationStack(app, `${config.app}-escalation`, {
        env: envFor(primaryRegion),
        description: `Vigil escalation engine of ${config.app}: routing, timed levels, acks, resolution`,
        config,
        // Heartbeat alarms live in the primary region.
        alarmRegions: [...new Set([...byRegion.keys(), ...(heartbeats ? [primaryRegion] : [])])].sort(),
      })
    : undefined;
  const primaryRunner = synthetics.find((stack) => stack.region === primaryRegion)?.runner.function;
  const observability = createObservabilityStacks(app, config, {
    primaryRegion,
    ...(account !== undefined ? { account } : {}),
    checks,
    kpis: kpiList,
    vigilLogGroups: [
      ...(primaryRunner ? [{ label: 'synthetics-runner', logGroup: primaryRunner.logGroup }] : []),
      ...(escalation
        ? Object.entries(escalation.engine.functions).map(([key, fn]) => ({
            label: `escalation-${key}`,
            logGroup: fn.logGroup,
          }))
        : []),
      // The runners live in the first KPI stack.
      ...[...(kpis[0]?.monitors.functions ?? [])].map(([key, fn]) => ({
        label: `kpi-runner-${key}`,
        logGroup: fn.logGroup,
      })),
    ],
    ...(escalation ? { escalationStateMachineArn: escalation.engine.stateMachine.stateMachineArn } : {}),
  });
  return {
    primaryRegion,
    synthetics,
    checkAlarms,
    kpis,
    escalation,
    ...(heartbeats ? { heartbeats } : {}),
    observability,
  };
};

/**
 * The KPI stacks: `<app>-kpis-1` with the runners, schedules and schedule group, then the KPIs' alarms in
 * order, each stack filled to {@link STACK_RESOURCE_BUDGET} by counted resources (the first stack's
 * runners as built, then {@link KpiMonitors.resourcesPerKpi} per KPI). Each further stack depends on the one
 * before, so an alarm moving to a later stack leaves the earlier one before it is created again.
 */
const createKpiStacks = (
  app: App,
  config: Pick<VigilConfig, 'app' | 'metricsNamespace'>,
  kpis: readonly ResolvedKpi[],
  datasources: Readonly<Record<string, ResolvedDatasource>>,
  env: Environment,
): KpiStack[] => {
  if (kpis.length === 0) return [];
  const appName = config.app;
  const stackProps = (index: number) => ({
    env,
    description: `Vigil business KPI monitors of ${appName} (part ${index + 1})`,
    app: appName,
    metricsNamespace: config.metricsNamespace,
    datasources,
  });
  const first = new KpiStack(app, `${appName}-kpis-1`, { ...stackProps(0), kpis, alarmKpis: [] });
  const [firstAlarms = [], ...rest] = splitByCost(
    kpis,
    (kpi) => KpiMonitors.resourcesPerKpi(kpi),
    STACK_RESOURCE_BUDGET,
    resourcesIn(first),
  );
  first.monitors.addAlarms(firstAlarms);
  const stacks = [first];
  rest.forEach((part, index) => {
    const stack = new KpiStack(app, `${appName}-kpis-${index + 2}`, {
      ...stackProps(index + 1),
      kpis: [],
      alarmKpis: part,
    });
    stack.addDependency(stacks[stacks.length - 1]!);
    stacks.push(stack);
  });
  return stacks;
};
