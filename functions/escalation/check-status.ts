import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { XRayClient } from '@aws-sdk/client-xray';
import { realClock } from '../commons/clock';
import { requireEnv } from '../commons/env';
import { instrumentHandler } from '../commons/instrument-handler';
import { logger, tracer } from '../commons/powertools';
import { DynamoDbOverrideStore } from '../oncall/adapters/dynamodb-override-store';
import { awsEnricher } from './adapters/aws-enricher';
import { loadRuntimeConfig } from './adapters/bundled-runtime-config';
import { CloudWatchAlarmState } from './adapters/cloudwatch-alarm-state';
import { DynamoDbIncidentStore } from './adapters/dynamodb-incident-store';
import {
  type ArmSignalInput,
  armSignal,
  type CheckEscalationInput,
  type CheckPorts,
  checkEscalation,
  type OpenIncidentInput,
  openIncident,
} from './core/check-escalation';
import { EscalationInputError } from './core/errors';
import type { EscalationState } from './types/incident';

const cloudwatchByRegion = new Map<string, CloudWatchClient>();
const cloudwatchIn = (region: string): CloudWatchClient => {
  let client = cloudwatchByRegion.get(region);
  if (client === undefined) {
    client = tracer.captureAWSv3Client(new CloudWatchClient({ region }));
    cloudwatchByRegion.set(region, client);
  }
  return client;
};
/** The on-call table, when the config has schedules: run-time overrides decide who a schedule pages. */
const oncallTable = process.env.VIGIL_ONCALL_TABLE;
const overrideStore =
  oncallTable !== undefined && oncallTable !== ''
    ? new DynamoDbOverrideStore(tracer.captureAWSv3Client(new DynamoDBClient({})), oncallTable)
    : undefined;
/** The function's own account, from its ARN in the invocation context: alarms of other accounts are unreadable. */
let ownAccount: string | undefined;
const ports: CheckPorts = {
  ...(overrideStore !== undefined
    ? { overrides: (schedule: string) => overrideStore.listOverrides(schedule) }
    : {}),
  config: loadRuntimeConfig(),
  clock: realClock,
  alarms: new CloudWatchAlarmState(cloudwatchIn, { accountId: () => ownAccount }),
  store: new DynamoDbIncidentStore(
    tracer.captureAWSv3Client(new DynamoDBClient({})),
    requireEnv('VIGIL_TABLE_NAME'),
  ),
  enrich: awsEnricher({
    xray: tracer.captureAWSv3Client(new XRayClient({})),
    cloudwatch: cloudwatchIn(requireEnv('AWS_REGION')),
    s3: tracer.captureAWSv3Client(new S3Client({})),
    bucket: requireEnv('VIGIL_GRAPH_BUCKET'),
  }),
};

/**
 * The open input of a definition from before the config moved into the bundle (`alarm` and `incidentId` at
 * the top, with `config` and `rules`): an execution started just before a deploy opens on the new code.
 */
type EarlierOpenInput = Pick<OpenIncidentInput['execution'], 'alarm' | 'incidentId'>;

/**
 * Input of the check-status Task: open an incident, or check before a level. Executions started on an
 * earlier definition also pass `config` (and `rules`): ignored, the bundled config is the current one.
 */
export type CheckStatusInput =
  | ((OpenIncidentInput | EarlierOpenInput) & { readonly phase: 'open' })
  | (CheckEscalationInput & { readonly phase: 'check' })
  | (ArmSignalInput & { readonly phase: 'arm' });

/** What the handler returns for an input: the new state, or (arm) only that the wait is armed. */
export type CheckStatusResult<I> = I extends { readonly phase: 'arm' } ? { armed: true } : EscalationState;

const checkStatus = async <I extends CheckStatusInput>(
  input: I,
  context?: { readonly invokedFunctionArn?: string },
): Promise<CheckStatusResult<I>> => {
  ownAccount ??= context?.invokedFunctionArn?.split(':')[4] || undefined;
  if (input.phase === 'arm') {
    await armSignal(input, ports);
    return { armed: true } as CheckStatusResult<I>;
  }
  let state: EscalationState;
  if (input.phase === 'open')
    state = await openIncident('execution' in input ? input : { execution: input }, ports);
  else if (input.phase === 'check') state = await checkEscalation(input, ports);
  else
    throw new EscalationInputError(`unknown phase ${JSON.stringify((input as { phase?: unknown }).phase)}`);
  logger.info('escalation status', { incident: state.incident.id, round: state.round, ...state.status });
  return state as CheckStatusResult<I>;
};

/**
 * Opens incidents, checks alarm state, acks and silences between steps, and arms the signal wait (stores its
 * task token; the execution then waits for the OK event's signal or the timeout, not for this result). The
 * invocation context gives the function's own account: another account's alarm is unreadable, not deleted.
 */
export const handler = instrumentHandler(checkStatus);
