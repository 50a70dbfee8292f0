import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { ResolvedCheck } from '../functions/commons/config/types';
import { AlarmEventForwarder } from './constructs/alarm-event-forwarder';
import { CheckAlarms } from './constructs/check-alarms';

/** Props for {@link CheckAlarmsStack}. */
export interface CheckAlarmsStackProps extends StackProps {
  readonly app: string;
  /** CloudWatch namespace of Vigil's metrics (the config's `metricsNamespace`). @default 'Vigil' */
  readonly metricsNamespace?: string;
  /** The checks of one region whose alarms live here (at most {@link CheckAlarmsStack.MAX_ALARMS}). */
  readonly checks: readonly ResolvedCheck[];
  /** Failed runs that fire an alarm (M). @default 2 */
  readonly failuresToAlarm?: number;
  /** Runs looked at (N). @default failuresToAlarm */
  readonly evaluationPeriods?: number;
  /** When set and not this stack's region: forward alarm events there, to the escalation engine. */
  readonly primaryRegion?: string;
}

/**
 * Check alarms of one region, in chunks: alarms are the one resource that grows per check, so they live
 * apart from the runner and split across stacks to stay under CloudFormation's 500-resource limit.
 */
export class CheckAlarmsStack extends Stack {
  /** Alarms per stack: well under the 500-resource limit, leaving room for what later issues add. */
  public static readonly MAX_ALARMS = 400;
  public readonly checkAlarms: CheckAlarms;

  public constructor(scope: Construct, id: string, props: CheckAlarmsStackProps) {
    super(scope, id, props);
    this.checkAlarms = new CheckAlarms(this, 'CheckAlarms', {
      app: props.app,
      metricsNamespace: props.metricsNamespace,
      checks: props.checks,
      ...(props.failuresToAlarm !== undefined ? { failuresToAlarm: props.failuresToAlarm } : {}),
      ...(props.evaluationPeriods !== undefined ? { evaluationPeriods: props.evaluationPeriods } : {}),
    });
    if (props.primaryRegion !== undefined && props.primaryRegion !== this.region) {
      new AlarmEventForwarder(this, 'ForwardAlarmEvents', {
        app: props.app,
        primaryRegion: props.primaryRegion,
      });
    }
  }
}
