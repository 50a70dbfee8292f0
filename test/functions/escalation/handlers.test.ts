import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateStateMachineCommand, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { parseConfig } from '../../../functions/commons/config/resolve-config';
import {
  ESCALATION_CONFIG_FILE,
  ESCALATION_CONFIG_FILE_ENV,
  ESCALATION_CONTEXT_ENV,
} from '../../../functions/escalation/adapters/bundled-runtime-config';
import { DynamoDbIncidentStore } from '../../../functions/escalation/adapters/dynamodb-incident-store';
import { ackLink } from '../../../functions/escalation/core/ack-link';
import { resolveBundledConfig } from '../../../functions/escalation/core/resolve-runtime-config';
import { emfDatapoints, emfLines, expectValidEmf } from '../../helpers/emf-spec';
import { type HttpReceiver, startReceiver } from './helpers/http-receiver';
import { aws, createIncidentTable, createSecret, fireAlarm } from './helpers/moto-escalation';

const sfn = new SFNClient({});
const TABLE = 'handlers-incidents';
const ACK_URL = 'https://ack.example.lambda-url.us-east-1.on.aws/';

let stateMachineArn: string;
let ackSecretArn: string;

beforeAll(async () => {
  const machine = await sfn.send(
    new CreateStateMachineCommand({
      name: 'handlers-escalation',
      roleArn: 'arn:aws:iam::123456789012:role/escalation',
      definition: JSON.stringify({ StartAt: 'Done', States: { Done: { Type: 'Succeed' } } }),
    }),
  );
  stateMachineArn = machine.stateMachineArn ?? '';
  await createIncidentTable(TABLE);
  ackSecretArn = await createSecret('handlers/ack-hmac', 'handlers-ack-key');
  process.env.VIGIL_STATE_MACHINE_ARN = stateMachineArn;
  process.env.VIGIL_TABLE_NAME = TABLE;
  process.env.VIGIL_ACK_SECRET_ARN = ackSecretArn;
  process.env.POWERTOOLS_TRACE_ENABLED = 'false';
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  // What VigilFunction sets; read when the handlers' modules load.
  process.env.POWERTOOLS_METRICS_NAMESPACE = 'Vigil';
  process.env.VIGIL_APP = 'shop';
  process.env.POWERTOOLS_SERVICE_NAME = 'shop-notify';
});

const alarmEvent = (state: string, timestamp: string) => ({
  version: '0',
  source: 'aws.cloudwatch',
  'detail-type': 'CloudWatch Alarm State Change',
  account: '123456789012',
  region: 'us-east-1',
  time: timestamp,
  resources: ['arn:aws:cloudwatch:us-east-1:123456789012:alarm:shop-check-login'],
  detail: {
    alarmName: 'shop-check-login',
    state: { value: state, reason: 'Threshold Crossed', timestamp: timestamp.replace('Z', '+0000') },
    previousState: { value: state === 'ALARM' ? 'OK' : 'ALARM' },
    configuration: { description: 'login journey' },
  },
});

