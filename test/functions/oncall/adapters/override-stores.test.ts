import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { parseConfig } from '../../../../functions/commons/config/resolve-config';
import { DynamoDbOverrideStore } from '../../../../functions/oncall/adapters/dynamodb-override-store';
import { FileOverrideStore } from '../../../../functions/oncall/adapters/file-override-store';
import {
  OnCallOverrideConflictError,
  OnCallOverrideRejectedError,
} from '../../../../functions/oncall/core/errors';
import {
  createOverride,
  deleteOverride,
  type OverrideContext,
} from '../../../../functions/oncall/core/manage-overrides';
import { resolveOnCall } from '../../../../functions/oncall/core/resolve-on-call';
import type { OverrideStore } from '../../../../functions/oncall/types/ports';
import { createPkSkTable } from '../../../helpers/moto-tables';

const config = parseConfig({
  app: 'oncall-store-test',
  environments: { local: { baseUrl: 'http://127.0.0.1:1' } },
  people: {
    alice: { name: 'Alice', timezone: 'Europe/London', contact: { email: 'alice@example.com' } },
    bob: { name: 'Bob', timezone: 'Europe/London', contact: { email: 'bob@example.com' } },
  },
  schedules: {
    primary: {
      timezone: 'Europe/London',
      layers: [{ members: ['alice'], start: '2027-01-04T09:00', rotation: 'weekly' }],
    },
  },
});

const dynamodb = new DynamoDBClient({});
let tableCount = 0;
const createTable = async (): Promise<string> => {
  tableCount += 1;
  const tableName = `oncall-test-${Date.now()}-${tableCount}`;
  // Same keys as stacks/constructs/oncall/oncall-table.ts
  await createPkSkTable(tableName, dynamodb);
  return tableName;
};

const directories: string[] = [];
afterAll(async () => {
  for (const directory of directories) await rm(directory, { recursive: true, force: true });
});

const stores: [string, () => Promise<OverrideStore>][] = [
  ['DynamoDB (moto)', async () => new DynamoDbOverrideStore(dynamodb, await createTable())],
  [
    'local file',
    async () => {
      const directory = await mkdtemp(join(tmpdir(), 'vigil-oncall-'));
      directories.push(directory);
      return new FileOverrideStore(join(directory, '.vigil', 'oncall-overrides.json'));
    },
  ],
];

