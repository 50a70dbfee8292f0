import { isAwsAccountId, isAwsRegion } from '../../commons/aws-identifiers';
import type { AlarmSnapshot, AlarmStateValue } from '../types/incident';
import { EscalationEventError } from './errors';
import { normalizeTimestamp } from './execution-name';

/** Longest value quoted back in an error: enough to recognise it, never a whole crafted payload. */
const QUOTE_MAX = 80;

const quote = (value: unknown): string => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length <= QUOTE_MAX ? text : `${text.slice(0, QUOTE_MAX)}…`;
};

const STATES = new Set<AlarmStateValue>(['OK', 'ALARM', 'INSUFFICIENT_DATA']);

const asState = (value: unknown, where: string): AlarmStateValue => {
  if (typeof value === 'string' && STATES.has(value as AlarmStateValue)) return value as AlarmStateValue;
  throw new EscalationEventError(`${where}: expected OK, ALARM or INSUFFICIENT_DATA, got ${quote(value)}`);
};

const text = (value: unknown, where: string): string => {
  if (typeof value === 'string' && value !== '') return value;
  throw new EscalationEventError(`${where} is missing`);
};

/** CloudWatch's limit on an alarm name. */
const ALARM_NAME_MAX = 255;

const alarmName = (value: unknown, where: string): string => {
  const name = text(value, where);
  if (name.length > ALARM_NAME_MAX)
    throw new EscalationEventError(
      `${where} is ${name.length} characters; CloudWatch allows ${ALARM_NAME_MAX}`,
    );
  return name;
};

const ALARM_ARN = /^arn:aws[a-z-]*:cloudwatch:([^:]*):([^:]*):alarm:.+$/s;

/**
 * Checks an alarm ARN and returns its region and account. A region or account that is not well-formed (an
 * ARN whose region part is `evil.example.com#`) is not a CloudWatch event: it is refused, so it can reach no
 * link, client endpoint or message.
 */
const parseAlarmArn = (arn: string, where: string): { region: string; account: string } => {
  const match = ALARM_ARN.exec(arn);
  if (match === null)
    throw new EscalationEventError(`${where}: expected a CloudWatch alarm ARN, got ${quote(arn)}`);
  const [, region, account] = match;
  if (!isAwsRegion(region))
    throw new EscalationEventError(`${where}: region ${quote(region)} is not an AWS region`);
  if (!isAwsAccountId(account))
    throw new EscalationEventError(`${where}: account ${quote(account)} is not a 12-digit AWS account id`);
  return { region, account };
};

const region = (value: unknown, where: string): string => {
  if (isAwsRegion(value)) return value;
  throw new EscalationEventError(`${where}: ${quote(value)} is not an AWS region`);
};

const account = (value: unknown, where: string): string => {
  if (isAwsAccountId(value)) return value;
  throw new EscalationEventError(`${where}: ${quote(value)} is not a 12-digit AWS account id`);
};

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
  const first: unknown = Array.isArray(event.resources) ? event.resources[0] : undefined;
  const arn = typeof first === 'string' ? first : undefined;
  const fromArn = arn !== undefined ? parseAlarmArn(arn, 'resources[0]') : undefined;
  const metrics = Array.isArray(configuration.metrics) ? (configuration.metrics as Json[]) : [];
  const single = metrics.length === 1 ? (metrics[0]?.metricStat as Json | undefined) : undefined;
  const metric = single?.metric as Json | undefined;
  return {
    alarmName: alarmName(detail.alarmName, 'detail.alarmName'),
    ...(arn !== undefined ? { alarmArn: arn } : {}),
    state: asState(state.value, 'detail.state.value'),
    ...(previous.value !== undefined
      ? { previousState: asState(previous.value, 'detail.previousState.value') }
      : {}),
    reason: typeof state.reason === 'string' ? state.reason : '',
    stateChangedAt: normalizeTimestamp(text(state.timestamp ?? event.time, 'detail.state.timestamp')),
    ...(typeof configuration.description === 'string' ? { description: configuration.description } : {}),
    region: event.region !== undefined ? region(event.region, 'region') : (fromArn?.region ?? 'us-east-1'),
    ...(event.account !== undefined ? { accountId: account(event.account, 'account') } : {}),
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
  const fromArn = arn !== undefined ? parseAlarmArn(arn, 'AlarmArn') : undefined;
  const trigger = (body.Trigger ?? {}) as Json;
  const dimensions = Array.isArray(trigger.Dimensions)
    ? (trigger.Dimensions as { name: string; value: string }[])
    : [];
  return {
    alarmName: alarmName(body.AlarmName, 'AlarmName'),
    ...(arn !== undefined ? { alarmArn: arn } : {}),
    state: asState(body.NewStateValue, 'NewStateValue'),
    ...(body.OldStateValue !== undefined
      ? { previousState: asState(body.OldStateValue, 'OldStateValue') }
      : {}),
    reason: typeof body.NewStateReason === 'string' ? body.NewStateReason : '',
    stateChangedAt: normalizeTimestamp(text(body.StateChangeTime, 'StateChangeTime')),
    ...(typeof body.AlarmDescription === 'string' ? { description: body.AlarmDescription } : {}),
    region: fromArn?.region ?? 'us-east-1',
    ...(body.AWSAccountId !== undefined ? { accountId: account(body.AWSAccountId, 'AWSAccountId') } : {}),
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
