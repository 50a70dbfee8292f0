import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import ICAL from 'ical.js';
import { oncallCommand } from '../../../bin/commands/oncall-command';
import { DynamoDbOverrideStore } from '../../../functions/oncall/adapters/dynamodb-override-store';
import { calendarTokenSecretName } from '../../../functions/oncall/core/serve-calendar-feed';
import { recordingIO } from '../../helpers/cli-io';
import { createPkSkTable } from '../../helpers/moto-tables';

// Jest resolves 'bin/vigil' to the JavaScript launcher (bin/vigil.js); the CLI itself is vigil.ts.
const { main } = require('../../../bin/vigil.ts') as typeof import('../../../bin/vigil');

const people = {
  alice: { name: 'Alice Martin', timezone: 'Europe/London', contact: { email: 'alice@example.com' } },
  bob: { name: 'Bob Chen', timezone: 'America/New_York', contact: { email: 'bob@example.com' } },
};
const baseConfig = {
  app: 'oncall-cli-test',
  environments: { local: { baseUrl: 'http://127.0.0.1:1' } },
  people,
  schedules: {
    primary: {
      timezone: 'Europe/London',
      layers: [{ name: 'weekly', members: ['alice', 'bob'], start: '2027-03-01T09:00', rotation: 'weekly' }],
    },
    // Starts on 2027-03-10: before that nobody is on call and there is no fallback.
    later: {
      timezone: 'UTC',
      layers: [{ members: ['bob'], start: '2027-03-10T00:00', rotation: 'daily' }],
    },
  },
};

const directories: string[] = [];
afterAll(() => {
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

/** A project directory with a vigil.config.json. */
const project = (config: unknown = baseConfig): string => {
  const directory = mkdtempSync(join(tmpdir(), 'vigil-oncall-cli-'));
  directories.push(directory);
  writeFileSync(join(directory, 'vigil.config.json'), JSON.stringify(config));
  return directory;
};

const run = async (cwd: string, argv: string[], env: Record<string, string> = { USER: 'alice' }) => {
  const recorded = recordingIO({ cwd, env });
  const code = await oncallCommand.run(argv, recorded.io);
  return { code, stdout: recorded.stdout(), stderr: recorded.stderr() };
};

describe('vigil oncall', () => {
  it('shows who is on call at --at and the next shifts, across the London DST change, as JSON', async () => {
    // Prepare
    const cwd = project();
    // Act
    const result = await run(cwd, [
      '--schedule',
      'primary',
      '--at',
      '2027-03-24T12:00Z',
      '--next',
      '14d',
      '--json',
    ]);
    // Assess
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.schedules[0].onCall).toMatchObject({
      kind: 'layer',
      person: 'bob',
      name: 'Bob Chen',
      layer: 'weekly',
    });
    expect(
      json.schedules[0].shifts.map((shift: { start: string; person: string }) => [shift.start, shift.person]),
    ).toEqual([
      ['2027-03-24T12:00:00.000Z', 'bob'],
      ['2027-03-29T08:00:00.000Z', 'alice'], // Monday 09:00 BST
      ['2027-04-05T08:00:00.000Z', 'bob'],
    ]);
  });

  it('prints a table for humans and warns about an empty slot in the next 7 days', async () => {
    // Prepare
    const cwd = project();
    // Act
    const result = await run(cwd, ['--at', '2027-03-08T12:00Z', '--next', '1d']);
    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'primary: Bob Chen (layer weekly) until Mon 2027-03-15 09:00 Europe/London',
    );
    expect(result.stdout).toContain('later: (nobody) (no layer, no fallback) until Wed 2027-03-10 00:00 UTC');
    expect(result.stderr).toBe(
      "warning: schedule 'later' has nobody on call from Mon 2027-03-08 12:00 to Wed 2027-03-10 00:00 UTC (no layer, override or fallback covers it)\n",
    );
  });

  it('exits 2 with every config problem and its path', async () => {
    // Prepare
    const cwd = project({
      ...baseConfig,
      schedules: {
        broken: {
          timezone: 'UTC',
          layers: [{ members: ['zed'], start: '2027-01-01T00:00', rotation: 'daily' }],
        },
      },
    });
    // Act
    const result = await run(cwd, []);
    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("schedules.broken.layers[0].members[0]: unknown person 'zed'");
  });

  it('is registered in the CLI and rejects unknown actions and schedules with exit 2', async () => {
    // Prepare
    const cwd = project();
    const recorded = recordingIO({ cwd });
    // Act
    const help = await main(['--help'], recorded.io);
    const unknownAction = await run(cwd, ['swap']);
    const unknownSchedule = await run(cwd, ['--schedule', 'nope']);
    // Assess
    expect(help).toBe(0);
    expect(recorded.stdout()).toMatch(/oncall\s+Who is on call/);
    expect(unknownAction.code).toBe(2);
    expect(unknownSchedule).toMatchObject({
      code: 2,
      stderr: "unknown schedule 'nope' (known: primary, later)\n",
    });
  });
});

