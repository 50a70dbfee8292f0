import { join } from 'node:path';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { SecurityGroup, Subnet, Vpc } from 'aws-cdk-lib/aws-ec2';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Schedule, ScheduleExpression, ScheduleGroup, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { AWS_LIMITS } from '../../functions/commons/aws-limits';
import { checkSecretNames } from '../../functions/commons/config/check-templates';
import type { SecretRef } from '../../functions/commons/config/types';
import { RUNNER_METRICS } from '../../functions/commons/metrics/metric-catalog';
import { runnerPlan } from '../../functions/synthetics/planning/runner-plan';
import type { RunnerConfig, RunnerEvent } from '../../functions/synthetics/types/runner-config';
import { AlarmFactory } from './alarm-factory';
import { bundledJson } from './bundled-json';
import { appMetric, metricScope } from './observability/metric-sources';
import { secretRefArns } from './secret-arns';
import { VigilFunction } from './vigil-function';

/** VPC placement for runners that must reach private endpoints. */
export interface RunnerVpcPlacement {
  readonly vpcId: string;
  readonly subnetIds: readonly string[];
  readonly securityGroupIds: readonly string[];
}

/** Props for {@link SyntheticsRunner}. */
export interface SyntheticsRunnerProps {
  /** The checks, environment and secret references of one location, validated. */
  readonly runnerConfig: RunnerConfig;
  /** Lambda memory in MB. @default 512 */
  readonly memorySize?: number;
  /** Run inside a VPC. @default no VPC */
  readonly vpc?: RunnerVpcPlacement;
  /** CloudWatch namespace of the check metrics (the config's `metricsNamespace`). @default 'Vigil' */
  readonly metricsNamespace?: string;
}

/** Lambda's hard limit, and the floor we give a runner. */
const MAX_TIMEOUT_S = AWS_LIMITS.lambdaTimeoutSeconds;
const MIN_TIMEOUT_S = 60;

/**
 * The scheduled synthetics runner of one region: one Lambda with the checks bundled in, one EventBridge
 * Scheduler schedule per shard of each distinct schedule (`runnerPlan`: shards grow with the checks' worst
 * case, not one per check), each invoking the function with `{schedule, shard}`,
 * least-privilege access to exactly the secrets the checks reference, a lease table so a shard's runs never
 * overlap, and alarms on the runner's own errors and on skipped runs (monitoring the monitor).
 *
 * @example
 * new SyntheticsRunner(stack, 'Runner', { runnerConfig });
 */
export class SyntheticsRunner extends Construct {
  /** The runner function. */
  public readonly function: VigilFunction;
  /** What the function's bundle carries as `runner-config.json` (for tests that run the handler's code). */
  public readonly runnerConfig: RunnerConfig;
  /** Scheduler schedules by schedule key and shard: `every-1m` (shard 0), `every-1m/1`, ... */
  public readonly schedules: ReadonlyMap<string, Schedule>;
  /** Fires when the runner itself errors or is throttled. */
  public readonly runnerErrorsAlarm: Alarm;
  /** Fires when a shard's run was skipped because its previous run still held the lease. */
  public readonly skippedRunsAlarm: Alarm;
  /** Leases that keep a shard's runs from overlapping. */
  public readonly leaseTable: Table;

