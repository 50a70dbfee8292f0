import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  ExecutionAlreadyExists,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { requireEnv } from '../commons/env';
import { instrumentHandler } from '../commons/instrument-handler';
import { logger, tracer } from '../commons/powertools';
import { CloudWatchAlarmState } from './adapters/cloudwatch-alarm-state';
import { DynamoDbIncidentStore } from './adapters/dynamodb-incident-store';
import { staleAlarmEvent } from './core/current-alarm-state';
import { EscalationEventError } from './core/errors';
import { alarmsOfIngressEvent } from './core/normalize-alarm-event';
import { type StartOutcome, startEscalation, type WakePorts } from './core/start-escalation';
import type { AlarmSnapshot } from './types/incident';

const stateMachineArn = requireEnv('VIGIL_STATE_MACHINE_ARN');
const sfn = tracer.captureAWSv3Client(new SFNClient({}));
/** A token whose wait already ended (timed out, or woken by an earlier event) is not an error. */
const GONE_TOKEN_ERRORS = new Set(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken']);
const wake: WakePorts = {
  store: new DynamoDbIncidentStore(
    tracer.captureAWSv3Client(new DynamoDBClient({})),
    requireEnv('VIGIL_TABLE_NAME'),
  ),
  signal: async (token) => {
    try {
      await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"signal":"alarm OK"}' }));
      return true;
    } catch (error) {
      if (GONE_TOKEN_ERRORS.has((error as Error).name)) return false;
      throw error;
    }
  },
};
const cloudwatchByRegion = new Map<string, CloudWatchClient>();
/** The function's own account, from its ARN in the invocation context: alarms of other accounts are unreadable. */
let ownAccount: string | undefined;
const alarmStates = new CloudWatchAlarmState(
  (region) => {
    let client = cloudwatchByRegion.get(region);
    if (client === undefined) {
      client = tracer.captureAWSv3Client(new CloudWatchClient({ region }));
      cloudwatchByRegion.set(region, client);
    }
    return client;
  },
  { accountId: () => ownAccount },
);

const starter = async (name: string, input: string): Promise<'started' | 'duplicate'> => {
  try {
    await sfn.send(new StartExecutionCommand({ stateMachineArn, name, input }));
    return 'started';
  } catch (error) {
    if (error instanceof ExecutionAlreadyExists || (error as Error).name === 'ExecutionAlreadyExists')
      return 'duplicate';
    throw error;
  }
};

type IngressEvent = {
  Records?: { Sns?: { Message?: string; MessageId?: string; TopicArn?: string } }[];
} & Record<string, unknown>;

/** What identifies an event in the logs (never its body: the on-failure queue keeps that). */
const eventIdentity = (event: IngressEvent): Record<string, unknown> =>
  typeof event !== 'object' || event === null
    ? { type: typeof event }
    : Array.isArray(event.Records)
      ? {
          records: event.Records.length,
          snsMessageIds: event.Records.slice(0, 10).map((record) => record?.Sns?.MessageId),
          topicArn: event.Records[0]?.Sns?.TopicArn,
        }
      : { id: event.id, source: event.source, detailType: event['detail-type'] };

const start = async (
  event: IngressEvent,
  context?: { readonly invokedFunctionArn?: string },
): Promise<{ outcomes: StartOutcome[] }> => {
  ownAccount ??= context?.invokedFunctionArn?.split(':')[4] || undefined;
  let alarms: AlarmSnapshot[];
  try {
    alarms = alarmsOfIngressEvent(event);
  } catch (error) {
    if (error instanceof EscalationEventError)
      logger.error('malformed alarm event: it reaches the on-failure queue after the retries', {
        reason: error.message,
        event: eventIdentity(event),
      });
    throw error;
  }
  const outcomes: StartOutcome[] = [];
  for (const alarm of alarms) {
    // A stale ALARM (a week-old or replayed event for an alarm that is OK now) opens nothing.
    const outcome =
      (await staleAlarmEvent(alarm, alarmStates)) ??
      (await startEscalation(alarm, starter, Date.now(), wake));
    logger.info('alarm event', { ...outcome });
    outcomes.push(outcome);
  }
  return { outcomes };
};

/**
 * Ingress: EventBridge `CloudWatch Alarm State Change` events and SNS alarm notifications (alarms Vigil did not
 * create). ALARM -> one Step Functions execution per incident, named so duplicates are ignored, unless it is
 * stale (the alarm is not in ALARM any more, read with `DescribeAlarms` first); OK -> wakes the waiting
 * execution of the alarm's open incident (`SendTaskSuccess` on its stored task token).
 *
 * An event it cannot read is logged with the reason and fails the invocation with
 * {@link EscalationEventError}: Lambda's asynchronous retries then hand it, whole, to the start function's
 * on-failure queue, whose alarm pages Vigil's own team. Nothing is dropped without a trace.
 *
 * @throws {EscalationEventError} when the event is not an alarm state change Vigil understands
 */
export const handler = instrumentHandler(start);
