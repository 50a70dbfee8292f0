import { Stack, type StackProps } from 'aws-cdk-lib';
import { type ILogGroup, LogGroup } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { AlertRuleConfig } from '../functions/commons/config/escalation-schema';
import type { RuleAlarmConfig, SloConfig } from '../functions/commons/config/observability-schema';
import type { ResolvedCheck, Severity } from '../functions/commons/config/types';
import { ErrorTracking, type WatchedLogGroup } from './constructs/observability/error-tracking';
import { RuleAlarms } from './constructs/observability/rule-alarms';
import { SloAlarms } from './constructs/observability/slo-alarms';

/** A log group to watch: a construct (Vigil's own functions, same region) or a name (the user's). */
export interface LogGroupEntry {
  readonly label: string;
  readonly owner: 'vigil' | 'user';
  readonly logGroup?: ILogGroup;
  readonly name?: string;
}

/** Props for {@link ObservabilityAlarmsStack}. */
export interface ObservabilityAlarmsStackProps extends StackProps {
  readonly app: string;
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
  public readonly rules: RuleAlarms;
  public readonly slos: SloAlarms;
  public readonly errors: ErrorTracking;
  /** The log groups error tracking watches here. */
  public readonly watchedLogGroups: readonly WatchedLogGroup[];

  public constructor(scope: Construct, id: string, props: ObservabilityAlarmsStackProps) {
    super(scope, id, props);
    this.rules = new RuleAlarms(this, 'Rules', {
      app: props.app,
      alarms: props.alarms,
      alertRules: props.alertRules,
      checks: props.checks,
      defaultTeam: props.defaultTeam,
      region: props.region,
    });
    this.slos = new SloAlarms(this, 'Slos', {
      app: props.app,
      slos: props.slos,
      checks: props.checks,
      defaultTeam: props.defaultTeam,
      region: props.region,
    });
    this.watchedLogGroups = props.logGroups.map((entry, index) => ({
      label: entry.label,
      owner: entry.owner,
      logGroup:
        entry.logGroup ?? LogGroup.fromLogGroupName(this, `LogGroup${index}`, entry.name ?? entry.label),
    }));
    this.errors = new ErrorTracking(this, 'Errors', {
      app: props.app,
      logGroups: this.watchedLogGroups,
      threshold: props.errorTracking.threshold,
      risingBand: props.errorTracking.risingBand,
      severity: props.errorTracking.severity,
      ...(props.errorTracking.team !== undefined ? { team: props.errorTracking.team } : {}),
    });
  }
}
