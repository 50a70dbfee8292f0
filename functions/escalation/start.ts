import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { requireEnv } from '../commons/env';
import { logger, tracer } from '../commons/powertools';
import { EscalationEventError } from './core/errors';
import { fromEventBridge, fromSnsAlarmMessage } from './core/normalize-alarm-event';
import { type StartOutcome, startEscalation } from './core/start-escalation';
import type { AlarmSnapshot } from './types/incident';

const stateMachineArn = requireEnv('VIGIL_STATE_MACHINE_ARN');
const sfn = tracer.captureAWSv3Client(new SFNClient({}));

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

type IngressEvent = { Records?: { Sns?: { Message?: string } }[] } & Record<string, unknown>;

const alarmsOf = (event: IngressEvent): AlarmSnapshot[] => {
  if (Array.isArray(event.Records))
    return event.Records.map((record) => fromSnsAlarmMessage(record.Sns?.Message ?? ''));
  if (event['detail-type'] === 'CloudWatch Alarm State Change') return [fromEventBridge(event)];
  throw new EscalationEventError(
    'unsupported event: expected an EventBridge alarm state change or SNS records',
  );
};

/**
 * Ingress: EventBridge `CloudWatch Alarm State Change` events and SNS alarm notifications (alarms Vigil did not
 * create) -> one Step Functions execution per incident, named so duplicates are ignored.
 */
export const handler = async (event: IngressEvent): Promise<{ outcomes: StartOutcome[] }> => {
  const outcomes: StartOutcome[] = [];
  for (const alarm of alarmsOf(event)) {
    const outcome = await startEscalation(alarm, starter, Date.now());
    logger.info('alarm event', { ...outcome });
    outcomes.push(outcome);
  }
  return { outcomes };
};
