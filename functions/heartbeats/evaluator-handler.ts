import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { realClock } from '../commons/clock';
import { requireEnv } from '../commons/env';
import { instrumentHandler } from '../commons/instrument-handler';
import { metrics } from '../commons/metrics/lambda-metrics';
import { logger, tracer } from '../commons/powertools';
import { DynamoDbHeartbeatStore } from './adapters/dynamodb-heartbeat-store';
import { evaluateHeartbeats, type HeartbeatEvaluation } from './evaluate-heartbeats';
import { readHeartbeatConfig } from './read-heartbeat-config';

// Read once per execution environment.
const config = readHeartbeatConfig(__dirname);
const store = new DynamoDbHeartbeatStore(
  tracer.captureAWSv3Client(new DynamoDBClient({})),
  requireEnv('VIGIL_HEARTBEAT_TABLE'),
);

const evaluate = async (): Promise<HeartbeatEvaluation[]> => {
  const evaluations = await evaluateHeartbeats(config.heartbeats, { store, clock: realClock, metrics });
  const down = evaluations.filter((evaluation) => evaluation.late || evaluation.failed);
  logger.info('heartbeats evaluated', { heartbeats: evaluations.length, down: down.map((e) => e.name) });
  return evaluations;
};

/**
 * Runs every minute (EventBridge Scheduler): publishes each heartbeat's `HeartbeatLate` and
 * `HeartbeatFailed`. When it fails, nothing is published and the alarms (missing data breaching) page.
 */
export const handler = instrumentHandler(evaluate);