  public constructor(scope: Construct, id: string, props: SyntheticsRunnerProps) {
    super(scope, id);
    const { runnerConfig } = props;
    this.runnerConfig = runnerConfig;
    const plans = runnerPlan(runnerConfig);
    // A shard's run takes its start spread plus its worst case; the margin left is Lambda's to return in.
    const worstCaseS = Math.max(
      0,
      ...[...plans.values()].flatMap((plan) =>
        plan.shards.map((shard) => Math.ceil((shard.spreadMs + shard.worstCaseMs) / 1000) + 10),
      ),
    );

    // One item per `{schedule, shard}` while it runs: a run that finds its shard's lease held is skipped.
    this.leaseTable = new Table(this, 'RunLeases', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: 'expiresAt',
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const vpcProps = props.vpc ? this.vpcProps(props.vpc) : {};
    this.function = new VigilFunction(this, 'Function', {
      entry: join(__dirname, '../../functions/synthetics/synthetics-runner-handler.ts'),
      serviceName: runnerConfig.app,
      app: runnerConfig.app,
      metricsNamespace: metricScope({ app: runnerConfig.app, ...props }).namespace,
      description: `Vigil synthetics runner for ${runnerConfig.app} (${runnerConfig.checks.length} checks)`,
      memorySize: props.memorySize ?? 512,
      timeout: Duration.seconds(Math.min(MAX_TIMEOUT_S, Math.max(MIN_TIMEOUT_S, worstCaseS))),
      bundling: { commandHooks: bundledJson('runner-config.json', runnerConfig) },
      environment: {
        RUN_LEASE_TABLE: this.leaseTable.tableName,
        // The engine traces its own requests (a `step` span each); the SDK's global http patch would add a
        // second, automatic subsegment per request and cost CPU on every check.
        POWERTOOLS_TRACER_CAPTURE_HTTPS_REQUESTS: 'false',
      },
      ...vpcProps,
    });
    this.leaseTable.grant(this.function, 'dynamodb:PutItem', 'dynamodb:DeleteItem');
    this.grantSecrets(runnerConfig);

    // One group per region (this stack's), deleted with the stack so a redeploy after `cdk destroy`
    // creates it again under the same name instead of colliding with a retained one.
    const group = new ScheduleGroup(this, 'Schedules', {
      scheduleGroupName: `${runnerConfig.app}-synthetics`,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const target = (event: RunnerEvent) =>
      new LambdaInvoke(this.function, {
        input: ScheduleTargetInput.fromObject(event),
        retryAttempts: 0,
        maxEventAge: Duration.minutes(1),
      });
    const schedules = new Map<string, Schedule>();
    for (const [key, plan] of plans) {
      for (const shard of plan.shards) {
        // Shard 0 keeps the id of the schedule before sharding, so a deploy updates it in place.
        const id = shard.index === 0 ? `Schedule-${key}` : `Schedule-${key}-${shard.index}`;
        const schedule = new Schedule(this, id, {
          scheduleGroup: group,
          description: `${shard.checks.length} check(s) of ${runnerConfig.app} on ${plan.expression}, shard ${shard.index + 1} of ${plan.shards.length}`,
          schedule: ScheduleExpression.expression(plan.expression),
          target: target({ schedule: key, shard: shard.index }),
        });
        // The schedule names its group by a literal name: create the group first.
        schedule.node.addDependency(group);
        schedules.set(shard.index === 0 ? key : `${key}/${shard.index}`, schedule);
      }
    }
    this.schedules = schedules;

    const alarms = new AlarmFactory(this, { app: runnerConfig.app });
    const own = {
      kind: 'vigil',
      team: 'vigil',
      threshold: 1,
      comparison: '>=',
      evaluationPeriods: 1,
    } as const;
    this.runnerErrorsAlarm = alarms.addAlarm('RunnerErrors', {
      ...own,
      name: `synthetics-runner-errors-${runnerConfig.location}`,
      severity: 'critical',
      description: `The Vigil synthetics runner in ${runnerConfig.location} failed to complete: checks are not running.`,
      metric: this.function.metricErrors({ period: Duration.minutes(5) }),
    });
    this.skippedRunsAlarm = alarms.addAlarm('SkippedRuns', {
      ...own,
      name: `synthetics-skipped-runs-${runnerConfig.location}`,
      severity: 'warning',
      description: `A Vigil synthetics shard in ${runnerConfig.location} was still running when its next run fired, so that run was skipped: checks missed a period. Run 'vigil plan' and lower timeouts or add concurrency.`,
      metric: appMetric(metricScope({ app: runnerConfig.app, ...props }), RUNNER_METRICS.skippedRuns, {
        statistic: 'Sum',
        periodMs: 300_000,
      }),
    });

    this.function.acknowledgeInvokeOfVersions('EventBridge Scheduler may invoke only this runner function');
  }

  private vpcProps(vpc: RunnerVpcPlacement) {
    return {
      vpc: Vpc.fromVpcAttributes(this, 'Vpc', {
        vpcId: vpc.vpcId,
        availabilityZones: Stack.of(this).availabilityZones,
      }),
      vpcSubnets: {
        subnets: vpc.subnetIds.map((subnetId, i) => Subnet.fromSubnetId(this, `Subnet${i}`, subnetId)),
      },
      securityGroups: vpc.securityGroupIds.map((sgId, i) =>
        SecurityGroup.fromSecurityGroupId(this, `Sg${i}`, sgId),
      ),
    };
  }

  /**
   * Grants read access to exactly the secrets and parameters the checks reference, wherever they do (steps,
   * `variables`, environment variables): the list the engine resolves at run time.
   */
  private grantSecrets(runnerConfig: RunnerConfig): void {
    const used = new Set(
      runnerConfig.checks.flatMap((check) => checkSecretNames(check, runnerConfig.variables)),
    );
    const refs = [...used].flatMap((name) =>
      Object.hasOwn(runnerConfig.secrets, name) ? [runnerConfig.secrets[name] as SecretRef] : [],
    );
    const { secrets, parameters } = secretRefArns(this, refs);
    if (secrets.length > 0) {
      this.function.addToRolePolicy(
        new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: secrets }),
      );
    }
    if (parameters.length > 0) {
      this.function.addToRolePolicy(
        new PolicyStatement({ actions: ['ssm:GetParameter'], resources: parameters }),
      );
    }
  }
}