describe.each(stores)('override store: %s', (_name, makeStore) => {
  let clock = Date.parse('2027-01-04T12:00:00Z');
  const context = (store: OverrideStore, actor = 'alice'): OverrideContext => ({
    config,
    store,
    actor,
    now: () => clock++,
  });
  const from = Date.parse('2027-01-05T09:00:00Z');
  const to = Date.parse('2027-01-05T17:00:00Z');

  it('stores an override the resolver then honours, and audits who made it', async () => {
    // Prepare
    const store = await makeStore();
    // Act
    const made = await createOverride(context(store), {
      schedule: 'primary',
      person: 'bob',
      from,
      to,
      reason: 'swap',
    });
    const listed = await store.listOverrides('primary');
    // Assess
    expect(listed).toEqual([made]);
    expect(await store.listOverrides('other')).toEqual([]);
    expect(resolveOnCall(config.schedules.primary!, listed, from + 1)).toEqual({
      kind: 'override',
      person: 'bob',
      overrideId: made.id,
    });
    expect(await store.listAudit()).toEqual([
      { at: made.createdAt, actor: 'alice', action: 'create', outcome: 'done', override: made },
    ]);
  });

  it('deletes by id, audits it, and refuses an unknown id with nothing changed', async () => {
    // Prepare
    const store = await makeStore();
    const keep = await createOverride(context(store), { schedule: 'primary', person: 'bob', from, to });
    const drop = await createOverride(context(store), { schedule: 'primary', person: 'alice', from, to });
    // Act
    const deleted = await deleteOverride(context(store, 'carol'), drop.id);
    const unknown = deleteOverride(context(store, 'carol'), 'ov-missing');
    // Assess
    expect(deleted).toEqual(drop);
    await expect(unknown).rejects.toThrow(
      new OnCallOverrideRejectedError("no override with id 'ov-missing'"),
    );
    expect(await store.listOverrides()).toEqual([keep]);
    const audit = await store.listAudit();
    expect(audit.map((record) => [record.actor, record.action, record.outcome])).toEqual([
      ['alice', 'create', 'done'],
      ['alice', 'create', 'done'],
      ['carol', 'delete', 'done'],
      ['carol', 'delete', 'refused'],
    ]);
  });

  it('refuses unknown schedules and people and backwards times, audited, nothing stored', async () => {
    // Prepare
    const store = await makeStore();
    // Act
    const attempts = await Promise.allSettled([
      createOverride(context(store), { schedule: 'nope', person: 'bob', from, to }),
      createOverride(context(store), { schedule: 'primary', person: 'constructor', from, to }),
      createOverride(context(store), { schedule: 'primary', person: 'bob', from: to, to: from }),
    ]);
    // Assess
    expect(
      attempts.map((attempt) => (attempt.status === 'rejected' ? String(attempt.reason) : 'stored')),
    ).toEqual([
      "OnCallOverrideRejectedError: unknown schedule 'nope' (known: primary)",
      "OnCallOverrideRejectedError: unknown person 'constructor' (known: alice, bob)",
      "OnCallOverrideRejectedError: 'to' must be after 'from'",
    ]);
    expect(await store.listOverrides()).toEqual([]);
    const audit = await store.listAudit();
    expect(audit).toHaveLength(3);
    expect(audit.every((record) => record.outcome === 'refused' && record.override === undefined)).toBe(true);
    expect(audit.map((record) => record.request?.schedule).sort()).toEqual(['nope', 'primary', 'primary']);
  });

  it('never overwrites an override with the same id', async () => {
    // Prepare
    const store = await makeStore();
    const first = await createOverride(
      { ...context(store), newId: () => 'ov-fixed' },
      {
        schedule: 'primary',
        person: 'bob',
        from,
        to,
      },
    );
    // Act
    const again = createOverride(
      { ...context(store), newId: () => 'ov-fixed' },
      {
        schedule: 'primary',
        person: 'alice',
        from,
        to,
      },
    );
    // Assess
    await expect(again).rejects.toBeInstanceOf(OnCallOverrideConflictError);
    expect(await store.listOverrides()).toEqual([first]);
  });
});

describe('DynamoDB override table layout', () => {
  it('keeps overrides and audit in their documented keys with a TTL', async () => {
    // Prepare
    const tableName = await createTable();
    const store = new DynamoDbOverrideStore(dynamodb, tableName);
    const from = Date.parse('2027-01-05T09:00:00Z');
    // Act
    const made = await createOverride(
      { config, store, actor: 'arn:aws:iam::123456789012:user/alice', now: () => from - 1000 },
      { schedule: 'primary', person: 'bob', from, to: from + 3_600_000 },
    );
    const items = (await dynamodb.send(new ScanCommand({ TableName: tableName }))).Items ?? [];
    // Assess
    const byPk = Object.fromEntries(items.map((item) => [item.pk?.S, item]));
    expect(byPk.override?.sk?.S).toBe(`override#${made.id}`);
    expect(byPk.override?.schedule?.S).toBe('primary');
    expect(Number(byPk.override?.expiresAt?.N)).toBe(Math.floor((from + 3_600_000) / 1000) + 90 * 86_400);
    expect(byPk.audit?.sk?.S).toMatch(/^2027-01-05T08:59:59\.000Z#[0-9a-f]{8}$/);
  });
});

describe('local override file', () => {
  it('is plain JSON a person can read', async () => {
    // Prepare
    const directory = await mkdtemp(join(tmpdir(), 'vigil-oncall-'));
    directories.push(directory);
    const file = join(directory, '.vigil', 'oncall-overrides.json');
    // Act
    await createOverride(
      { config, store: new FileOverrideStore(file), actor: 'alice', now: () => 1 },
      { schedule: 'primary', person: 'bob', from: 10, to: 20 },
    );
    // Assess
    const content = JSON.parse(await readFile(file, 'utf8'));
    expect(content.overrides[0]).toMatchObject({ schedule: 'primary', person: 'bob', start: 10, end: 20 });
    expect(content.audit[0]).toMatchObject({ actor: 'alice', action: 'create', outcome: 'done' });
  });
});
