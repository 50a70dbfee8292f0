import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createAwsSecretBackend } from '../commons/aws-secret-backend';
import { realClock } from '../commons/clock';
import { requireEnv } from '../commons/env';
import { instrumentHandler } from '../commons/instrument-handler';
import { logger, tracer } from '../commons/powertools';
import { createSecretResolver } from '../commons/secret-resolver';
import { DynamoDbIncidentStore } from './adapters/dynamodb-incident-store';
import { type AckHttpResponse, handleAckRequest } from './core/handle-ack-request';

// The link-signing key, through the one secret cache (5 minutes, so a rotated key is picked up).
const resolve = createSecretResolver(
  { ackKey: { secretsManager: requireEnv('VIGIL_ACK_SECRET_ARN') } },
  createAwsSecretBackend((client) => tracer.captureAWSv3Client(client as never) as never),
);
const store = new DynamoDbIncidentStore(
  tracer.captureAWSv3Client(new DynamoDBClient({})),
  requireEnv('VIGIL_TABLE_NAME'),
);

/** A Lambda Function URL request (payload format 2.0), reduced to what the ack page uses. */
export interface FunctionUrlEvent {
  readonly rawQueryString?: string;
  readonly body?: string;
  readonly isBase64Encoded?: boolean;
  readonly requestContext?: { readonly http?: { readonly method?: string } };
}

const ack = async (event: FunctionUrlEvent): Promise<AckHttpResponse> => {
  const body =
    event.body !== undefined && event.isBase64Encoded
      ? Buffer.from(event.body, 'base64').toString('utf8')
      : event.body;
  const response = await handleAckRequest(
    {
      method: event.requestContext?.http?.method ?? 'GET',
      query: event.rawQueryString ?? '',
      ...(body !== undefined ? { body } : {}),
    },
    {
      clock: realClock,
      store,
      secret: () => resolve('ackKey'),
    },
  );
  logger.info('ack request', { status: response.statusCode });
  return response;
};

/** The acknowledge Function URL: verifies the signed link and records the ack. */
export const handler = instrumentHandler(ack);
