// zod/mini, not zod: the same schemas, tree-shaken to a few KiB in the Lambda bundles (zod's classic API pulls
// in every locale, ~440 KiB minified).
import * as z from 'zod/mini';
import { isAwsAccountId, isAwsRegion } from '../../commons/aws-identifiers';
import type { AlarmStateValue } from '../types/incident';

/** Longest value quoted back in an error: enough to recognise it, never a whole crafted payload. */
const QUOTE_MAX = 80;

/** A value as an error quotes it: JSON, cut at {@link QUOTE_MAX} characters. */
export const quote = (value: unknown): string => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length <= QUOTE_MAX ? text : `${text.slice(0, QUOTE_MAX)}…`;
};

/** CloudWatch's limit on an alarm name. */
const ALARM_NAME_MAX = 255;

const ALARM_STATES: ReadonlySet<unknown> = new Set<AlarmStateValue>(['OK', 'ALARM', 'INSUFFICIENT_DATA']);

const ALARM_ARN = /^arn:aws[a-z-]*:cloudwatch:([^:]*):([^:]*):alarm:.+$/s;

/** What an object field that is not one says. */
const notAnObject = {
  error: (issue: { input?: unknown }) => `expected an object, got ${quote(issue.input)}`,
};

/** A required, non-empty string. */
const present = z.string({ error: 'is missing' }).check(z.minLength(1, { error: 'is missing' }));

const alarmName = present.check(
  z.refine((name: string) => name.length <= ALARM_NAME_MAX, {
    error: (issue) => `is ${(issue.input as string).length} characters; CloudWatch allows ${ALARM_NAME_MAX}`,
  }),
);

const alarmState = z.custom<AlarmStateValue>((value) => ALARM_STATES.has(value), {
  error: (issue) => `expected OK, ALARM or INSUFFICIENT_DATA, got ${quote(issue.input)}`,
});

const region = z.custom<string>(isAwsRegion, {
  error: (issue) => `${quote(issue.input)} is not an AWS region`,
});

const account = z.custom<string>(isAwsAccountId, {
  error: (issue) => `${quote(issue.input)} is not a 12-digit AWS account id`,
});

/** A field read leniently: what `read` makes of it, or nothing (fields CloudWatch may leave out or reshape). */
const lenient = <T>(read: (value: unknown) => T | undefined) =>
  z.optional(z.pipe(z.unknown(), z.transform(read)));

const optionalText = lenient((value) => (typeof value === 'string' ? value : undefined));
const optionalNumber = lenient((value) => (typeof value === 'number' ? value : undefined));

/** A parsed alarm ARN: its region and account are well-formed, so they can reach no link or endpoint. */
export interface AlarmArn {
  readonly arn: string;
  readonly region: string;
  readonly account: string;
}

/** What is wrong with an alarm ARN, or nothing. */
const alarmArnProblem = (arn: string): string | undefined => {
  const match = ALARM_ARN.exec(arn);
  if (match === null) return `expected a CloudWatch alarm ARN, got ${quote(arn)}`;
  const [, arnRegion, arnAccount] = match;
  if (!isAwsRegion(arnRegion)) return `region ${quote(arnRegion)} is not an AWS region`;
  if (!isAwsAccountId(arnAccount)) return `account ${quote(arnAccount)} is not a 12-digit AWS account id`;
  return undefined;
};

/**
 * An optional CloudWatch alarm ARN, `pick`ed from the field (a value that is not a string is no ARN) and
 * reported at `path` below it. A region or account that is not well-formed (an ARN whose region part is
 * `evil.example.com#`) is not a CloudWatch event: it is refused, so it can reach no link, endpoint or message.
 */
