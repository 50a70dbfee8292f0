import type { AlarmSnapshot } from '../types/incident';
import {
  type EventBridgeAlarmEvent,
  eventBridgeAlarmEventSchema,
  type SnsAlarmMessage,
  snsAlarmMessageSchema,
  snsRecordsSchema,
} from './alarm-event-schema';
import { EscalationEventError } from './errors';
import { normalizeTimestamp } from './execution-name';
import { parseEscalationEvent } from './parse-escalation-event';

/** SNS alarm messages spell statistics `AVERAGE`; metric APIs want `Average`. */
const statistic = (value: string): string =>
  value === 'SAMPLE_COUNT' ? 'SampleCount' : `${value.charAt(0)}${value.slice(1).toLowerCase()}`;

const fromEventBridgeEvent = (event: EventBridgeAlarmEvent): AlarmSnapshot => {
  const { detail, resources: arn } = event;
  const description = detail.configuration?.description;
  const metric = detail.configuration?.metrics;
  return {
    alarmName: detail.alarmName,
    ...(arn !== undefined ? { alarmArn: arn.arn } : {}),
    state: detail.state.value,
    ...(detail.previousState?.value !== undefined ? { previousState: detail.previousState.value } : {}),
    reason: detail.state.reason ?? '',
    stateChangedAt: normalizeTimestamp(detail.state.timestamp ?? event.time ?? ''),
    ...(description !== undefined ? { description } : {}),
    region: event.region ?? arn?.region ?? 'us-east-1',
    ...(event.account !== undefined ? { accountId: event.account } : {}),
    ...(metric !== undefined ? { metric } : {}),
    source: 'eventbridge',
  };
};

const fromSnsMessage = (body: SnsAlarmMessage): AlarmSnapshot => {
  const { AlarmArn: arn, Trigger: trigger } = body;
  return {
    alarmName: body.AlarmName,
    ...(arn !== undefined ? { alarmArn: arn.arn } : {}),
    state: body.NewStateValue,
    ...(body.OldStateValue !== undefined ? { previousState: body.OldStateValue } : {}),
    reason: body.NewStateReason ?? '',
    stateChangedAt: normalizeTimestamp(body.StateChangeTime),
    ...(body.AlarmDescription !== undefined ? { description: body.AlarmDescription } : {}),
    region: arn?.region ?? 'us-east-1',
    ...(body.AWSAccountId !== undefined ? { accountId: body.AWSAccountId } : {}),
    ...(trigger?.MetricName !== undefined && trigger.Namespace !== undefined
      ? {
          metric: {
            namespace: trigger.Namespace,
            name: trigger.MetricName,
            dimensions: Object.fromEntries(
              (trigger.Dimensions ?? []).map((dimension) => [dimension.name, dimension.value]),
            ),
            ...(trigger.Statistic !== undefined ? { stat: statistic(trigger.Statistic) } : {}),
            ...(trigger.Period !== undefined ? { periodSeconds: trigger.Period } : {}),
          },
        }
      : {}),
    ...(trigger?.Threshold !== undefined ? { threshold: trigger.Threshold } : {}),
    source: 'sns',
  };
};

/**
 * Normalises an EventBridge `CloudWatch Alarm State Change` event ({@link eventBridgeAlarmEventSchema}).
 *
 * @throws {EscalationEventError} naming the path of every missing or invalid field
 */
export const fromEventBridge = (event: unknown): AlarmSnapshot =>
  fromEventBridgeEvent(parseEscalationEvent(eventBridgeAlarmEventSchema, event, 'event'));

/**
 * Normalises the JSON message CloudWatch publishes to an SNS alarm action (alarms Vigil did not create;
 * {@link snsAlarmMessageSchema}).
 *
 * @throws {EscalationEventError} naming the path of every missing or invalid field
 */
export const fromSnsAlarmMessage = (message: string): AlarmSnapshot => {
  let body: unknown;
  try {
    body = JSON.parse(message);
  } catch (error) {
    throw new EscalationEventError('SNS message is not JSON: not a CloudWatch alarm notification', {
      cause: error,
    });
  }
  return fromSnsMessage(parseEscalationEvent(snsAlarmMessageSchema, body, 'SNS message'));
};

/**
 * The alarms of an event the start function receives: an EventBridge `CloudWatch Alarm State Change` event, or
 * an SNS delivery of CloudWatch alarm notifications (one alarm per record).
 *
 * @throws {EscalationEventError} naming the path of what is wrong, or that the event is neither kind
 */
export const alarmsOfIngressEvent = (event: unknown): AlarmSnapshot[] => {
  if (typeof event !== 'object' || event === null)
    throw new EscalationEventError(`unsupported event: expected an object, got ${typeof event}`);
  if ('Records' in event)
    return parseEscalationEvent(snsRecordsSchema, event, 'event').Records.map((record) =>
      fromSnsAlarmMessage(record.Sns.Message),
    );
  if ((event as Record<string, unknown>)['detail-type'] === 'CloudWatch Alarm State Change')
    return [fromEventBridge(event)];
  throw new EscalationEventError(
    'unsupported event: expected an EventBridge alarm state change or SNS records',
  );
};
