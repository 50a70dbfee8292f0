import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CreateEmailIdentityCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { parseConfig } from '../../../functions/commons/config/resolve-config';
import {
  bundledShiftNoticeConfig,
  ONCALL_CONFIG_FILE_ENV,
  SHIFT_NOTICES_CONFIG_FILE,
} from '../../../functions/oncall/adapters/bundled-oncall-config';
import { createPkSkTable } from '../../helpers/moto-tables';
import { type HttpReceiver, startReceiver } from '../escalation/helpers/http-receiver';

// The shift notifier's real handler with its real SDK clients: overrides and notices in DynamoDB and the bot
// token in Secrets Manager (moto), email through SES v2 (moto), SMS and Slack through stand-ins on 127.0.0.1
// speaking the SMS and Voice v2 (awsJson1_0) and Slack Web API protocols.

const TABLE = `shift-notices-${Date.now()}`;
const HOUR_MS = 3_600_000;
let smsVoice: HttpReceiver;
let slack: HttpReceiver;
let configDir: string;
let handler: typeof import('../../../functions/oncall/shift-notices-handler').handler;
const saved = { ...process.env };

/** `YYYY-MM-DDTHH:MM` in UTC, `minutes` from now, on a whole minute. */
const wallClockIn = (minutes: number) =>
  new Date(Math.floor(Date.now() / 60_000 + minutes) * 60_000).toISOString().slice(0, 16);

beforeAll(async () => {
  [smsVoice, slack] = await Promise.all([startReceiver(), startReceiver()]);
  smsVoice.fallback = {
    status: 200,
    headers: { 'content-type': 'application/x-amz-json-1.0' },
    body: '{"MessageId":"sms-1"}',
  };
  slack.fallback = {
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: '{"ok":true,"ts":"1700000000.000100"}',
  };
  const dynamodb = new DynamoDBClient({});
  await createPkSkTable(TABLE, dynamodb);
  const tokenName = `shift-notices-test/bot-${Date.now()}`;
  await new SecretsManagerClient({}).send(
    new CreateSecretCommand({ Name: tokenName, SecretString: 'xoxb-test' }),
  );
  await new SESv2Client({}).send(new CreateEmailIdentityCommand({ EmailIdentity: 'oncall@notices.example' }));
  const config = parseConfig({
    app: 'notices',
    environments: { prod: { baseUrl: 'https://shop.example.com' } },
    people: {
      alice: {
        name: 'Alice Martin',
        timezone: 'UTC',
        contact: { sms: '+447700900101', email: 'alice@notices.example', slack: 'U0ALICE' },
      },
    },
    schedules: {
      // Alice came on call 20 minutes ago (nobody before: the layer started then).
      primary: {
        timezone: 'UTC',
        layers: [{ members: ['alice'], start: wallClockIn(-20), rotation: 'weekly' }],
      },
      // Starts in two days, no fallback: an empty slot in the next 7 days.
      later: {
        timezone: 'UTC',
        layers: [{ members: ['alice'], start: wallClockIn(48 * 60), rotation: 'weekly' }],
      },
    },
    paging: {
      sms: { originationIdentity: 'phone-0123456789abcdef0123456789abcdef' },
      email: { from: 'oncall@notices.example' },
      slack: { botToken: { secretsManager: tokenName }, apiUrl: `${slack.url}/api` },
    },
  });
  configDir = mkdtempSync(join(tmpdir(), 'shift-notices-'));
  const file = join(configDir, SHIFT_NOTICES_CONFIG_FILE);
  writeFileSync(file, JSON.stringify(bundledShiftNoticeConfig(config)));
  process.env[ONCALL_CONFIG_FILE_ENV] = file;
  process.env.VIGIL_ONCALL_TABLE_NAME = TABLE;
  process.env.AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2 = new URL(smsVoice.url).origin;
  process.env.POWERTOOLS_TRACE_ENABLED = 'false';
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  process.env.POWERTOOLS_SERVICE_NAME = 'notices';
  process.env.POWERTOOLS_METRICS_NAMESPACE = 'Vigil';
  process.env.VIGIL_APP = 'notices';
  ({ handler } = await import('../../../functions/oncall/shift-notices-handler'));
});

afterAll(async () => {
  process.env = saved;
  await Promise.all([smsVoice?.close(), slack?.close()]);
  if (configDir !== undefined) rmSync(configDir, { recursive: true, force: true });
});

describe('shift notices handler (scheduled every 5 minutes)', () => {
  it('sends the handoff notice once by SMS, email and Slack, records it, and reports the empty slot', async () => {
    // Act: two runs, as two schedule ticks whose look-back both see the handoff.
    const first = await handler();
    const second = await handler();
    // Assess
    expect(first.sent).toHaveLength(1);
    const record = first.sent[0]!;
    expect(record).toMatchObject({ schedule: 'primary', person: 'alice' });
    expect(record.deliveries.map((d) => [d.method, d.outcome]).sort()).toEqual([
      ['email', 'sent'],
      ['slack', 'sent'],
      ['sms', 'sent'],
    ]);
    expect(second).toMatchObject({ sent: [], alreadySent: [record.key] });
    // SMS: one SendTextMessage from the origination identity with the notice (a one-person weekly rotation
    // has no next handoff within 35 days: "at least until").
    expect(smsVoice.requests).toHaveLength(1);
    expect(smsVoice.requests[0]?.headers['x-amz-target']).toBe('PinpointSMSVoiceV2.SendTextMessage');
    expect(smsVoice.requests[0]?.json).toMatchObject({
      DestinationPhoneNumber: '+447700900101',
      OriginationIdentity: 'phone-0123456789abcdef0123456789abcdef',
      MessageBody: expect.stringMatching(
        /^Vigil: you are on call for primary at least until \w{3} \d{4}-\d\d-\d\d \d\d:\d\d UTC\.$/,
      ),
    });
    // Slack: a DM to the member id with the bot token from Secrets Manager.
    expect(slack.requests).toHaveLength(1);
    expect(slack.requests[0]?.path).toMatch(/\/api\/chat\.postMessage$/);
    expect(slack.requests[0]?.headers.authorization).toBe('Bearer xoxb-test');
    expect(slack.requests[0]?.json).toMatchObject({ channel: 'U0ALICE' });
    // The claim and the outcomes, in the on-call table.
    const item = await new DynamoDBClient({}).send(
      new GetItemCommand({ TableName: TABLE, Key: { pk: { S: 'notice' }, sk: { S: record.key } } }),
    );
    expect(JSON.parse(item.Item?.data?.S ?? '{}').deliveries).toHaveLength(3);
    // The empty slot of `later`, until its start.
    expect(first.gaps.map((gap) => gap.schedule)).toEqual(['later']);
    expect(first.gaps[0]?.end).toBeGreaterThan(Date.now() + 47 * HOUR_MS);
  });
});