const optionalAlarmArn = (pick: (value: unknown) => unknown, path: PropertyKey[] = []) =>
  z.optional(
    z.pipe(
      z.custom<unknown>(
        (value) => {
          const arn = pick(value);
          return typeof arn !== 'string' || alarmArnProblem(arn) === undefined;
        },
        { error: (issue) => alarmArnProblem(pick(issue.input) as string), path },
      ),
      z.transform((value): AlarmArn | undefined => {
        const arn = pick(value);
        if (typeof arn !== 'string') return undefined;
        const [, arnRegion = '', arnAccount = ''] = ALARM_ARN.exec(arn) ?? [];
        return { arn, region: arnRegion, account: arnAccount };
      }),
    ),
  );

/** The one-metric `configuration.metrics` of an EventBridge alarm event (anything else: no metric). */
const eventBridgeMetrics = lenient((value) => {
  if (!Array.isArray(value) || value.length !== 1) return undefined;
  const stat = (value[0] as { metricStat?: Record<string, unknown> } | undefined)?.metricStat;
  const metric = stat?.metric as Record<string, unknown> | undefined;
  if (typeof metric?.namespace !== 'string' || typeof metric.name !== 'string') return undefined;
  return {
    namespace: metric.namespace,
    name: metric.name,
    dimensions: (metric.dimensions ?? {}) as Record<string, string>,
    ...(typeof stat?.stat === 'string' ? { stat: stat.stat } : {}),
    ...(typeof stat?.period === 'number' ? { periodSeconds: stat.period } : {}),
  };
});

/** An EventBridge `CloudWatch Alarm State Change` event, as far as Vigil reads it. */
export const eventBridgeAlarmEventSchema = z
  .object(
    {
      'detail-type': z.literal('CloudWatch Alarm State Change'),
      time: optionalText,
      region: z.optional(region),
      account: z.optional(account),
      resources: optionalAlarmArn((value) => (Array.isArray(value) ? value[0] : undefined), [0]),
      detail: z.object(
        {
          alarmName,
          state: z.object({ value: alarmState, reason: optionalText, timestamp: optionalText }, notAnObject),
          previousState: z.optional(z.object({ value: z.optional(alarmState) }, notAnObject)),
          configuration: z.optional(
            z.object({ description: optionalText, metrics: eventBridgeMetrics }, notAnObject),
          ),
        },
        notAnObject,
      ),
    },
    notAnObject,
  )
  .check(
    z.refine((event) => (event.detail.state.timestamp ?? event.time) !== undefined, {
      error: 'is missing',
      path: ['detail', 'state', 'timestamp'],
    }),
  );

/** An EventBridge alarm event after {@link eventBridgeAlarmEventSchema}. */
export type EventBridgeAlarmEvent = z.output<typeof eventBridgeAlarmEventSchema>;

/** The JSON message CloudWatch publishes to an SNS alarm action, as far as Vigil reads it. */
export const snsAlarmMessageSchema = z.object(
  {
    AlarmName: alarmName,
    AlarmArn: optionalAlarmArn((value) => value),
    AlarmDescription: optionalText,
    AWSAccountId: z.optional(account),
    NewStateValue: alarmState,
    OldStateValue: z.optional(alarmState),
    NewStateReason: optionalText,
    StateChangeTime: present,
    Trigger: z.optional(
      z.object(
        {
          MetricName: optionalText,
          Namespace: optionalText,
          Statistic: optionalText,
          Period: optionalNumber,
          Threshold: optionalNumber,
          Dimensions: lenient((value) =>
            Array.isArray(value) ? (value as { name: string; value: string }[]) : undefined,
          ),
        },
        notAnObject,
      ),
    ),
  },
  notAnObject,
);

/** An SNS alarm message after {@link snsAlarmMessageSchema}. */
export type SnsAlarmMessage = z.output<typeof snsAlarmMessageSchema>;

/** An SNS delivery: each record's message is the text of an alarm notification. */
export const snsRecordsSchema = z.object(
  {
    Records: z.array(
      z.object({ Sns: z.object({ Message: z.string({ error: 'is missing' }) }, notAnObject) }, notAnObject),
      {
        error: (issue) => `expected an array, got ${quote(issue.input)}`,
      },
    ),
  },
  notAnObject,
);
