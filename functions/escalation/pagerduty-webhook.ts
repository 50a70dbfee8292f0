import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createAwsSecretBackend } from '../commons/aws-secret-backend';
import { realClock } from '../commons/clock';
import type { SecretRef } from '../commons/config/types';
import { requireEnv } from '../commons/env';
import { instrumentHandler } from '../commons/instrument-handler';
import { logger, tracer } from '../commons/powertools';
import { createSecretResolver } from '../commons/secret-resolver';
import { DynamoDbIncidentStore } from './adapters/dynamodb-incident-store';
import { EscalationInputError } from './core/errors';
import { handlePagerDutyWebhook, type PagerDutyWebhookResult } from './core/handle-pagerduty-webhook';

/** Environment variable holding `{ "<channel>": <SecretRef> }` for every PagerDuty channel with a webhook secret. */
export const WEBHOOK_SECRETS_ENV = 'VIGIL_PAGERDUTY_WEBHOOK_SECRETS';

const readSecretRefs = (text: string): Record<string, SecretRef> => {
  let refs: unknown;
  try {
    refs = JSON.parse(text);
  } catch (error) {
    throw new EscalationInputError(`${WEBHOOK_SECRETS_ENV} is not JSON`, { cause: error });
  }
  const valid =
    typeof refs === 'object' &&
    refs !== null &&
    Object.keys(refs).length > 0 &&
    Object.values(refs).every(
      (ref) => typeof ref === 'object' && ref !== null && ('secretsManager' in ref || 'ssm' in ref),
    );
  if (!valid)
    throw new EscalationInputError(`${WEBHOOK_SECRETS_ENV} must map channel names to secret references`);
  return refs as Record<string, SecretRef>;
};

const refs = readSecretRefs(requireEnv(WEBHOOK_SECRETS_ENV));
const secret = createSecretResolver(
  refs,
  createAwsSecretBackend((client) => tracer.captureAWSv3Client(client as never) as never),
);
const store = new DynamoDbIncidentStore(
  tracer.captureAWSv3Client(new DynamoDBClient({})),
  requireEnv('VIGIL_TABLE_NAME'),
);

/** A Lambda Function URL request (payload format 2.0), reduced to what a webhook delivery uses. */
export interface WebhookFunctionUrlEvent {
  readonly headers?: Readonly<Record<string, string | undefined>>;
  readonly body?: string;
  readonly isBase64Encoded?: boolean;
  readonly requestContext?: { readonly http?: { readonly method?: string } };
}

const receiveWebhook = async (
  event: WebhookFunctionUrlEvent,
): Promise<PagerDutyWebhookResult['response']> => {
  const body = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64') : (event.body ?? '');
  const result = await handlePagerDutyWebhook(
    { method: event.requestContext?.http?.method ?? 'POST', headers: event.headers ?? {}, body },
    { clock: realClock, store, channels: Object.keys(refs), secret },
  );
  const { response, ...summary } = result;
  if (result.outcome === 'unavailable' || result.outcome === 'stale' || result.response.statusCode === 401)
    logger.warn('pagerduty webhook', { status: response.statusCode, ...summary });
  else logger.info('pagerduty webhook', { status: response.statusCode, ...summary });
  return response;
};

/** The PagerDuty webhook Function URL: verifies the signature and records PagerDuty acks. */
export const handler = instrumentHandler(receiveWebhook);
