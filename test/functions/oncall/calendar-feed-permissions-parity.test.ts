import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { App, Stack } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import ICAL from 'ical.js';
import { parseConfig } from '../../../functions/commons/config/resolve-config';
import {
  bundledOnCallConfig,
  ONCALL_CONFIG_FILE,
  ONCALL_CONFIG_FILE_ENV,
} from '../../../functions/oncall/adapters/bundled-oncall-config';
import { DynamoDbOverrideStore } from '../../../functions/oncall/adapters/dynamodb-override-store';
import { CalendarFeed } from '../../../stacks/constructs/oncall/calendar-feed';
import { OnCallTable } from '../../../stacks/constructs/oncall/oncall-table';
import { type IamMoto, startIamMoto } from '../../helpers/iam-moto';
import { HANG_GUARD_MS } from '../../helpers/patience';
import { type RoleRunner, runAsRole } from '../../helpers/run-as-role';
import {
  clientConfig,
  deployOnMoto,
  MOTO_ACCOUNT,
  MOTO_REGION,
  type TemplateJson,
} from '../../helpers/template-on-moto';

// Deploy parity: the calendar-feed Lambda's real handler runs against a moto that enforces IAM, signed by an
// IAM user holding exactly the synthesized role's statements (see test/functions/escalation/permissions-parity).

const TOKEN = 'ParityCalendarToken0123456789abcdefABCD';
const HOUR_MS = 3_600_000;
const config = parseConfig({
  app: 'parity',
  environments: { prod: { baseUrl: 'https://shop.example.com' } },
  people: {
    alice: { name: 'Alice', timezone: 'UTC', contact: { email: 'alice@example.com' } },
    bob: { name: 'Bob', timezone: 'UTC', contact: { email: 'bob@example.com' } },
  },
  schedules: {
    primary: {
      timezone: 'UTC',
      layers: [{ members: ['alice'], start: '2026-01-05T09:00', rotation: 'daily' }],
    },
  },
  calendars: { wall: { schedule: 'primary' } },
});

let moto: IamMoto;
let feed: CalendarFeed;
let stack: Stack;
let role: RoleRunner;
let configDir: string;
let override: { start: number; end: number };

beforeAll(async () => {
  moto = await startIamMoto();
  // Bundling is skipped: the handler runs from source; only the template matters.
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  stack = new Stack(app, 'CalendarParity', { env: { account: MOTO_ACCOUNT, region: MOTO_REGION } });
  const oncall = new OnCallTable(stack, 'OnCall');
  feed = new CalendarFeed(stack, 'Calendars', { config, table: oncall.table });
  const template = app.synth().getStackByName('CalendarParity').template as TemplateJson;
  configDir = mkdtempSync(join(tmpdir(), 'vigil-calendar-parity-'));
  writeFileSync(join(configDir, ONCALL_CONFIG_FILE), JSON.stringify(bundledOnCallConfig(config)));
  const tomorrow = Math.floor(Date.now() / (24 * HOUR_MS) + 1) * 24 * HOUR_MS;
  override = { start: tomorrow + 6 * HOUR_MS, end: tomorrow + 8 * HOUR_MS };
  const deployed = await moto.unenforced(async () => {
    const resources = await deployOnMoto(template, moto.endpoint, {
      [stack.getLogicalId(feed.tokens.wall!.node.defaultChild as never)]: TOKEN,
    });
    const tableName = resources.ref[stack.getLogicalId(oncall.table.node.defaultChild as never)] ?? '';
    await new DynamoDbOverrideStore(new DynamoDBClient(clientConfig(moto.endpoint)), tableName).putOverride({
      id: 'parity-override',
      schedule: 'primary',
      person: 'bob',
      ...override,
      createdAt: Date.now(),
      createdBy: 'parity',
    });
    return resources;
  });
  role = runAsRole(moto, template, deployed);
}, HANG_GUARD_MS);

afterAll(async () => {
  role?.restore();
  await moto?.stop();
  if (configDir !== undefined) rmSync(configDir, { recursive: true, force: true });
});

const functionId = () => stack.getLogicalId(feed.function.node.defaultChild as CfnFunction);

/** The handler loaded as its role would run it, optionally without one granted action. */
const handlerAs = async (withoutAction?: string) =>
  (
    await role.load(functionId(), () => import('../../../functions/oncall/ical-feed-handler'), {
      statements: role.statements(functionId(), withoutAction),
      env: { [ONCALL_CONFIG_FILE_ENV]: join(configDir, ONCALL_CONFIG_FILE) },
    })
  ).handler;

const request = { rawPath: `/ical/wall/${TOKEN}.ics`, requestContext: { http: { method: 'GET' } } };

describe('calendar feed permissions parity', () => {
  it('reads its token secret and the overrides table with exactly its role', async () => {
    // Prepare
    const handler = await handlerAs();
    // Act
    const response = await handler(request);
    // Assess
    expect(response.statusCode).toBe(200);
    const events = new ICAL.Component(ICAL.parse(response.body))
      .getAllSubcomponents('vevent')
      .map((component) => new ICAL.Event(component));
    expect(
      events.some(
        (event) =>
          event.summary === 'On call: Bob (primary)' &&
          event.startDate.toJSDate().getTime() === override.start,
      ),
    ).toBe(true);
  });

  it.each(['secretsmanager:GetSecretValue', 'dynamodb:Query'])(
    'answers 503, not a feed, when the role lacks %s',
    async (action) => {
      // Prepare
      const handler = await handlerAs(action);
      // Act
      const response = await handler(request);
      // Assess
      expect(response.statusCode).toBe(503);
    },
  );
});