describe('vigil oncall override (local mode)', () => {
  it('creates an override the next `vigil oncall` shows, then deletes it, both audited with $USER', async () => {
    // Prepare
    const cwd = project();
    // Act
    const created = await run(cwd, [
      'override',
      '--schedule',
      'primary',
      '--person',
      'alice',
      '--from',
      '2027-03-24T09:00',
      '--to',
      '2027-03-24T17:00',
      '--reason',
      'swap, dentist',
    ]);
    const id = /created override (ov-[0-9a-f]+)/.exec(created.stdout)?.[1] as string;
    const during = JSON.parse(
      (await run(cwd, ['--schedule', 'primary', '--at', '2027-03-24T12:00Z', '--json'])).stdout,
    );
    const deleted = await run(cwd, ['override', '--delete', id], { USER: 'bob' });
    const after = JSON.parse(
      (await run(cwd, ['--schedule', 'primary', '--at', '2027-03-24T12:00Z', '--json'])).stdout,
    );
    // Assess
    expect(created.code).toBe(0);
    expect(created.stdout).toContain(
      'Alice Martin covers primary from Wed 2027-03-24 09:00 to Wed 2027-03-24 17:00 Europe/London',
    );
    expect(during.schedules[0].onCall).toMatchObject({ kind: 'override', person: 'alice', overrideId: id });
    expect(during.schedules[0].overrides).toEqual([
      {
        id,
        person: 'alice',
        start: '2027-03-24T09:00:00.000Z',
        end: '2027-03-24T17:00:00.000Z',
        reason: 'swap, dentist',
        createdBy: 'alice',
      },
    ]);
    expect(deleted).toMatchObject({ code: 0, stdout: `deleted override ${id} (alice on primary)\n` });
    expect(after.schedules[0].onCall).toMatchObject({ kind: 'layer', person: 'bob' });
    expect(after.schedules[0].overrides).toEqual([]);
    const file = JSON.parse(readFileSync(join(cwd, '.vigil', 'oncall-overrides.json'), 'utf8'));
    expect(file.overrides).toEqual([]);
    expect(
      file.audit.map((record: { actor: string; action: string }) => [record.actor, record.action]),
    ).toEqual([
      ['alice', 'create'],
      ['bob', 'delete'],
    ]);
    expect(file.audit[0].override.reason).toBe('swap, dentist');
  });

  it('refuses an override for an unknown schedule or person with a clear error and stores nothing', async () => {
    // Prepare
    const cwd = project();
    const times = ['--from', '2027-03-24T09:00Z', '--to', '2027-03-24T17:00Z'];
    // Act
    const schedule = await run(cwd, ['override', '--schedule', 'nope', '--person', 'alice', ...times]);
    const person = await run(cwd, ['override', '--schedule', 'primary', '--person', 'mallory', ...times]);
    const missing = await run(cwd, [
      'override',
      '--schedule',
      'primary',
      '--person',
      'alice',
      '--from',
      '2027-03-24T09:00Z',
    ]);
    // Assess
    expect(schedule).toMatchObject({ code: 2, stderr: "unknown schedule 'nope' (known: primary, later)\n" });
    expect(person).toMatchObject({ code: 2, stderr: "unknown person 'mallory' (known: alice, bob)\n" });
    expect(missing).toMatchObject({ code: 2, stderr: 'override needs --to (or --delete ID)\n' });
    const file = JSON.parse(readFileSync(join(cwd, '.vigil', 'oncall-overrides.json'), 'utf8'));
    expect(file.overrides).toEqual([]);
    expect(file.audit.map((record: { outcome: string }) => record.outcome)).toEqual(['refused', 'refused']);
  });
});

describe('vigil oncall override without $USER', () => {
  it('audits the login name of the OS user instead', async () => {
    // Prepare
    const cwd = project();
    // Act
    const result = await run(
      cwd,
      [
        'override',
        '--schedule',
        'primary',
        '--person',
        'bob',
        '--from',
        '2027-03-24T09:00Z',
        '--to',
        '2027-03-24T10:00Z',
      ],
      {},
    );
    // Assess
    expect(result.code).toBe(0);
    const file = JSON.parse(readFileSync(join(cwd, '.vigil', 'oncall-overrides.json'), 'utf8'));
    expect(file.audit[0].actor).toBe(userInfo().username);
    expect(file.overrides[0].createdBy).toBe(userInfo().username);
  });
});

