import { Duration } from 'aws-cdk-lib';
import { AlarmRule, AlarmState, type CompositeAlarm, type IAlarm } from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import type { AlarmKind } from '../../../functions/commons/alarm-naming';
import type { Severity } from '../../../functions/commons/severity';
import { AlarmFactory } from '../alarm-factory';

/** Props for {@link CompositeSuppression}. */
export interface CompositeSuppressionProps {
  readonly app: string;
  readonly kind: AlarmKind;
  /** The routed alarm is named `<app>-<kind>-<name>`. */
  readonly name: string;
  readonly severity: Severity;
  readonly team: string;
  /** What fired, in a sentence (the runbook URL is appended). */
  readonly description: string;
  /** The runbook named in the description. @default none */
  readonly runbookUrl?: string;
  /** The alarm whose state this composite mirrors (unrouted: named `<app>.input.<kind>-<name>`). */
  readonly input: IAlarm;
  /** Alarms whose ALARM state suppresses this one's actions; several are combined with OR. */
  readonly suppressors: readonly IAlarm[];
  /**
   * How long the composite waits, once its input is in ALARM, for a suppressor to go into ALARM too
   * (a dependent usually fails a little before the service-down alarm has seen enough datapoints).
   * @default 2 minutes
   */
  readonly waitPeriod?: Duration;
  /** How long suppression lasts after the suppressor leaves ALARM. @default 5 minutes */
  readonly extensionPeriod?: Duration;
}

/**
 * A routed composite alarm `ALARM(input)` whose actions are suppressed while a suppressor is in ALARM
 * (CloudWatch `ActionsSuppressor`): "service down" suppresses its dependents, the inhibition the seeds get
 * from Alertmanager. The composite is itself an alarm, so it can suppress others in turn (nesting).
 *
 * @example
 * new CompositeSuppression(this, 'HighErrorRate', { app, kind: 'rule', name: 'HighErrorRate', input, suppressors: [serviceDown], ... });
 */
export class CompositeSuppression extends Construct {
  /** The routed composite alarm. */
  public readonly alarm: CompositeAlarm;
  /** The OR of several suppressors, when more than one was given. */
  public readonly suppressor: IAlarm;

  public constructor(scope: Construct, id: string, props: CompositeSuppressionProps) {
    super(scope, id);
    if (props.suppressors.length === 0)
      throw new Error(`${props.name}: a suppressed alarm needs at least one suppressor`);
    const factory = new AlarmFactory(this, { app: props.app });
    const identity = { kind: props.kind, severity: props.severity, team: props.team };
    this.suppressor =
      props.suppressors.length === 1
        ? (props.suppressors[0] as IAlarm)
        : factory.addComposite('AnySuppressor', {
            ...identity,
            name: `${props.name}-suppressors`,
            routed: false,
            description: `Any alarm that suppresses ${props.name}.`,
            alarmRule: AlarmRule.anyOf(
              ...props.suppressors.map((alarm) => AlarmRule.fromAlarm(alarm, AlarmState.ALARM)),
            ),
            actionsEnabled: false,
          });
    this.alarm = factory.addComposite('Alarm', {
      ...identity,
      name: props.name,
      description: props.description,
      ...(props.runbookUrl !== undefined ? { runbookUrl: props.runbookUrl } : {}),
      alarmRule: AlarmRule.fromAlarm(props.input, AlarmState.ALARM),
      actionsSuppressor: this.suppressor,
      actionsSuppressorWaitPeriod: props.waitPeriod ?? Duration.minutes(2),
      actionsSuppressorExtensionPeriod: props.extensionPeriod ?? Duration.minutes(5),
    });
  }
}
