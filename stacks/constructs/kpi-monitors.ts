import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { Alarm, IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import {
  type ISecurityGroup,
  type IVpc,
  SecurityGroup,
  Subnet,
  type SubnetSelection,
  Vpc,
} from 'aws-cdk-lib/aws-ec2';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Schedule, ScheduleExpression, ScheduleGroup, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { AWS_LIMITS } from '../../functions/commons/aws-limits';
import type {
  ResolvedDatasource,
  ResolvedKpi,
  ResolvedPostgresDatasource,
} from '../../functions/commons/config/kpi-schema';
import { KPI_HEALTH_METRICS } from '../../functions/commons/metrics/metric-catalog';
import { ownValue } from '../../functions/commons/own-value';
import {
  KPI_RUNNER_CONFIG_FILE,
  type KpiRunnerConfig,
  type KpiRunnerEvent,
} from '../../functions/kpi/types/runner-config';
import { type AlarmComparison, AlarmFactory, type BandComparison } from './alarm-factory';
import { bundledJson } from './bundled-json';
import { kpiMetric, metricScope } from './observability/metric-sources';
import { secretArns } from './secret-arns';
import { VigilFunction } from './vigil-function';

/** Props for {@link KpiMonitors}. */
export interface KpiMonitorsProps {
  /** The config's app name: alarm names, the `App` metric dimension, tags. */
  readonly app: string;
  /** Resolved KPIs (`resolveKpis(config)`) the runners here run. */
  readonly kpis: readonly ResolvedKpi[];
  /**
   * KPIs whose alarms are created here (the rest go to further constructs, in further stacks, through
   * {@link KpiMonitors.addAlarms}). @default kpis
   */
  readonly alarmKpis?: readonly ResolvedKpi[];
  /** Resolved datasources (`resolveDatasources(config)`). */
  readonly datasources: Readonly<Record<string, ResolvedDatasource>>;
  /** CloudWatch namespace of the KPI metrics (the config's `metricsNamespace`). @default 'Vigil' */
  readonly metricsNamespace?: string;
  /**
   * VPC for runners of PostgreSQL datasources, overriding their `vpc` config (an existing `IVpc` from the
   * app). @default each datasource's `vpc` config (subnets/security groups given, or looked up)
   */
  readonly vpc?: IVpc;
  /** Subnets within `vpc`. @default the VPC's private subnets */
  readonly vpcSubnets?: SubnetSelection;
  /** Security groups within `vpc`. @default a new group allowing outbound traffic only */
  readonly securityGroups?: readonly ISecurityGroup[];
  /** KPIs queried at once per runner. @default the smallest `maxConnections` of the group's datasources */
  readonly concurrency?: number;
  /** Runner memory, MB. @default 512 */
  readonly memorySize?: number;
  /** Runner log retention. @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /** Added to every KPI alarm (e.g. an SNS topic). @default none: the escalation engine routes by tags */
  readonly alarmActions?: readonly IAlarmAction[];
}

interface RunnerGroup {
  readonly key: string;
  readonly expression: string;
  readonly kpis: ResolvedKpi[];
  readonly vpc?: NonNullable<ResolvedPostgresDatasource['vpc']>;
}

/** A KPI threshold's direction as the factory's comparison. */
const THRESHOLD_COMPARISON = { below: '<', above: '>' } as const satisfies Record<string, AlarmComparison>;
/** A KPI anomaly band's direction as the factory's comparison. */
const BAND_COMPARISON = {
  below: 'belowBand',
  above: 'aboveBand',
  outside: 'outsideBand',
} as const satisfies Record<string, BandComparison>;
/** Lambda's hard limit. */
const MAX_TIMEOUT_S = AWS_LIMITS.lambdaTimeoutSeconds;

/**
 * Deploys business KPI monitors: one runner Lambda per schedule group (and VPC placement) triggered by
 * EventBridge Scheduler — no resources per KPI beyond its alarms — one CloudWatch alarm per KPI severity
 * threshold and one `QueryFailed` alarm per KPI, each tagged `vigil:severity/team/app/kind`. Runners may
 * read exactly the secrets their datasources reference, and call the Data API only on the configured
 * clusters. PostgreSQL runners sit in the datasource's VPC when it has one.
 *
 * @example
 * new KpiMonitors(this, 'Kpis', { app: config.app, kpis: resolveKpis(config), datasources: resolveDatasources(config) });
 */
export class KpiMonitors extends Construct {
  /** Runner functions by group key (`every-5m`, `every-5m-vpc-1a2b3c4d`). */
  public readonly functions: ReadonlyMap<string, VigilFunction>;
  /** What each runner's bundle carries as its config file, by group key (for tests that run its code). */
  public readonly runnerConfigs: ReadonlyMap<string, KpiRunnerConfig>;
  /** Schedules by group key. */
  public readonly schedules: ReadonlyMap<string, Schedule>;
  /** The schedule group of the runners' schedules, `<app>-kpis`, when there are runners here. */
  public readonly scheduleGroup?: ScheduleGroup;
  private readonly props: KpiMonitorsProps;
  private readonly created: Alarm[] = [];

  /**
   * CloudFormation resources one KPI's alarms add: one per threshold, one for the anomaly band, one for
   * query failures. Stacks are split by this count (test/stacks/constructs/kpi-monitors.test.ts checks it
   * against the synthesized template).
   *
   * @example
   * KpiMonitors.resourcesPerKpi(kpi); // 5 with three thresholds and a band
   */
  public static resourcesPerKpi(kpi: ResolvedKpi): number {
    return kpi.thresholds.length + (kpi.anomalyBand !== undefined ? 1 : 0) + 1;
  }

  public constructor(scope: Construct, id: string, props: KpiMonitorsProps) {
    super(scope, id);
    this.props = props;
    const namespace = metricScope(props).namespace;
    const groups = this.groupKpis(props);
    const functions = new Map<string, VigilFunction>();
    const runnerConfigs = new Map<string, KpiRunnerConfig>();
    const schedules = new Map<string, Schedule>();
    // One group per app, in the stack of the runners; deleted with it, so a redeploy after `cdk destroy`
    // creates it again under the same name instead of colliding with a retained one.
    const scheduleGroup =
      groups.length > 0
        ? new ScheduleGroup(this, 'Schedules', {
            scheduleGroupName: `${props.app}-kpis`,
            removalPolicy: RemovalPolicy.DESTROY,
          })
        : undefined;
    if (scheduleGroup !== undefined) this.scheduleGroup = scheduleGroup;

    for (const group of groups) {
      const used = [...new Set(group.kpis.map((kpi) => kpi.datasource))].sort();
      const datasources = Object.fromEntries(used.map((name) => [name, ownValue(props.datasources, name)!]));
      const concurrency =
        props.concurrency ??
        Math.min(
          8,
          ...Object.values(datasources).map((source) =>
            source.type === 'postgres' ? source.maxConnections : 8,
          ),
        );
      const runnerConfig: KpiRunnerConfig = {
        app: props.app,
        groups: { [group.key]: group.kpis },
        datasources,
        concurrency,
      };
      const worstMs = Math.max(...group.kpis.map((kpi) => kpi.timeoutMs + 2_000));
      const timeoutS = Math.min(
        MAX_TIMEOUT_S,
        Math.ceil(group.kpis.length / concurrency) * Math.ceil(worstMs / 1000) + 30,
      );
      const verifiesTls = Object.values(datasources).some(
        (source) => source.type === 'postgres' && source.ssl === 'verify-full',
      );
      const fn = new VigilFunction(this, `Runner-${group.key}`, {
        entry: join(__dirname, '../../functions/kpi/kpi-runner-handler.ts'),
        serviceName: `${props.app}-kpi`,
        app: props.app,
        metricsNamespace: namespace,
        description: `Vigil KPI runner for ${props.app}: ${group.kpis.length} KPI(s) on ${group.expression}`,
        memorySize: props.memorySize ?? 512,
        timeout: Duration.seconds(timeoutS),
        ...(props.logRetention !== undefined ? { logRetention: props.logRetention } : {}),
        // Lambda's Node.js runtimes ship the Amazon RDS CA bundle here; TLS verification needs it trusted.
        environment: verifiesTls ? { NODE_EXTRA_CA_CERTS: '/var/runtime/ca-cert.pem' } : {},
        bundling: {
          commandHooks: bundledJson(KPI_RUNNER_CONFIG_FILE, runnerConfig),
          externalModules: ['@aws-sdk/*', 'pg-native'],
        },
        ...this.placement(group, props),
      });
      this.grantDatasources(fn, Object.values(datasources));
      fn.acknowledgeInvokeOfVersions('EventBridge Scheduler may invoke only this KPI runner');
      functions.set(group.key, fn);
      runnerConfigs.set(group.key, runnerConfig);
      const schedule = new Schedule(this, `Schedule-${group.key}`, {
        scheduleGroup,
        description: `${group.kpis.length} KPI(s) of ${props.app} on ${group.expression}`,
        schedule: ScheduleExpression.expression(group.expression),
        target: new LambdaInvoke(fn, {
          input: ScheduleTargetInput.fromObject({ group: group.key } satisfies KpiRunnerEvent),
          retryAttempts: 0,
          maxEventAge: Duration.minutes(5),
        }),
      });
      // The schedule names its group by a literal name: create the group first.
      if (scheduleGroup !== undefined) schedule.node.addDependency(scheduleGroup);
      schedules.set(group.key, schedule);
    }
    this.functions = functions;
    this.runnerConfigs = runnerConfigs;
    this.schedules = schedules;
    this.addAlarms(props.alarmKpis ?? props.kpis);
  }

  /** Every alarm created: thresholds (`<app>-kpi-<name>-<severity>`), anomaly bands and query failures. */
  public get alarms(): readonly Alarm[] {
    return this.created;
  }

  /** Creates the alarms of these KPIs here ({@link KpiMonitors.resourcesPerKpi} resources each). */
  public addAlarms(kpis: readonly ResolvedKpi[]): void {
    const namespace = metricScope(this.props).namespace;
    for (const kpi of kpis) this.created.push(...this.kpiAlarms(kpi, this.props, namespace));
  }

  /** Groups KPIs by schedule, then by VPC placement (a runner sits in at most one VPC). */
  private groupKpis(props: KpiMonitorsProps): RunnerGroup[] {
    const groups = new Map<string, RunnerGroup>();
    for (const kpi of props.kpis) {
      const source = ownValue(props.datasources, kpi.datasource);
      if (!source) throw new Error(`KPI '${kpi.name}': unknown datasource '${kpi.datasource}'`);
      const vpc = props.vpc === undefined && source.type === 'postgres' ? source.vpc : undefined;
      const key = vpc
        ? `${kpi.schedule.key}-${vpc.vpcId.replace(/^vpc-/, 'vpc')}-${createHash('sha256').update(JSON.stringify(vpc)).digest('hex').slice(0, 6)}`
        : kpi.schedule.key;
      const group = groups.get(key) ?? {
        key,
        expression: kpi.schedule.expression,
        kpis: [],
        ...(vpc ? { vpc } : {}),
      };
      group.kpis.push(kpi);
      groups.set(key, group);
    }
    return [...groups.values()];
  }

  private placement(group: RunnerGroup, props: KpiMonitorsProps) {
    const usesPostgres = group.kpis.some(
      (kpi) => ownValue(props.datasources, kpi.datasource)?.type === 'postgres',
    );
    if (props.vpc !== undefined && usesPostgres) {
      return {
        vpc: props.vpc,
        ...(props.vpcSubnets ? { vpcSubnets: props.vpcSubnets } : {}),
        ...(props.securityGroups ? { securityGroups: [...props.securityGroups] } : {}),
      };
    }
    if (!group.vpc) return {};
    const { vpcId, subnetIds, securityGroupIds } = group.vpc;
    const scope = new Construct(this, `Placement-${group.key}`);
    const vpc = subnetIds
      ? Vpc.fromVpcAttributes(scope, 'Vpc', { vpcId, availabilityZones: Stack.of(this).availabilityZones })
      : Vpc.fromLookup(scope, 'Vpc', { vpcId });
    return {
      vpc,
      vpcSubnets: subnetIds
        ? {
            subnets: subnetIds.map((subnetId, index) =>
              Subnet.fromSubnetId(scope, `Subnet${index}`, subnetId),
            ),
          }
        : { onePerAz: true },
      securityGroups: securityGroupIds
        ? securityGroupIds.map((groupId, index) =>
            SecurityGroup.fromSecurityGroupId(scope, `Sg${index}`, groupId),
          )
        : [
            new SecurityGroup(scope, 'Sg', {
              vpc,
              description: `Vigil KPI runner ${group.key}: outbound to the database only`,
              allowAllOutbound: true,
            }),
          ],
    };
  }

  /** `GetSecretValue` on exactly the referenced secrets; Data API calls on exactly the clusters. */
  private grantDatasources(fn: VigilFunction, datasources: readonly ResolvedDatasource[]): void {
    const secrets = new Set<string>();
    const clusters = new Set<string>();
    for (const source of datasources) {
      if (source.type === 'postgres') for (const arn of secretArns(this, source.secretId)) secrets.add(arn);
      else {
        for (const arn of secretArns(this, source.secretArn)) secrets.add(arn);
        clusters.add(source.clusterArn);
      }
    }
    if (secrets.size > 0) {
      fn.addToRolePolicy(
        new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [...secrets].sort() }),
      );
    }
    if (clusters.size > 0) {
      fn.addToRolePolicy(
        new PolicyStatement({
          actions: [
            'rds-data:BeginTransaction',
            'rds-data:ExecuteStatement',
            'rds-data:RollbackTransaction',
            'rds-data:CommitTransaction',
          ],
          resources: [...clusters].sort(),
        }),
      );
    }
  }

  private kpiAlarms(kpi: ResolvedKpi, props: KpiMonitorsProps, namespace: string): Alarm[] {
    const factory = new AlarmFactory(this, {
      app: props.app,
      ...(props.alarmActions !== undefined ? { alarmActions: props.alarmActions } : {}),
    });
    const identity = {
      kind: 'kpi',
      team: kpi.team,
      severityInName: true,
      ...(kpi.runbookUrl !== undefined ? { runbookUrl: kpi.runbookUrl } : {}),
    } as const;
    const evaluation = {
      evaluationPeriods: kpi.evaluationPeriods,
      datapointsToAlarm: kpi.datapointsToAlarm,
      missingData: kpi.missingData,
    };
    const metric = (metricName: string, statistic: string) =>
      kpiMetric({ app: props.app, namespace }, kpi.name, metricName, {
        periodMs: kpi.periodMs,
        statistic,
        label: false,
      });
    const alarms: Alarm[] = kpi.thresholds.map((threshold) =>
      factory.addAlarm(`Alarm-${kpi.name}-${threshold.severity}`, {
        ...identity,
        ...evaluation,
        name: kpi.name,
        severity: threshold.severity,
        description: `KPI ${kpi.name}: ${kpi.alarmOn} ${threshold.direction} ${threshold.value} (${threshold.severity}, team ${kpi.team}).`,
        metric: metric(kpi.alarmOn, threshold.direction === 'below' ? 'Minimum' : 'Maximum'),
        threshold: threshold.value,
        comparison: THRESHOLD_COMPARISON[threshold.direction],
      }),
    );
    if (kpi.anomalyBand !== undefined) {
      const band = kpi.anomalyBand;
      alarms.push(
        factory.addBandAlarm(`Alarm-${kpi.name}-anomaly`, {
          ...identity,
          ...evaluation,
          name: `${kpi.name}-anomaly`,
          severity: band.severity,
          description: `KPI ${kpi.name}: ${kpi.alarmOn} ${band.direction} its expected band (${band.width} standard deviations, ${band.severity}, team ${kpi.team}).`,
          metric: metric(kpi.alarmOn, 'Average'),
          stdDevs: band.width,
          comparison: BAND_COMPARISON[band.direction],
        }),
      );
    }
    alarms.push(
      factory.addAlarm(`Alarm-${kpi.name}-query-failed`, {
        ...identity,
        name: `${kpi.name}-query-failed`,
        severity: kpi.failureSeverity,
        description: `KPI ${kpi.name} could not be measured: its query failed or stopped reporting (team ${kpi.team}).`,
        metric: metric(KPI_HEALTH_METRICS.failed, 'Maximum'),
        threshold: 1,
        comparison: '>=',
        evaluationPeriods: 1,
        // No QueryFailed datapoint at all means the runner did not run: that must page too.
        missingData: 'breaching',
      }),
    );
    return alarms;
  }
}