describe('vigil oncall override --aws', () => {
  it('writes to the deployed table and audits the caller’s AWS identity', async () => {
    // Prepare: moto stands in for DynamoDB and STS (AWS_ENDPOINT_URL from the global setup)
    const cwd = project();
    const tableName = `oncall-cli-${Date.now()}`;
    const dynamodb = new DynamoDBClient({});
    await createPkSkTable(tableName, dynamodb);
    // Act
    const result = await run(cwd, [
      'override',
      '--aws',
      '--table',
      tableName,
      '--schedule',
      'primary',
      '--person',
      'bob',
      '--from',
      '2027-03-24T09:00Z',
      '--to',
      '2027-03-24T17:00Z',
    ]);
    const noTable = await run(cwd, ['--aws']);
    // Assess
    expect(result.code).toBe(0);
    const store = new DynamoDbOverrideStore(dynamodb, tableName);
    expect(await store.listOverrides('primary')).toEqual([expect.objectContaining({ person: 'bob' })]);
    expect((await store.listAudit())[0]?.actor).toMatch(/^arn:aws:(iam|sts)::\d{12}:/);
    expect(existsSync(join(cwd, '.vigil'))).toBe(false);
    expect(noTable).toMatchObject({
      code: 2,
      stderr: '--aws needs --table NAME (stack output OnCallTableName)\n',
    });
  });
});

describe('vigil oncall export --ical', () => {
  it('writes an RFC 5545 feed per schedule and per person that ical.js reads back', async () => {
    // Prepare
    const cwd = project();
    await run(cwd, [
      'override',
      '--schedule',
      'primary',
      '--person',
      'alice',
      '--from',
      '2027-03-30T00:00Z',
      '--to',
      '2027-03-31T00:00Z',
    ]);
    const range = ['--from', '2027-03-22T00:00Z', '--to', '2027-04-12T00:00Z'];
    // Act
    const all = await run(cwd, ['export', '--schedule', 'primary', '--ical', ...range]);
    const bob = await run(cwd, [
      'export',
      '--schedule',
      'primary',
      '--ical',
      '--person',
      'bob',
      ...range,
      '--out',
      'bob.ics',
    ]);
    const noFormat = await run(cwd, ['export', '--schedule', 'primary']);
    // Assess
    const events = (feed: string) =>
      new ICAL.Component(ICAL.parse(feed)).getAllSubcomponents('vevent').map((component) => {
        const event = new ICAL.Event(component);
        return [event.startDate.toJSDate().toISOString(), event.summary];
      });
    expect(all.code).toBe(0);
    // The shift in force at --from keeps its real start; the override splits Alice's week in three events
    expect(events(all.stdout)).toEqual([
      ['2027-03-15T09:00:00.000Z', 'On call: Alice Martin (primary)'],
      ['2027-03-22T09:00:00.000Z', 'On call: Bob Chen (primary)'],
      ['2027-03-29T08:00:00.000Z', 'On call: Alice Martin (primary)'],
      ['2027-03-30T00:00:00.000Z', 'On call: Alice Martin (primary)'],
      ['2027-03-31T00:00:00.000Z', 'On call: Alice Martin (primary)'],
      ['2027-04-05T08:00:00.000Z', 'On call: Bob Chen (primary)'],
    ]);
    expect(all.stdout).toContain('DESCRIPTION:Schedule primary: override ov-');
    expect(bob).toMatchObject({ code: 0, stdout: '', stderr: 'wrote bob.ics\n' });
    expect(events(readFileSync(join(cwd, 'bob.ics'), 'utf8'))).toEqual([
      ['2027-03-22T09:00:00.000Z', 'On call: Bob Chen (primary)'],
      ['2027-04-05T08:00:00.000Z', 'On call: Bob Chen (primary)'],
    ]);
    expect(noFormat).toMatchObject({ code: 2, stderr: 'export needs --ical (the only format)\n' });
  });
});

describe('vigil oncall calendar-url', () => {
  it("prints a subscriber's feed address: the deployed URL with the token the deploy stored", async () => {
    // Prepare
    const app = `calendar-url-${Date.now()}`;
    const cwd = project({ ...baseConfig, app, calendars: { 'alice-phone': { person: 'alice' } } });
    await new SecretsManagerClient({}).send(
      new CreateSecretCommand({
        Name: calendarTokenSecretName(app, 'alice-phone'),
        SecretString: 'TokenFromSecretsManager0123456789',
      }),
    );
    // Act
    const printed = await run(cwd, [
      'calendar-url',
      'alice-phone',
      '--aws',
      '--url',
      'https://abc123.lambda-url.eu-west-1.on.aws/',
    ]);
    const unknown = await run(cwd, ['calendar-url', 'mallory', '--aws', '--url', 'https://x.on.aws/']);
    const noUrl = await run(cwd, ['calendar-url', 'alice-phone']);
    const noName = await run(cwd, ['calendar-url']);
    // Assess
    expect(printed).toEqual({
      code: 0,
      stdout:
        'https://abc123.lambda-url.eu-west-1.on.aws/ical/alice-phone/TokenFromSecretsManager0123456789.ics\n',
      stderr: '',
    });
    expect(unknown).toEqual({
      code: 2,
      stdout: '',
      stderr: "unknown calendar subscriber 'mallory' (known: alice-phone)\n",
    });
    expect(noUrl.stderr).toBe('calendar-url needs --aws --url URL (stack output OnCallCalendarsUrl)\n');
    expect(noName.code).toBe(2);
  });
});
