import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { XRayClient } from '@aws-sdk/client-xray';
import { requireEnv } from '../commons/env';
import { logger, tracer } from '../commons/powertools';
import { awsEnricher } from './adapters/aws-enricher';
import { CloudWatchAlarmState } from './adapters/cloudwatch-alarm-state';
import { DynamoDbIncidentStore } from './adapters/dynamodb-incident-store';
import {
  type CheckPorts,
  checkEscalation,
  type OpenIncidentInput,
  openIncident,
} from './core/check-escalation';
import { EscalationInputError } from './core/errors';
import type { EscalationState } from './types/incident';
import type { CarriedRuntimeConfig, RuntimeAlertRule } from './types/runtime-config';

const cloudwatchByRegion = new Map<string, CloudWatchClient>();
const cloudwatchIn = (region: string): CloudWatchClient => {
  let client = cloudwatchByRegion.get(region);
  if (client === undefined) {
    client = tracer.captureAWSv3Client(new CloudWatchClient({ region }));
    cloudwatchByRegion.set(region, client);
  }
  return client;
};
const ports: CheckPorts = {
  clock: { now: Date.now, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) },
  alarms: new CloudWatchAlarmState(cloudwatchIn),
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

/** Input of the check-status Task: open an incident, or check before a level. */
export type CheckStatusInput =
  | (Omit<OpenIncidentInput, 'rules'> & {
      readonly phase: 'open';
      /** Absent in executions started on a definition from before the rules moved out of `config`. */
      readonly rules?: readonly RuntimeAlertRule[];
    })
  | {
      readonly phase: 'check';
      readonly state: EscalationState;
      readonly level: number;
      readonly config: CarriedRuntimeConfig;
    };

/** Opens incidents and checks alarm state, acks and silences between levels. */
export const handler = async (input: CheckStatusInput): Promise<EscalationState> => {
  let state: EscalationState;
  if (input.phase === 'open') {
    // An execution started on the previous definition (during a deploy) still carries the rules in `config`.
    const rules = input.rules ?? (input.config as { rules?: readonly RuntimeAlertRule[] }).rules ?? [];
    state = await openIncident({ ...input, rules }, ports);
  } else if (input.phase === 'check') state = await checkEscalation(input, ports);
  else
    throw new EscalationInputError(`unknown phase ${JSON.stringify((input as { phase?: unknown }).phase)}`);
  logger.info('escalation status', { incident: state.incident.id, round: state.round, ...state.status });
  return state;
};
