import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createAwsSecretBackend } from '../commons/aws-secret-backend';
import { realClock } from '../commons/clock';
import type { SecretRef } from '../commons/config/types';
import { requireEnv } from '../commons/env';
import { instrumentHandler } from '../commons/instrument-handler';
import { logger, tracer } from '../commons/powertools';
import { createSecretResolver } from '../commons/secret-resolver';
import { DynamoDbIncidentStore } from './adapters/dynamodb-incident-store';
import { fetchHttp } from './adapters/fetch-http';
import { EscalationInputError } from './core/errors';
import { handleSlackInteraction, type SlackInteractionResult } from './core/handle-slack-interaction';
import type { WebhookFunctionUrlEvent } from './pagerduty-webhook';

/** Environment variable holding the Slack signing secret's reference (`{ "secretsManager": "<arn>" }`). */
export const SLACK_SIGNING_SECRET_ENV = 'VIGIL_SLACK_SIGNING_SECRET';
/** Environment variable holding `{ "<Slack user id>": "<person name>" }` (people's `contact.slack`). */
export const SLACK_PEOPLE_ENV = 'VIGIL_SLACK_PEOPLE';

const readJson = <T>(name: string, text: string, valid: (value: unknown) => boolean): T => {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new EscalationInputError(`${name} is not JSON`, { cause: error });
  }
  if (!valid(value)) throw new EscalationInputError(`${name} does not have the expected shape`);
  return value as T;
};

const signingRef = readJson<SecretRef>(
  SLACK_SIGNING_SECRET_ENV,
  requireEnv(SLACK_SIGNING_SECRET_ENV),
  (ref) => typeof ref === 'object' && ref !== null && ('secretsManager' in ref || 'ssm' in ref),
);
const people = readJson<Record<string, string>>(
  SLACK_PEOPLE_ENV,
  process.env[SLACK_PEOPLE_ENV] ?? '{}',
  (map) => Object.values(map as object).every((name) => typeof name === 'string'),
);
const resolve = createSecretResolver(
  { signingSecret: signingRef },
  createAwsSecretBackend((client) => tracer.captureAWSv3Client(client as never) as never),
);
const store = new DynamoDbIncidentStore(
  tracer.captureAWSv3Client(new DynamoDBClient({})),
  requireEnv('VIGIL_TABLE_NAME'),
);

const receiveInteraction = async (
  event: WebhookFunctionUrlEvent,
): Promise<SlackInteractionResult['response']> => {
  const body = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64') : (event.body ?? '');
  const result = await handleSlackInteraction(
    { method: event.requestContext?.http?.method ?? 'POST', headers: event.headers ?? {}, body },
    { clock: realClock, store, secret: () => resolve('signingSecret'), http: fetchHttp, people },
  );
  const { response, ...summary } = result;
  if (result.outcome === 'refused' || result.outcome === 'unavailable')
    logger.warn('slack interaction refused', { status: response.statusCode, ...summary });
  else logger.info('slack interaction', { status: response.statusCode, ...summary });
  return response;
};

/** The Slack interactivity Function URL: verifies the request signature and records button acks. */
export const handler = instrumentHandler(receiveInteraction);
