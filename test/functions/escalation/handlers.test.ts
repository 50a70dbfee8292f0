import { CreateStateMachineCommand, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { parseConfig } from '../../../functions/commons/config/resolve-config';
import { DynamoDbIncidentStore } from '../../../functions/escalation/adapters/dynamodb-incident-store';
import { ackLink } from '../../../functions/escalation/core/ack-link';
import { resolveRuntimeConfig } from '../../../functions/escalation/core/resolve-runtime-config';
import { aws, createIncidentTable, createSecret } from './helpers/moto-escalation';

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
    expect((await store.getAck('shop-check-login-20260302T103000Z-abc'))?.by).toBe(
      '<script>alert(1)</script> (via oncall-slack)',
    );
  });
});

describe('check-status handler (open phase)', () => {
  const runtimeConfig = () => {
    const { rules, ...config } = resolveRuntimeConfig(
      parseConfig({
        app: 'shop',
        environments: { prod: { baseUrl: 'https://shop.example.com' } },
        channels: { slack: { type: 'slack', webhook: { secretsManager: 'shop/slack' } } },
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
      }),
      { ackUrl: ACK_URL },
    );
    return { rules, config };
  };
  const alarm = (at: string) => ({
    alarmName: 'shop-check-login',
    state: 'ALARM' as const,
    reason: 'Threshold Crossed',
    stateChangedAt: at,
    region: 'us-east-1',
    source: 'eventbridge' as const,
  });

  it('routes with the rules from the task parameters, and from `config` for executions of the previous definition', async () => {
    // Prepare
    process.env.VIGIL_GRAPH_BUCKET = 'handlers-graphs';
    const { handler } = await import('../../../functions/escalation/check-status');
    const { rules, config } = runtimeConfig();

    // Act
    const current = await handler({
      phase: 'open',
      alarm: alarm('2026-03-02T10:30:00.000Z'),
      incidentId: 'shop-check-login-20260302T103000Z-open1',
      config,
      rules,
    });
    const previous = await handler({
      phase: 'open',
      alarm: alarm('2026-03-02T10:31:00.000Z'),
      incidentId: 'shop-check-login-20260302T103100Z-open2',
      config: { ...config, rules } as typeof config,
    });

    // Assess
    for (const state of [current, previous]) {
      expect(state.incident).toMatchObject({ rule: 'LoginDown', severity: 'critical', team: 'identity' });
      expect(state.status.outcome).toBe('due');
    }
  }, 30_000);
});