describe('start handler (EventBridge + SNS ingress -> StartExecution)', () => {
  it('starts one execution per incident and reports replays and the SNS copy as duplicates', async () => {
    // Prepare
    const { handler } = await import('../../../functions/escalation/start');
    // The start function reads the alarm's current state first: it must exist and be in ALARM.
    await fireAlarm('shop-check-login', {}, Date.parse('2026-03-02T10:30:00.000Z'));
    const event = alarmEvent('ALARM', '2026-03-02T10:30:00.000Z');
    const sns = {
      Records: [
        {
          Sns: {
            Message: JSON.stringify({
              AlarmName: 'shop-check-login',
              AlarmArn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:shop-check-login',
              NewStateValue: 'ALARM',
              OldStateValue: 'OK',
              NewStateReason: 'Threshold Crossed',
              StateChangeTime: '2026-03-02T10:30:00.000+0000',
            }),
          },
        },
      ],
    };
    // Act
    const first = await handler(event);
    const replay = await handler(event);
    const viaSns = await handler(sns);
    const ok = await handler(alarmEvent('OK', '2026-03-02T10:40:00.000Z'));
    const executions = await sfn.send(new ListExecutionsCommand({ stateMachineArn }));
    // Assess
    expect([first, replay, viaSns, ok].map((result) => result.outcomes[0]?.result)).toEqual([
      'started',
      'duplicate',
      'duplicate',
      'ignored',
    ]);
    expect(executions.executions?.map((execution) => execution.name)).toEqual([
      first.outcomes[0]?.incidentId,
    ]);
  });

  it('throws EscalationEventError for an off-site alarm ARN and logs the reason, so the event reaches the on-failure queue', async () => {
    // Prepare
    const { handler } = await import('../../../functions/escalation/start');
    const offSite = {
      Records: [
        {
          Sns: {
            MessageId: 'msg-1',
            Message: JSON.stringify({
              AlarmName: 'shop-check-login',
              AlarmArn: 'arn:aws:cloudwatch:evil.example.com#:123456789012:alarm:shop-check-login',
              NewStateValue: 'ALARM',
              NewStateReason: 'Threshold Crossed',
              StateChangeTime: '2026-03-02T10:30:00.000+0000',
            }),
          },
        },
      ],
    };
    const logged: string[] = [];
    const writes = { out: process.stdout.write, err: process.stderr.write };
    const capture = ((chunk: string | Uint8Array) => {
      logged.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
    const before = await sfn.send(new ListExecutionsCommand({ stateMachineArn }));
    process.stdout.write = capture;
    process.stderr.write = capture;
    // Act
    let thrown: unknown;
    try {
      await handler(offSite);
    } catch (error) {
      thrown = error;
    } finally {
      process.stdout.write = writes.out;
      process.stderr.write = writes.err;
    }
    const executions = await sfn.send(new ListExecutionsCommand({ stateMachineArn }));
    // Assess
    expect(thrown).toBeInstanceOf(Error);
    expect((thrown as Error).name).toBe('EscalationEventError');
    expect((thrown as Error).message).toBe('AlarmArn: region "evil.example.com#" is not an AWS region');
    const line = logged.map((text) => text.trim()).find((text) => text.includes('malformed alarm event'));
    expect(JSON.parse(line ?? '{}')).toMatchObject({
      level: 'ERROR',
      reason: 'AlarmArn: region "evil.example.com#" is not an AWS region',
      event: { records: 1, snsMessageIds: ['msg-1'] },
    });
    expect(line).not.toContain('Threshold Crossed');
    expect(executions.executions).toHaveLength(before.executions?.length ?? 0);
  });

  it('rejects an event that is not an alarm state change, naming what it expected', async () => {
    // Prepare
    const { handler } = await import('../../../functions/escalation/start');
    // Act / Assess
    await expect(
      handler({ source: 'aws.ec2', 'detail-type': 'EC2 Instance State-change Notification' }),
    ).rejects.toThrow('unsupported event: expected an EventBridge alarm state change or SNS records');
  });
});

describe('ack handler (Function URL)', () => {
  it('records an acknowledgement from a signed link and rejects forged and expired ones', async () => {
    // Prepare
    const { handler } = await import('../../../functions/escalation/ack');
    const store = new DynamoDbIncidentStore(aws.dynamodb, TABLE);
    await store.createIncident({
      id: 'shop-check-login-20260302T103000Z-abc',
      alarm: {
        alarmName: 'shop-check-login',
        state: 'ALARM',
        reason: 'x',
        stateChangedAt: '2026-03-02T10:30:00.000Z',
        region: 'us-east-1',
        source: 'eventbridge',
      },
      severity: 'critical',
      team: 'platform',
      policy: 'critical',
      summary: 'Login <broken>',
      tags: {},
      startedAt: Date.now(),
    });
    const valid = new URL(
      ackLink(
        ACK_URL,
        'handlers-ack-key',
        'shop-check-login-20260302T103000Z-abc',
        'oncall-slack',
        Date.now() + 60_000,
      ),
    );
    const forged = new URL(
      ackLink(
        ACK_URL,
        'not-the-key',
        'shop-check-login-20260302T103000Z-abc',
        'oncall-slack',
        Date.now() + 60_000,
      ),
    );
    const expired = new URL(
      ackLink(
        ACK_URL,
        'handlers-ack-key',
        'shop-check-login-20260302T103000Z-abc',
        'oncall-slack',
        Date.now() - 1,
      ),
    );
    const post = (url: URL, body = 'by=Linus') => ({
      rawQueryString: url.search.slice(1),
      body: Buffer.from(body).toString('base64'),
      isBase64Encoded: true,
      requestContext: { http: { method: 'POST' } },
    });
    // Act
    const forgedResponse = await handler(post(forged));
    const expiredResponse = await handler(post(expired));
    const page = await handler({
      rawQueryString: valid.search.slice(1),
      requestContext: { http: { method: 'GET' } },
    });
    const accepted = await handler(post(valid, 'by=<script>alert(1)</script>'));
    // Assess
    expect([forgedResponse.statusCode, expiredResponse.statusCode]).toEqual([403, 410]);
    expect(page.body).toContain('Login &#60;broken&#62;');
    expect(accepted.statusCode).toBe(200);
    expect(accepted.body).toContain('&#60;script&#62;alert(1)&#60;/script&#62; (via oncall-slack)');
    expect(accepted.body).not.toContain('<script>');
    expect(await store.getAck('shop-check-login-20260302T103000Z-abc')).toMatchObject({
      by: '<script>alert(1)</script> (via oncall-slack)',
      via: 'link',
      channel: 'oncall-slack',
    });
  });
});

describe('check-status and notify handlers (config bundled with the Lambda)', () => {
  let receiver: HttpReceiver;
  let configDir: string;

  beforeAll(async () => {
    receiver = await startReceiver();
    const slackSecretArn = await createSecret('handlers/slack', `${receiver.url}/services/handlers`);
    const config = parseConfig({
      app: 'shop',
      environments: { prod: { baseUrl: 'https://shop.example.com' } },
      channels: { slack: { type: 'slack', webhook: { secretsManager: slackSecretArn } } },
      escalation: {
        critical: { levels: [{ after: '0s', channels: ['slack'] }] },
        warning: { levels: [{ after: '0s', channels: ['slack'] }] },
        info: { levels: [{ after: '0s', channels: ['slack'] }] },
        enrichmentBudget: '1s',
      },
      alertRules: [
        {
          name: 'LoginDown',
          severity: 'critical',
          team: 'identity',
          summary: 'Login is down',
          alarms: ['shop-check-login*'],
        },
      ],
    });
    // What the construct writes into both Lambdas' bundles, and their deploy-time environment.
    configDir = mkdtempSync(join(tmpdir(), 'vigil-handlers-'));
    writeFileSync(join(configDir, ESCALATION_CONFIG_FILE), JSON.stringify(resolveBundledConfig(config)));
    process.env[ESCALATION_CONFIG_FILE_ENV] = join(configDir, ESCALATION_CONFIG_FILE);
    process.env[ESCALATION_CONTEXT_ENV] = JSON.stringify({ ackUrl: ACK_URL });
    process.env.VIGIL_GRAPH_BUCKET = 'handlers-graphs';
  });

  afterAll(async () => {
    await receiver.close();
    rmSync(configDir, { recursive: true, force: true });
  });

  const alarm = (at: string) => ({
    alarmName: 'shop-check-login',
    state: 'ALARM' as const,
    reason: 'Threshold Crossed',
    stateChangedAt: at,
    region: 'us-east-1',
    source: 'eventbridge' as const,
  });

  it('opens and checks with the bundled config, also for executions of an earlier definition', async () => {
    // Prepare
    const { handler } = await import('../../../functions/escalation/check-status');
    const stale = { rules: [], channels: {}, policies: {} };
    const fired = await fireAlarm('shop-check-login-stale', {}, Date.parse('2026-03-02T10:30:00.000Z'));
    const firedToo = await fireAlarm('shop-check-login-earlier', {}, Date.parse('2026-03-02T10:30:00.000Z'));

    // Act
    const current = await handler({
      phase: 'open',
      execution: { alarm: fired, incidentId: 'shop-check-login-stale-20260302T103000Z-a' },
    });
    // An earlier definition passed the alarm at the top and its config (here: one without any policy).
    const earlier = await handler({
      phase: 'open',
      alarm: firedToo,
      incidentId: 'shop-check-login-earlier-20260302T103000Z-earlier',
      ...{ config: stale, rules: [] },
    });
    const check = await handler({
      phase: 'check',
      level: 0,
      state: { ...current, status: { ...current.status, outcome: 'wait' } },
      ...{ config: stale },
    });

    // Assess
    for (const state of [current, earlier]) {
      expect(state.incident).toMatchObject({ rule: 'LoginDown', severity: 'critical', team: 'identity' });
      expect(state.status.outcome).toBe('due');
    }
    expect(check.status).toMatchObject({ outcome: 'due', detail: 'level 1 due' });
  });

  it('keeps another account’s alarm open at a check, knowing its own account from the invocation context', async () => {
    // Prepare
    const { handler } = await import('../../../functions/escalation/check-status');
    const context = { invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:check-status' };
    const elsewhere = {
      ...alarm('2026-03-02T10:34:00.000Z'),
      alarmName: 'shop-check-login-elsewhere',
      accountId: '210987654321',
    };
    const opened = await handler(
      {
        phase: 'open',
        execution: { alarm: elsewhere, incidentId: 'shop-check-login-elsewhere-20260302T103400Z-c' },
      },
      context,
    );
    // Act
    const check = await handler(
      { phase: 'check', level: 0, state: { ...opened, status: { ...opened.status, outcome: 'wait' } } },
      context,
    );
    const audit = await new DynamoDbIncidentStore(aws.dynamodb, TABLE).listAudit(opened.incident.id);
    // Assess
    expect(check.status).toMatchObject({ outcome: 'due', detail: 'level 1 due' });
    expect(audit).toEqual([
      expect.objectContaining({ kind: 'alarm-state', outcome: 'unreadable', channel: elsewhere.alarmName }),
    ]);
  });

  it('notifies the bundled channel through its secret, with an ack link under the deployed ack URL', async () => {
    // Prepare
    const checkStatus = (await import('../../../functions/escalation/check-status')).handler;
    const { handler } = await import('../../../functions/escalation/notify');
    const state = await checkStatus({
      phase: 'open',
      execution: {
        alarm: alarm('2026-03-02T10:32:00.000Z'),
        incidentId: 'shop-check-login-20260302T103200Z-b',
      },
    });
    receiver.reset();

    // Act
    const result = await handler({ kind: 'trigger', channel: 'slack', level: 0, state });
    const audit = await new DynamoDbIncidentStore(aws.dynamodb, TABLE).listAudit(state.incident.id);

    // Assess
    expect(result).toEqual({
      channel: 'slack',
      kind: 'trigger',
      level: 0,
      outcome: 'delivered',
      deliveredTo: 'slack',
    });
    expect(receiver.requests.map((request) => request.path)).toEqual([
      `${new URL(receiver.url).pathname}/services/handlers`,
    ]);
    expect(receiver.requests[0]?.body).toContain('Login is down');
    expect(receiver.requests[0]?.body).toContain(`${ACK_URL}?`);
    expect(audit.map((record) => [record.channel, record.outcome])).toEqual([['slack', 'delivered']]);
  });

  it('counts a failed notification as NotificationFailures on its service, in a valid EMF document', async () => {
    // Prepare
    const checkStatus = (await import('../../../functions/escalation/check-status')).handler;
    const { handler } = await import('../../../functions/escalation/notify');
    const state = await checkStatus({
      phase: 'open',
      execution: {
        alarm: alarm('2026-03-02T10:34:00.000Z'),
        incidentId: 'shop-check-login-20260302T103400Z-c',
      },
    });
    receiver.reset();
    receiver.fallback = { status: 400, body: 'invalid_payload' };
    const written: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });

    // Act
    let result: Awaited<ReturnType<typeof handler>>;
    try {
      result = await handler({ kind: 'trigger', channel: 'slack', level: 0, state });
    } finally {
      spy.mockRestore();
      receiver.reset();
    }

    // Assess
    expect(result.outcome).toBe('failed');
    const lines = emfLines(written.join(''));
    expectValidEmf(lines);
    expect(emfDatapoints(lines)).toEqual([
      expect.objectContaining({
        namespace: 'Vigil',
        metric: 'NotificationFailures',
        dimensions: { App: 'shop' },
        value: 1,
      }),
    ]);
  });
});
