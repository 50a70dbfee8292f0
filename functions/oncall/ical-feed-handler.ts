import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createAwsSecretBackend } from '../commons/aws-secret-backend';
import { realClock } from '../commons/clock';
import { requireEnv } from '../commons/env';
import { instrumentHandler } from '../commons/instrument-handler';
import { logger, tracer } from '../commons/powertools';
import { createSecretResolver } from '../commons/secret-resolver';
import { CALENDAR_TOKEN_SECRETS_ENV, loadBundledOnCallConfig } from './adapters/bundled-oncall-config';
import { DynamoDbOverrideStore } from './adapters/dynamodb-override-store';
import { type CalendarFeedResponse, serveCalendarFeed } from './core/serve-calendar-feed';

const config = loadBundledOnCallConfig();
const secretArns = JSON.parse(requireEnv(CALENDAR_TOKEN_SECRETS_ENV)) as Record<string, string>;
const overrides = new DynamoDbOverrideStore(
  tracer.captureAWSv3Client(new DynamoDBClient({})),
  requireEnv('VIGIL_ONCALL_TABLE_NAME'),
);
// Read tokens through the one secret cache (5 minutes, so a rotated token stops working within it).
const resolve = createSecretResolver(
  Object.fromEntries(Object.entries(secretArns).map(([name, arn]) => [name, { secretsManager: arn }])),
  createAwsSecretBackend((client) => tracer.captureAWSv3Client(client as never) as never),
);
const readTokens = async (): Promise<Record<string, string>> =>
  Object.fromEntries(
    await Promise.all(Object.keys(secretArns).map(async (name) => [name, await resolve(name)] as const)),
  );

/** A Lambda Function URL request (payload format 2.0), reduced to what the feed uses. */
export interface CalendarFeedEvent {
  readonly rawPath?: string;
  readonly requestContext?: { readonly http?: { readonly method?: string } };
}

const serveFeed = async (event: CalendarFeedEvent): Promise<CalendarFeedResponse> => {
  try {
    const response = await serveCalendarFeed(
      { method: event.requestContext?.http?.method ?? 'GET', path: event.rawPath ?? '/' },
      { config, tokens: readTokens, overrides, clock: realClock },
    );
    // The path holds the token: only the status is logged.
    logger.info('calendar feed request', { status: response.statusCode });
    return response;
  } catch (error) {
    logger.error('calendar feed failed', { errorName: error instanceof Error ? error.name : 'unknown' });
    return {
      statusCode: 503,
      headers: {
        'content-type': 'text/plain; charset=utf-8',
        'retry-after': '60',
        'cache-control': 'no-store',
      },
      body: 'Unavailable, try again later\n',
    };
  }
};

/** The calendar-feed Function URL: `GET /ical/<subscriber>/<token>.ics`. */
export const handler = instrumentHandler(serveFeed);
