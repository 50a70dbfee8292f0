import { ContextProvider, RemovalPolicy, Stack, type StackProps, Token } from 'aws-cdk-lib';
import { type ILogGroup, LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { ContextProvider as ContextProviderName } from 'aws-cdk-lib/cloud-assembly-schema';
import type { Construct } from 'constructs';
import type { AlertRuleConfig } from '../functions/commons/config/escalation-schema';
import type { RuleAlarmConfig, SloConfig } from '../functions/commons/config/observability-schema';
import type { ResolvedCheck } from '../functions/commons/config/types';
import type { Severity } from '../functions/commons/severity';
import { ErrorTracking, type WatchedLogGroup } from './constructs/observability/error-tracking';
import { RuleAlarms } from './constructs/observability/rule-alarms';
import { SloAlarms } from './constructs/observability/slo-alarms';

/**
 * A log group to watch: a construct (Vigil's own functions, same region) or a name (the user's: an existing
 * log group Vigil does not own, or one it creates when `create` is set).
 */
export interface LogGroupEntry {
  readonly label: string;
  readonly owner: 'vigil' | 'user';
  readonly logGroup?: ILogGroup;
  readonly name?: string;
  /** Create the named log group here (one month retention, deleted with the stack). @default false */
  readonly create?: boolean;
}

/** Props for {@link ObservabilityAlarmsStack}. */
export interface ObservabilityAlarmsStackProps extends StackProps {
  readonly app: string;
  /** CloudWatch namespace of Vigil's metrics (the config's `metricsNamespace`). @default 'Vigil' */
  readonly metricsNamespace?: string;
  readonly checks: readonly ResolvedCheck[];
  /** Rule alarms of this part (whole suppression groups). */
  readonly alarms: readonly RuleAlarmConfig[];
  readonly alertRules: readonly AlertRuleConfig[];
  readonly slos: readonly SloConfig[];
  /** Log groups to watch: Vigil's own (constructs) or the user's (by name). */
  readonly logGroups: readonly LogGroupEntry[];
  readonly errorTracking: {
    readonly threshold: number;
    readonly risingBand: number;
    readonly severity: Severity;
    readonly team?: string;
  };
  readonly defaultTeam: string;
  /** The region of this stack (checks that alarms watch must run there). */
  readonly region: string;
}

/**
 * One part of the rule-catalog alarms, SLO burn-rate alarms and error tracking, in the primary region.
 * {@link createObservabilityStacks} splits them into parts under CloudFormation's 500-resource limit,
 * keeping every suppression group (an alarm and its suppressors) in one part.
 */
export class ObservabilityAlarmsStack extends Stack {
  /**
   * CloudFormation resources one watched log group adds to this stack: error tracking's, plus the log group
   * itself when Vigil creates it.
   *
   * @example
   * ObservabilityAlarmsStack.resourcesPerLogGroup({ label: 'orders', owner: 'user', name: 'orders', create: true }); // 5
   */
  public static resourcesPerLogGroup(entry: Pick<LogGroupEntry, 'create'>): number {
    return ErrorTracking.RESOURCES_PER_LOG_GROUP + (entry.create === true ? 1 : 0);
  }

  public readonly rules: RuleAlarms;
  public readonly slos: SloAlarms;
  public readonly errors: ErrorTracking;
  /** The log groups error tracking watches here. */
  public readonly watchedLogGroups: readonly WatchedLogGroup[];

  public constructor(scope: Construct, id: string, props: ObservabilityAlarmsStackProps) {
    super(scope, id, props);
    this.rules = new RuleAlarms(this, 'Rules', {
      app: props.app,
      metricsNamespace: props.metricsNamespace,
      alarms: props.alarms,
      alertRules: props.alertRules,
      checks: props.checks,
      defaultTeam: props.defaultTeam,
      region: props.region,
    });
    this.slos = new SloAlarms(this, 'Slos', {
      app: props.app,
      metricsNamespace: props.metricsNamespace,
      slos: props.slos,
      checks: props.checks,
      defaultTeam: props.defaultTeam,
      region: props.region,
    });
    this.watchedLogGroups = props.logGroups.map((entry, index) => ({
      label: entry.label,
      owner: entry.owner,
      logGroup: entry.logGroup ?? this.userLogGroup(entry, index),
    }));
    this.errors = new ErrorTracking(this, 'Errors', {
      app: props.app,
      metricsNamespace: props.metricsNamespace,
      logGroups: this.watchedLogGroups,
      threshold: props.errorTracking.threshold,
      risingBand: props.errorTracking.risingBand,
      severity: props.errorTracking.severity,
      ...(props.errorTracking.team !== undefined ? { team: props.errorTracking.team } : {}),
    });
  }

  /**
   * A user's log group by name: created here on request (so it can be deleted with the stack and created
   * again on the next deploy), else referenced, declared external: it must exist before the deploy. When
   * the account is known (`cdk synth` with credentials), a Cloud Control context lookup checks that it
   * does: the synth fails naming the log group instead of the deploy failing on its metric filters.
   */
  private userLogGroup(entry: LogGroupEntry, index: number): ILogGroup {
    const name = entry.name ?? entry.label;
    if (!entry.create) {
      if (!Token.isUnresolved(this.account)) {
        ContextProvider.getValue(this, {
          provider: ContextProviderName.CC_API_PROVIDER,
          props: { typeName: 'AWS::Logs::LogGroup', exactIdentifier: name, propertiesToReturn: ['Arn'] },
          dummyValue: [
            { Identifier: name, Arn: `arn:aws:logs:${this.region}:${this.account}:log-group:${name}:*` },
          ],
          mustExist: true,
        });
      }
      return LogGroup.fromLogGroupName(this, `LogGroup${index}`, name);
    }
    return new LogGroup(this, `LogGroup${index}`, {
      logGroupName: name,
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
  }
}
