import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createAwsSecretBackend } from '../commons/aws-secret-backend';
import { realClock } from '../commons/clock';
import { requireEnv } from '../commons/env';
import { instrumentHandler } from '../commons/instrument-handler';
import { metrics } from '../commons/metrics/lambda-metrics';
import { logger, tracer } from '../commons/powertools';
import { DynamoDbHeartbeatStore } from './adapters/dynamodb-heartbeat-store';
import { createPingCore, type PingResponse } from './handle-ping';
import { secretsManagerTokens } from './load-tokens';
import { readHeartbeatConfig } from './read-heartbeat-config';

/** The parts of a Lambda Function URL event (payload 2.0) the ping handler reads. */
export interface FunctionUrlEvent {
  readonly rawPath: string;
  readonly body?: string;
  readonly isBase64Encoded?: boolean;
  readonly requestContext: { readonly http: { readonly method: string } };
}

// Read once per execution environment.
const config = readHeartbeatConfig(__dirname);
const store = new DynamoDbHeartbeatStore(
  tracer.captureAWSv3Client(new DynamoDBClient({})),
  requireEnv('VIGIL_HEARTBEAT_TABLE'),
);
const tokens = secretsManagerTokens(
  config,
  createAwsSecretBackend((client) => tracer.captureAWSv3Client(client as never) as never),
);
const core = createPingCore({ tokens, store, clock: realClock, metrics });

const UNAVAILABLE: PingResponse = { statusCode: 503, body: 'unavailable, retry later\n' };

const ping = async (event: FunctionUrlEvent): Promise<PingResponse & { headers: Record<string, string> }> => {
  const body =
    event.body !== undefined && event.isBase64Encoded === true
      ? Buffer.from(event.body, 'base64').toString('utf8')
      : event.body;
  let response: PingResponse;
  try {
    response = await core({
      method: event.requestContext.http.method,
      path: event.rawPath,
      ...(body !== undefined ? { body } : {}),
    });
  } catch (error) {
    logger.error('ping not recorded', {
      error: (error as Error).name,
      cause: String((error as Error).cause),
    });
    response = UNAVAILABLE;
  }
  return {
    ...response,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
  };
};

/**
 * The ping endpoint (a Function URL with auth NONE: the token in the path is the credential). Only
 * `/ping/<id>/<token>[/start|/fail|/<exit-code>]` is served; everything else is the same 404. The path is
 * never logged, since it holds the token.
 */
export const handler = instrumentHandler(ping);
