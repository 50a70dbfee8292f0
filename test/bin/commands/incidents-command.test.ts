import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { incidentsCommand } from '../../../bin/commands/incidents-command';
import { simulatedAlarm } from '../../../bin/local/escalation/local-escalation';
import { localEscalationDefinition } from '../../../bin/local/escalation/local-escalation-definition';
import { LocalEscalationEngine } from '../../../bin/local/escalation/local-escalation-engine';
import { incidentJournalPath, JournalIncidentStore } from '../../../bin/local/incident-journal';
import { DEMO_APP, demoEscalation } from '../../../examples/demo-escalation';
import { VirtualClock } from '../../../functions/commons/clock';
import { parseConfig } from '../../../functions/commons/config/resolve-config';
import { DynamoDbIncidentStore } from '../../../functions/escalation/adapters/dynamodb-incident-store';
import {
  consoleAwareHttp,
  consoleTopics,
  envChannelSecrets,
} from '../../../functions/escalation/adapters/local-delivery';
import { MemoryAlarmState } from '../../../functions/escalation/adapters/memory-alarm-state';
import type { IncidentStore } from '../../../functions/escalation/types/ports';
import { EscalationEngine } from '../../../stacks/constructs/escalation-engine';
import { aws } from '../../functions/escalation/helpers/moto-escalation';
import { recordingIO } from '../../helpers/cli-io';
import { HANG_GUARD_MS } from '../../helpers/patience';

const MONDAY_1030 = Date.parse('2026-03-02T10:30:00Z');
const TABLE = 'incidents-cli-incidents';
const config = parseConfig({
  app: DEMO_APP,
  environments: { local: { baseUrl: 'http://127.0.0.1:1' } },
  ...demoEscalation,
});
const synthesized = localEscalationDefinition(config);

/** Runs one escalation of `ServiceDown` through the executed state machine into `store`, acked at +3m. */
const escalateInto = async (store: IncidentStore, at: number): Promise<string> => {
  const clock = new VirtualClock(at);
  const alarms = new MemoryAlarmState();
  const printed = (_channel: string, _body: string) => undefined;
  const engine = new LocalEscalationEngine(
    synthesized,
    {
      alarms,
      store,
      http: consoleAwareHttp(async () => ({ status: 599, headers: {}, body: 'never sent' }), printed),
      topics: consoleTopics(printed),
      secrets: envChannelSecrets(synthesized.runtimeConfig.channels, {}),
      ackSecret: async () => 'incidents-cli-ack-key',
    },
    { clock },
  );
  const alarm = simulatedAlarm(config, 'ServiceDown', at);
  alarms.set(alarm.alarmName, 'ALARM');
  const started = await engine.ingest(alarm);
  const incidentId = started.incidentId ?? '';
  clock.schedule(at + 3 * 60_000, async () => {
    await engine.acknowledge(incidentId, 'Ada', 'oncall-slack');
  });
  await engine.done(incidentId);
  return incidentId;
};

/** The template of an escalation stack for `config` (asset bundling skipped). */
const escalationStackTemplate = (): { Resources: unknown } => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'IncidentsCli', { env: { account: '123456789012', region: 'us-east-1' } });
  new EscalationEngine(stack, 'Escalation', { config });
  return Template.fromStack(stack).toJSON() as { Resources: unknown };
};

/** Creates the incidents table with the keys and billing of the table the escalation stack synthesizes. */
const createTableAsTheStackDoes = async (tableName: string): Promise<void> => {
  const resources = Object.values(
    escalationStackTemplate().Resources as Record<
      string,
      { Type: string; Properties: Record<string, unknown> }
    >,
  ).filter((resource) => resource.Type === 'AWS::DynamoDB::Table');
  expect(resources).toHaveLength(1);
  const { KeySchema, AttributeDefinitions, BillingMode } = (resources[0]?.Properties ?? {}) as Pick<
    CreateTableCommandInput,
    'KeySchema' | 'AttributeDefinitions' | 'BillingMode'
  >;
  await aws.dynamodb.send(
    new CreateTableCommand({ TableName: tableName, KeySchema, AttributeDefinitions, BillingMode }),
  );
};

const incidents = async (env: Record<string, string>, cwd: string, ...args: string[]) => {
  const { io, stdout, stderr } = recordingIO({ env, cwd });
  const code = await incidentsCommand.run(args, io);
  return { code, stdout: stdout(), stderr: stderr() };
};

interface Listed {
  source: string;
  incidents: { id: string; status: string; severity: string; ackedBy?: string }[];
}

