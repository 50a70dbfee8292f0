import { Stack } from 'aws-cdk-lib';
import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { EventBus as EventBusTarget } from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import { alarmPrefix } from '../../functions/commons/alarm-naming';

/** Props for {@link AlarmEventForwarder}. */
export interface AlarmEventForwarderProps {
  readonly app: string;
  /** Region of the escalation engine. */
  readonly primaryRegion: string;
}

/**
 * Forwards this region's Vigil alarm state changes to the default event bus of the primary region, where
 * the escalation engine listens: a check that fails only from eu-west-1 pages like any other.
 */
export class AlarmEventForwarder extends Construct {
  /**
   * CloudFormation resources the forwarder adds: the rule, and the role (with its policy) EventBridge
   * assumes to put events on another region's bus.
   */
  public static readonly RESOURCES = 3;

  public readonly rule: Rule;

  public constructor(scope: Construct, id: string, props: AlarmEventForwarderProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const primaryBus = EventBus.fromEventBusArn(
      this,
      'PrimaryBus',
      stack.formatArn({
        service: 'events',
        region: props.primaryRegion,
        resource: 'event-bus',
        resourceName: 'default',
      }),
    );
    this.rule = new Rule(this, 'Rule', {
      description: `Forward ${props.app} alarm state changes to ${props.primaryRegion} for escalation`,
      eventPattern: {
        source: ['aws.cloudwatch'],
        detailType: ['CloudWatch Alarm State Change'],
        detail: { alarmName: [{ prefix: alarmPrefix(props.app) }] },
      },
      targets: [new EventBusTarget(primaryBus)],
    });
  }
}
