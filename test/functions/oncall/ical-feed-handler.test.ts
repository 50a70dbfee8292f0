import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import ICAL from 'ical.js';
import { parseConfig } from '../../../functions/commons/config/resolve-config';
import {
  bundledOnCallConfig,
  CALENDAR_TOKEN_SECRETS_ENV,
  ONCALL_CONFIG_FILE,
  ONCALL_CONFIG_FILE_ENV,
} from '../../../functions/oncall/adapters/bundled-oncall-config';
import { DynamoDbOverrideStore } from '../../../functions/oncall/adapters/dynamodb-override-store';
import type { CalendarFeedEvent } from '../../../functions/oncall/ical-feed-handler';
import { createPkSkTable } from '../../helpers/moto-tables';

// The calendar-feed Lambda's real handler, its tokens in Secrets Manager and its overrides in DynamoDB,
// both on moto; every feed is read back with ical.js.

const HOUR_MS = 3_600_000;
const TABLE = `ical-feed-${Date.now()}`;
const TOKENS = {
  'alice-phone': 'AliceToken0123456789abcdefABCDEF',
  wall: 'WallToken0123456789abcdefABCDEF0',
};
const config = parseConfig({
  app: 'ical-feed-test',
  environments: { local: { baseUrl: 'http://127.0.0.1:1' } },
  people: {
    alice: { name: 'Alice Martin', timezone: 'Europe/London', contact: { email: 'alice@example.com' } },
    bob: { name: 'Bob Chen', timezone: 'UTC', contact: { email: 'bob@example.com' } },
  },
  schedules: {
    primary: {
      timezone: 'UTC',
      layers: [{ members: ['alice', 'bob'], start: '2026-01-05T09:00', rotation: 'daily' }],
    },
    secondary: {
      timezone: 'UTC',
      layers: [{ members: ['alice'], start: '2026-01-05T09:00', rotation: 'weekly' }],
    },
  },
  calendars: { 'alice-phone': { person: 'alice' }, wall: { schedule: 'primary' } },
});

let handler: (
  event: CalendarFeedEvent,
) => ReturnType<typeof import('../../../functions/oncall/ical-feed-handler').handler>;
let configDir: string;
let override: { start: number; end: number };

const get = (path: string, method = 'GET') =>
  handler({ rawPath: path, requestContext: { http: { method } } });

interface ParsedEvent {
  summary: string;
  start: number;
  end: number;
}
const parse = (feed: string): { name: string; events: ParsedEvent[] } => {
  const calendar = new ICAL.Component(ICAL.parse(feed));
  return {
    name: String(calendar.getFirstPropertyValue('x-wr-calname')),
    events: calendar.getAllSubcomponents('vevent').map((component) => {
      const event = new ICAL.Event(component);
      return {
        summary: event.summary,
        start: event.startDate.toJSDate().getTime(),
        end: event.endDate.toJSDate().getTime(),
      };
    }),
  };
};

beforeAll(async () => {
  const dynamodb = new DynamoDBClient({});
  await createPkSkTable(TABLE, dynamodb);
  // A run-time override: bob covers primary for six hours tomorrow, written as `vigil oncall override --aws` does.
  const tomorrow = Math.floor(Date.now() / (24 * HOUR_MS) + 1) * 24 * HOUR_MS;
  override = { start: tomorrow + 12 * HOUR_MS, end: tomorrow + 18 * HOUR_MS };
  await new DynamoDbOverrideStore(dynamodb, TABLE).putOverride({
    id: 'ov-handler',
    schedule: 'primary',
    person: 'bob',
    ...override,
    createdAt: Date.now(),
    createdBy: 'test',
  });
  const secrets = new SecretsManagerClient({});
  const arns: Record<string, string> = {};
  for (const [name, token] of Object.entries(TOKENS)) {
    const made = await secrets.send(
      new CreateSecretCommand({ Name: `ical-feed-test/${name}-${Date.now()}`, SecretString: token }),
    );
    arns[name] = made.ARN ?? '';
  }
  configDir = mkdtempSync(join(tmpdir(), 'ical-feed-'));
  const file = join(configDir, ONCALL_CONFIG_FILE);
  writeFileSync(file, JSON.stringify(bundledOnCallConfig(config)));
  process.env[ONCALL_CONFIG_FILE_ENV] = file;
  process.env[CALENDAR_TOKEN_SECRETS_ENV] = JSON.stringify(arns);
  process.env.VIGIL_ONCALL_TABLE_NAME = TABLE;
  process.env.POWERTOOLS_TRACE_ENABLED = 'false';
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  process.env.POWERTOOLS_SERVICE_NAME = 'ical-feed';
  ({ handler } = await import('../../../functions/oncall/ical-feed-handler'));
});

afterAll(() => rmSync(configDir, { recursive: true, force: true }));

describe('calendar feed handler (Function URL)', () => {
  it("serves a schedule's feed with its run-time override, 30 days back to 90 ahead, as text/calendar", async () => {
    // Act
    const response = await get(`/ical/wall/${TOKENS.wall}.ics`);
    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(response.headers['cache-control']).toMatch(/^private, max-age=\d+$/);
    const feed = parse(response.body);
    expect(feed.name).toBe('On call: primary');
    expect(feed.events).toContainEqual({ summary: 'On call: Bob Chen (primary)', ...override });
    const now = Date.now();
    const starts = feed.events.map((event) => event.start);
    expect(Math.min(...starts)).toBeLessThanOrEqual(now - 29 * 24 * HOUR_MS);
    expect(Math.min(...starts)).toBeGreaterThan(now - 32 * 24 * HOUR_MS);
    expect(Math.max(...feed.events.map((event) => event.end))).toBeGreaterThanOrEqual(
      now + 89 * 24 * HOUR_MS,
    );
    expect(Math.max(...starts)).toBeLessThan(now + 90 * 24 * HOUR_MS);
  });

  it("serves a person's feed: their shifts in every schedule, nobody else's", async () => {
    // Act
    const response = await get(`/ical/alice-phone/${TOKENS['alice-phone']}.ics`);
    // Assess
    expect(response.statusCode).toBe(200);
    const feed = parse(response.body);
    expect(feed.name).toBe('On call: Alice Martin');
    const summaries = new Set(feed.events.map((event) => event.summary));
    expect(summaries).toEqual(
      new Set(['On call: Alice Martin (primary)', 'On call: Alice Martin (secondary)']),
    );
  });

  it('answers a forged token, a token of another subscriber, an unknown subscriber and a bad path with the same 404', async () => {
    // Act
    const responses = await Promise.all([
      get(`/ical/wall/${TOKENS.wall.slice(0, -1)}X.ics`),
      get(`/ical/wall/${TOKENS['alice-phone']}.ics`),
      get(`/ical/mallory/${TOKENS.wall}.ics`),
      get(`/ical/constructor/${TOKENS.wall}.ics`),
      get(`/ical/wall/${TOKENS.wall}`),
      get('/'),
    ]);
    // Assess
    for (const response of responses) {
      expect(response).toEqual({
        statusCode: 404,
        headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
        body: 'Not found\n',
      });
    }
  });

  it('answers HEAD with the headers and no body, and refuses other methods', async () => {
    // Act
    const head = await get(`/ical/wall/${TOKENS.wall}.ics`, 'HEAD');
    const post = await get(`/ical/wall/${TOKENS.wall}.ics`, 'POST');
    // Assess
    expect(head.statusCode).toBe(200);
    expect(head.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(head.body).toBe('');
    expect(post.statusCode).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
  });
});
