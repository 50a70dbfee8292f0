import type { AlarmSnapshot, AlarmStateValue } from '../types/incident';
import { EscalationEventError } from './errors';
import { normalizeTimestamp } from './execution-name';

const STATES = new Set<AlarmStateValue>(['OK', 'ALARM', 'INSUFFICIENT_DATA']);

const asState = (value: unknown, where: string): AlarmStateValue => {
  if (typeof value === 'string' && STATES.has(value as AlarmStateValue)) return value as AlarmStateValue;
  throw new EscalationEventError(
    `${where}: expected OK, ALARM or INSUFFICIENT_DATA, got ${JSON.stringify(value)}`,
  );
};

const text = (value: unknown, where: string): string => {
  if (typeof value === 'string' && value !== '') return value;
  throw new EscalationEventError(`${where} is missing`);
};

const regionFromArn = (arn: string | undefined): string | undefined => arn?.split(':')[3] || undefined;

type Json = Record<string, unknown>;

/** SNS alarm messages spell statistics `AVERAGE`; metric APIs want `Average`. */
const statistic = (value: string): string =>
  value === 'SAMPLE_COUNT' ? 'SampleCount' : `${value.charAt(0)}${value.slice(1).toLowerCase()}`;

/**
 * Normalises an EventBridge `CloudWatch Alarm State Change` event.
 *
 * @throws {EscalationEventError} naming the missing or invalid field
 */
export const fromEventBridge = (event: Json): AlarmSnapshot => {
  const detail = (event.detail ?? {}) as Json;
  const state = (detail.state ?? {}) as Json;
  const previous = (detail.previousState ?? {}) as Json;
  const configuration = (detail.configuration ?? {}) as Json;
  const arn = Array.isArray(event.resources) ? (event.resources[0] as string | undefined) : undefined;
  const metrics = Array.isArray(configuration.metrics) ? (configuration.metrics as Json[]) : [];
  const single = metrics.length === 1 ? (metrics[0]?.metricStat as Json | undefined) : undefined;
  const metric = single?.metric as Json | undefined;
  return {
    alarmName: text(detail.alarmName, 'detail.alarmName'),
    ...(arn !== undefined ? { alarmArn: arn } : {}),
    state: asState(state.value, 'detail.state.value'),
    ...(previous.value !== undefined
      ? { previousState: asState(previous.value, 'detail.previousState.value') }
      : {}),
    reason: typeof state.reason === 'string' ? state.reason : '',
    stateChangedAt: normalizeTimestamp(text(state.timestamp ?? event.time, 'detail.state.timestamp')),
    ...(typeof configuration.description === 'string' ? { description: configuration.description } : {}),
    region: typeof event.region === 'string' ? event.region : (regionFromArn(arn) ?? 'us-east-1'),
    ...(typeof event.account === 'string' ? { accountId: event.account } : {}),
    ...(metric !== undefined && typeof metric.namespace === 'string' && typeof metric.name === 'string'
      ? {
          metric: {
            namespace: metric.namespace,
            name: metric.name,
            dimensions: (metric.dimensions ?? {}) as Record<string, string>,
            ...(typeof single?.stat === 'string' ? { stat: single.stat } : {}),
            ...(typeof single?.period === 'number' ? { periodSeconds: single.period } : {}),
          },
        }
      : {}),
    source: 'eventbridge',
  };
};

/**
 * Normalises the JSON message CloudWatch publishes to an SNS alarm action (alarms Vigil did not create).
 *
 * @throws {EscalationEventError} naming the missing or invalid field
 */
export const fromSnsAlarmMessage = (message: string): AlarmSnapshot => {
  let body: Json;
  try {
    body = JSON.parse(message) as Json;
  } catch (error) {
    throw new EscalationEventError('SNS message is not JSON: not a CloudWatch alarm notification', {
      cause: error,
    });
  }
  const arn = typeof body.AlarmArn === 'string' ? body.AlarmArn : undefined;
  const trigger = (body.Trigger ?? {}) as Json;
  const dimensions = Array.isArray(trigger.Dimensions)
    ? (trigger.Dimensions as { name: string; value: string }[])
    : [];
  return {
    alarmName: text(body.AlarmName, 'AlarmName'),
    ...(arn !== undefined ? { alarmArn: arn } : {}),
    state: asState(body.NewStateValue, 'NewStateValue'),
    ...(body.OldStateValue !== undefined
      ? { previousState: asState(body.OldStateValue, 'OldStateValue') }
      : {}),
    reason: typeof body.NewStateReason === 'string' ? body.NewStateReason : '',
    stateChangedAt: normalizeTimestamp(text(body.StateChangeTime, 'StateChangeTime')),
    ...(typeof body.AlarmDescription === 'string' ? { description: body.AlarmDescription } : {}),
    region: regionFromArn(arn) ?? 'us-east-1',
    ...(typeof body.AWSAccountId === 'string' ? { accountId: body.AWSAccountId } : {}),
    ...(typeof trigger.MetricName === 'string' && typeof trigger.Namespace === 'string'
      ? {
          metric: {
            namespace: trigger.Namespace,
            name: trigger.MetricName,
            dimensions: Object.fromEntries(dimensions.map((dimension) => [dimension.name, dimension.value])),
            ...(typeof trigger.Statistic === 'string' ? { stat: statistic(trigger.Statistic) } : {}),
            ...(typeof trigger.Period === 'number' ? { periodSeconds: trigger.Period } : {}),
          },
        }
      : {}),
    ...(typeof trigger.Threshold === 'number' ? { threshold: trigger.Threshold } : {}),
    source: 'sns',
  };
};