describe('vigil incidents, local mode: the journal npm start writes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-incidents-'));
  let incidentId: string;

  beforeAll(async () => {
    // The escalation writes the journal through one store; the command reads the file afresh.
    incidentId = await escalateInto(
      new JournalIncidentStore({ file: incidentJournalPath(join(dir, '.vigil')) }),
      MONDAY_1030,
    );
  }, HANG_GUARD_MS);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists the incident with its status, as JSON and as a table', async () => {
    // Act
    const json = await incidents({}, dir, '--json');
    const table = await incidents({}, dir);
    // Assess
    expect(json.code).toBe(0);
    const listed = JSON.parse(json.stdout) as Listed;
    expect(listed.incidents).toEqual([
      expect.objectContaining({ id: incidentId, severity: 'critical', status: 'acked' }),
    ]);
    expect(listed.incidents[0]?.ackedBy).toContain('Ada');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(
      new RegExp(`2026-03-02 10:30:00\\s+critical\\s+acked\\s+platform\\s+${incidentId}`),
    );
    expect(table.stdout).toContain('1 incident');
  });

  it('prints one incident’s timeline and audit trail: pages, the ack and the acknowledge follow-ups', async () => {
    // Act
    const shown = await incidents({}, dir, incidentId);
    const json = await incidents({}, dir, incidentId, '--json');
    // Assess
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`Incident ${incidentId}`);
    expect(shown.stdout).toMatch(
      /\+0s\s+PAGE {2}\[oncall-slack\] L1 delivered \(1 attempt\): printed after 1 attempt/,
    );
    expect(shown.stdout).toMatch(/\+3m\s+ACKED by Ada \(via oncall-slack\) \(via link\)/);
    expect(shown.stdout).toMatch(/\+3m\s+ACK {3}\[oncall-pagerduty\] delivered/);
    const detail = JSON.parse(json.stdout) as {
      audit: { kind: string; channel: string }[];
      ack: { by: string };
    };
    expect(detail.ack.by).toContain('Ada');
    expect(detail.audit.map((record) => `${record.kind} ${record.channel}`)).toEqual(
      expect.arrayContaining([
        'trigger oncall-slack',
        'trigger oncall-pagerduty',
        'acknowledge oncall-slack',
      ]),
    );
  });

  it('says clearly that an unknown incident does not exist, with exit code 1', async () => {
    // Act
    const result = await incidents({}, dir, 'no-such-incident');
    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `no incident 'no-such-incident' in ${incidentJournalPath(join(dir, '.vigil'))}: 'vigil incidents' lists them\n`,
    );
  });

  it('lists nothing, successfully, before npm start has journaled anything', async () => {
    // Prepare
    const empty = mkdtempSync(join(tmpdir(), 'vigil-incidents-empty-'));
    // Act
    const result = await incidents({}, empty, '--json');
    // Assess
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as Listed).incidents).toEqual([]);
    rmSync(empty, { recursive: true, force: true });
  });

  it('rejects bad usage with exit code 2, naming the problem', async () => {
    // Act
    const unknown = await incidents({}, dir, '--bogus');
    const noTable = await incidents({}, dir, '--aws');
    const both = await incidents({}, dir, '--table', 't', '--state-dir', dir);
    // Assess
    expect([unknown.code, noTable.code, both.code]).toEqual([2, 2, 2]);
    expect(unknown.stderr).toContain("unknown option '--bogus'");
    expect(noTable.stderr).toContain('--aws needs the incidents table: --table NAME or VIGIL_TABLE_NAME');
    expect(both.stderr).toContain('pick one');
  });
});

describe('vigil incidents --aws: the escalation stack’s DynamoDB table (moto)', () => {
  let incidentId: string;

  // Generous: it synthesizes the escalation stack (bundling skipped), which takes minutes on a loaded machine.
  beforeAll(async () => {
    await createTableAsTheStackDoes(TABLE);
    incidentId = await escalateInto(new DynamoDbIncidentStore(aws.dynamodb, TABLE), MONDAY_1030);
  }, HANG_GUARD_MS);

  it('lists the table’s incidents with --table, and with --aws and VIGIL_TABLE_NAME', async () => {
    // Act
    const byFlag = await incidents({}, tmpdir(), '--table', TABLE, '--json');
    const byEnv = await incidents({ VIGIL_TABLE_NAME: TABLE }, tmpdir(), '--aws', '--json');
    // Assess
    expect(byFlag.code).toBe(0);
    const listed = JSON.parse(byFlag.stdout) as Listed;
    expect(listed.source).toBe(`DynamoDB table ${TABLE}`);
    expect(listed.incidents).toEqual([expect.objectContaining({ id: incidentId, status: 'acked' })]);
    expect(JSON.parse(byEnv.stdout)).toEqual(listed);
  });

  it('prints one incident’s timeline from the table, and exit code 1 for an unknown id', async () => {
    // Act
    const shown = await incidents({}, tmpdir(), incidentId, '--table', TABLE);
    const unknown = await incidents({}, tmpdir(), 'no-such-incident', '--table', TABLE);
    // Assess
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/\+0s\s+PAGE {2}\[oncall-pagerduty\] L1 delivered/);
    expect(shown.stdout).toMatch(/\+3m\s+ACKED by Ada/);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(`no incident 'no-such-incident' in DynamoDB table ${TABLE}`);
  });

  it('reports a table it cannot read with exit code 1 and the AWS error', async () => {
    // Act
    const result = await incidents({}, tmpdir(), '--table', 'no-such-table');
    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'cannot read incidents from DynamoDB table no-such-table: ResourceNotFoundException',
    );
  });
});
