import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchClient, PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CreateEmailIdentityCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { App, Stack } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { parseConfig } from '../../../functions/commons/config/resolve-config';
import {
  ESCALATION_CONFIG_FILE,
  ESCALATION_CONFIG_FILE_ENV,
} from '../../../functions/escalation/adapters/bundled-runtime-config';
import { DynamoDbIncidentStore } from '../../../functions/escalation/adapters/dynamodb-incident-store';
import { DynamoDbPageLog } from '../../../functions/escalation/adapters/dynamodb-page-log';
import { ackLink } from '../../../functions/escalation/core/ack-link';
import { pagerDutySignature } from '../../../functions/escalation/core/pagerduty-signature';
import { resolveBundledConfig } from '../../../functions/escalation/core/resolve-runtime-config';
import { slackSignature } from '../../../functions/escalation/core/slack-signature';
import type { EscalationState } from '../../../functions/escalation/types/incident';
import { EscalationEngine } from '../../../stacks/constructs/escalation-engine';
import type { VigilFunction } from '../../../stacks/constructs/vigil-function';
import { type IamMoto, type PolicyStatementJson, startIamMoto } from '../../helpers/iam-moto';
import { HANG_GUARD_MS } from '../../helpers/patience';
import { type RoleRunner, runAsRole } from '../../helpers/run-as-role';
import {
  clientConfig,
  type DeployedResources,
  deployOnMoto,
  MOTO_ACCOUNT,
  MOTO_REGION,
  type TemplateJson,
} from '../../helpers/template-on-moto';
import { type HttpReceiver, startReceiver } from './helpers/http-receiver';

// Deploy parity: each escalation Lambda's real handler, with its real AWS SDK adapters, runs against a moto
// that enforces IAM, signed by an IAM user holding exactly the synthesized role's statements. A grant the
// template lacks fails here as AccessDenied instead of in a deployed account.

const ACK_KEY = 'parity-ack-hmac-key';
const WEBHOOK_SIGNING = 'parity-pagerduty-signing-secret';
const ALARM = 'parity-check-login';
const SLACK_SIGNING = 'parity-slack-signing-secret';
const ADA_SMS = '+447700900001';
const OTHER_REGION = 'eu-west-1';
const QUORUM_ALARM = 'parity-check-web';
const ADA_EMAIL = 'ada@parity.example';
const PAGING_FROM = 'oncall@parity.example';

let moto: IamMoto;
let receiver: HttpReceiver;
let engine: EscalationEngine;
let stack: Stack;
let template: TemplateJson;
let deployed: DeployedResources;
let configDir: string;
let role: RoleRunner;

/** Creates, in moto, a `CheckSuccess` alarm named `alarmName` on `namespace`, and puts it in ALARM. */
const raiseCheckAlarm = async (cloudwatch: CloudWatchClient, alarmName: string, namespace: string) => {
  await cloudwatch.send(
    new PutMetricAlarmCommand({
      AlarmName: alarmName,
      Namespace: namespace,
      MetricName: 'CheckSuccess',
      Statistic: 'Minimum',
      Period: 60,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
    }),
  );
  await cloudwatch.send(
    new SetAlarmStateCommand({ AlarmName: alarmName, StateValue: 'ALARM', StateReason: 'Threshold Crossed' }),
  );
};

beforeAll(async () => {
  [moto, receiver] = await Promise.all([startIamMoto(), startReceiver()]);
  // Bundling is skipped: the handlers run from source; only the template matters.
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  stack = new Stack(app, 'Parity', { env: { account: MOTO_ACCOUNT, region: MOTO_REGION } });
  const config = parseConfig({
    app: 'parity',
    environments: { prod: { baseUrl: 'https://shop.example.com' } },
    channels: {
      'oncall-slack': { type: 'slack', webhook: { secretsManager: 'parity/slack-webhook' } },
      'oncall-email': { type: 'email', addresses: ['oncall@example.com'] },
      'oncall-pagerduty': {
        type: 'pagerduty',
        routingKey: { secretsManager: 'parity/pagerduty-routing-key' },
        eventsUrl: `${receiver.url}/v2/enqueue`,
        webhookSecret: { ssm: '/parity/pagerduty-webhook-secret' },
      },
    },
    escalation: {
      critical: { levels: [{ after: '0s', channels: ['oncall-slack', 'oncall-email', 'oncall-pagerduty'] }] },
      warning: { levels: [{ after: '0s', channels: ['oncall-slack'] }] },
      info: { levels: [{ after: '0s', channels: ['oncall-slack'] }] },
      enrichmentBudget: '1s',
      slack: { signingSecret: { secretsManager: 'parity/slack-signing' } },
      sms: {},
    },
    people: {
      ada: {
        name: 'Ada Lovelace',
        timezone: 'Europe/London',
        contact: { sms: ADA_SMS, slack: 'U0ADA', email: ADA_EMAIL },
      },
    },
    checks: [
      {
        type: 'health',
        name: 'web',
        url: 'https://shop.example.com/health',
        locations: [MOTO_REGION, OTHER_REGION],
        quorum: { minFailingLocations: 2 },
        flapping: { transitions: 3 },
      },
    ],
    // Email pages go out through SES v2 from this identity (moto implements sesv2 SendEmail).
    paging: { email: { from: PAGING_FROM } },
    alertRules: [
      {
        name: 'LoginDown',
        severity: 'critical',
        team: 'identity',
        summary: 'Login is down',
        alarms: [`${ALARM}*`],
      },
    ],
  });
  // The check's other location: its alarm lives there too (as the stacks pass the check regions).
  engine = new EscalationEngine(stack, 'Escalation', { config, alarmRegions: [OTHER_REGION] });
  template = app.synth().getStackByName('Parity').template as TemplateJson;
  configDir = mkdtempSync(join(tmpdir(), 'vigil-parity-'));
  writeFileSync(join(configDir, ESCALATION_CONFIG_FILE), JSON.stringify(resolveBundledConfig(config)));

  const setup = clientConfig(moto.endpoint);
  deployed = await moto.unenforced(async () => {
    const resources = await deployOnMoto(template, moto.endpoint, {
      [stack.getLogicalId(engine.ackSecret.node.defaultChild as never)]: ACK_KEY,
    });
    const secrets = new SecretsManagerClient(setup);
    await secrets.send(
      new CreateSecretCommand({
        Name: 'parity/slack-webhook',
        SecretString: `${receiver.url}/services/parity`,
      }),
    );
    await secrets.send(
      new CreateSecretCommand({ Name: 'parity/pagerduty-routing-key', SecretString: 'R0UT1NG' }),
    );
    await secrets.send(
      new CreateSecretCommand({ Name: 'parity/slack-signing', SecretString: SLACK_SIGNING }),
    );
    await new SESv2Client(setup).send(new CreateEmailIdentityCommand({ EmailIdentity: PAGING_FROM }));
    await new SSMClient(setup).send(
      new PutParameterCommand({
        Name: '/parity/pagerduty-webhook-secret',
        Value: WEBHOOK_SIGNING,
        Type: 'SecureString',
      }),
    );
    for (const region of [MOTO_REGION, OTHER_REGION]) {
      await raiseCheckAlarm(new CloudWatchClient({ ...setup, region }), QUORUM_ALARM, 'Vigil');
    }
    await raiseCheckAlarm(new CloudWatchClient(setup), ALARM, 'Vigil/Parity');
    return resources;
  });
  role = runAsRole(moto, template, deployed);
}, HANG_GUARD_MS);

afterAll(async () => {
  role?.restore();
  await Promise.all([moto?.stop(), receiver?.close()]);
  if (configDir !== undefined) rmSync(configDir, { recursive: true, force: true });
});

const logicalId = (fn: VigilFunction) => stack.getLogicalId(fn.node.defaultChild as CfnFunction);

/** The function's synthesized role statements, optionally with one action taken out wherever it is granted. */
const statementsOf = (fn: VigilFunction, withoutAction?: string): PolicyStatementJson[] =>
  role.statements(logicalId(fn), withoutAction);

/** Loads a handler module afresh as `fn` would run it, as an IAM user holding `statements`. */
const loadAs = <T>(
  fn: VigilFunction,
  statements: readonly PolicyStatementJson[],
  load: () => Promise<T>,
  env: Record<string, string> = {},
): Promise<T> => role.load(logicalId(fn), load, { statements, env });

const alarmEvent = () => ({
  version: '0',
  source: 'aws.cloudwatch',
  'detail-type': 'CloudWatch Alarm State Change',
  account: MOTO_ACCOUNT,
  region: MOTO_REGION,
  time: new Date().toISOString(),
  resources: [`arn:aws:cloudwatch:${MOTO_REGION}:${MOTO_ACCOUNT}:alarm:${ALARM}`],
  detail: {
    alarmName: ALARM,
    state: { value: 'ALARM', reason: 'Threshold Crossed', timestamp: new Date().toISOString() },
    previousState: { value: 'OK' },
    configuration: { description: 'login journey' },
  },
});

const bundledConfigEnv = () => ({ [ESCALATION_CONFIG_FILE_ENV]: join(configDir, ESCALATION_CONFIG_FILE) });

/**
 * Opens an incident through the check-status handler with its own role; returns the state. Each incident has
 * an alarm of its own (an alarm has at most one open incident), `ALARM` itself only when asked for.
 */
const openIncident = async (
  incidentId: string,
  alarmName = `${ALARM}-${incidentId}`,
): Promise<EscalationState> => {
  const { handler } = await loadAs(
    engine.functions.checkStatus,
    statementsOf(engine.functions.checkStatus),
    () => import('../../../functions/escalation/check-status'),
    bundledConfigEnv(),
  );
  return handler({
    phase: 'open',
    execution: {
      alarm: {
        alarmName,
        state: 'ALARM',
        reason: 'Threshold Crossed',
        stateChangedAt: new Date().toISOString(),
        region: MOTO_REGION,
        source: 'eventbridge',
        metric: { namespace: 'Vigil/Parity', name: 'CheckSuccess', dimensions: { Check: 'login' } },
      },
      incidentId,
    },
  });
};

const ackRequest = (incidentId: string, method: 'GET' | 'POST') => {
  const link = new URL(
    ackLink('https://ack.example/', ACK_KEY, incidentId, 'oncall-slack', Date.now() + 60_000),
  );
  return {
    rawQueryString: link.search.slice(1),
    ...(method === 'POST' ? { body: 'by=Ada' } : {}),
    requestContext: { http: { method } },
  };
};

const webhookDelivery = (incidentId: string) => {
  const body = JSON.stringify({
    event: {
      id: `evt-${incidentId}`,
      event_type: 'incident.acknowledged',
      occurred_at: new Date().toISOString(),
      agent: { type: 'user_reference', summary: 'Grace Hopper' },
      data: { id: 'PINC1', type: 'incident', incident_key: incidentId },
    },
  });
  return {
    headers: { 'x-pagerduty-signature': pagerDutySignature(WEBHOOK_SIGNING, body) },
    body,
    requestContext: { http: { method: 'POST' } },
  };
};

const slackClick = (incidentId: string) => {
  const body = new URLSearchParams({
    payload: JSON.stringify({
      type: 'block_actions',
      user: { id: 'U0ADA', name: 'ada' },
      actions: [{ action_id: 'ack', value: incidentId, type: 'button' }],
      response_url: 'https://hooks.slack.com/actions/T0001/1/parity',
    }),
  }).toString();
  const timestamp = String(Math.floor(Date.now() / 1000));
  return {
    headers: {
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': slackSignature(SLACK_SIGNING, timestamp, body),
    },
    body,
    requestContext: { http: { method: 'POST' } },
  };
};

/** The deployed incident table's name. */
const incidentTable = () => deployed.ref[stack.getLogicalId(engine.table.node.defaultChild as never)] ?? '';

/** The incident's audit trail as the table holds it, read outside IAM enforcement. */
const auditOf = (incidentId: string) =>
  moto.unenforced(() =>
    new DynamoDbIncidentStore(new DynamoDBClient(clientConfig(moto.endpoint)), incidentTable()).listAudit(
      incidentId,
    ),
  );

/** Loads the notify handler with its synthesized role, optionally with one action taken out. */
const loadNotifyAs = (withoutAction?: string) =>
  loadAs(
    engine.functions.notify,
    statementsOf(engine.functions.notify, withoutAction),
    () => import('../../../functions/escalation/notify'),
    bundledConfigEnv(),
  );

/** Records that Ada was paged by SMS for the incident (the paging path's write), outside IAM enforcement. */
const pageAda = (incidentId: string) =>
  moto.unenforced(() =>
    new DynamoDbPageLog(new DynamoDBClient(clientConfig(moto.endpoint)), incidentTable()).recordPage({
      personId: 'ada',
      incidentId,
      at: Date.now(),
      method: 'sms',
    }),
  );

const smsReply = (messageBody: string) => ({
  Records: [
    {
      Sns: {
        Message: JSON.stringify({
          originationNumber: ADA_SMS,
          destinationNumber: '+447700900999',
          messageBody,
          inboundMessageId: 'parity-inbound-1',
        }),
      },
    },
  ],
});

describe('escalation Lambdas under IAM enforcement, with exactly their synthesized role', () => {
  it('start: starts the execution on the state machine it is granted', async () => {
    // Prepare
    const { handler } = await loadAs(
      engine.functions.start,
      statementsOf(engine.functions.start),
      () => import('../../../functions/escalation/start'),
    );
    // Act
    const result = await handler(alarmEvent());
    // Assess
    expect(result.outcomes.map((outcome) => outcome.result)).toEqual(['started']);
    const executions = await moto.unenforced(() =>
      new SFNClient(clientConfig(moto.endpoint)).send(
        new ListExecutionsCommand({
          stateMachineArn: deployed.ref[stack.getLogicalId(engine.stateMachine.node.defaultChild as never)],
        }),
      ),
    );
    expect(executions.executions).toHaveLength(1);
  });

  it('check-status: opens an incident (failed traces, incident write) and checks it again (alarm state)', async () => {
    // Prepare
    const opened = await openIncident('parity-check-status-1', ALARM);
    const { handler } = await loadAs(
      engine.functions.checkStatus,
      statementsOf(engine.functions.checkStatus),
      () => import('../../../functions/escalation/check-status'),
      bundledConfigEnv(),
    );
    // Act
    // Checked again before level 1 was sent (as after a wait), so level 1 is due again.
    const waited = { ...opened, status: { ...opened.status, outcome: 'wait' as const } };
    const checked = await handler({ phase: 'check', level: 0, state: waited });
    // Arms the signal wait: stores the task token with the alarm's claim, reads the alarm once more.
    const armed = await handler({ phase: 'arm', token: 'parity-token-1', state: checked });
    // Assess
    expect(opened.incident).toMatchObject({ rule: 'LoginDown', severity: 'critical' });
    // Enrichment never fails a page, so a denial shows only in `skipped`. moto authorizes the traces query and
    // then cannot evaluate its filter expression (InternalFailure), and has no GetMetricWidgetImage, so the graph
    // and its S3 upload are skipped whatever the grants: only a denial is looked for here.
    const skipped = opened.incident.enrichment?.skipped ?? [];
    expect(skipped.filter((entry) => entry.includes('AccessDenied'))).toEqual([]);
    expect(checked.status).toMatchObject({ outcome: 'due' });
    expect(armed).toEqual({ armed: true });
  });

  it('check-status: reads a quorum check’s alarm in each of its locations and records its state changes', async () => {
    // Act
    const opened = await openIncident('parity-quorum-1', QUORUM_ALARM);
    // Assess: a denied DescribeAlarms in a region would leave it out of `failing` (unreadable).
    expect(opened.incident.quorum).toEqual({
      locations: [MOTO_REGION, OTHER_REGION],
      minFailing: 2,
      failing: [MOTO_REGION, OTHER_REGION],
    });
    expect(opened.status.outcome).toBe('due');
  });

  it('start: an OK event reads the alarm’s claim and signals the waiting execution with its token', async () => {
    // Prepare: the check-status test above left ALARM's incident waiting with token `parity-token-1`.
    const { handler } = await loadAs(
      engine.functions.start,
      statementsOf(engine.functions.start),
      () => import('../../../functions/escalation/start'),
    );
    const event = alarmEvent();
    const ok = { ...event, detail: { ...event.detail, state: { ...event.detail.state, value: 'OK' } } };
    // Act
    const result = await handler(ok);
    // Assess
    expect(result.outcomes.map((outcome) => [outcome.result, outcome.incidentId])).toEqual([
      ['signalled', 'parity-check-status-1'],
    ]);
  });

  it('notify: reads its channel secrets and the ack key, posts to Slack and PagerDuty, publishes to the email topic, audits', async () => {
    // Prepare
    const state = await openIncident('parity-notify-1');
    const { handler } = await loadNotifyAs();
    receiver.reset();
    // Act
    const slack = await handler({ kind: 'trigger', channel: 'oncall-slack', level: 0, state });
    const email = await handler({ kind: 'trigger', channel: 'oncall-email', level: 0, state });
    const pagerDuty = await handler({ kind: 'trigger', channel: 'oncall-pagerduty', level: 0, state });
    // Assess
    expect([slack.outcome, email.outcome, pagerDuty.outcome]).toEqual([
      'delivered',
      'delivered',
      'delivered',
    ]);
    expect(receiver.requests.map((request) => request.path)).toEqual([
      `${new URL(receiver.url).pathname}/services/parity`,
      `${new URL(receiver.url).pathname}/v2/enqueue`,
    ]);
    expect(receiver.requests[1]?.body).toContain('R0UT1NG');
  });

  it('notify: pages a person by email with SES v2 SendEmail from the paging identity', async () => {
    // Prepare
    const state = await openIncident('parity-email-1');
    const { handler } = await loadNotifyAs();
    // Act
    const page = await handler({ kind: 'trigger', channel: '@ada/email', level: 0, state });
    const audit = await auditOf('parity-email-1');
    // Assess: SES v2 answered with a message id.
    expect(page).toMatchObject({ outcome: 'delivered', deliveredTo: '@ada/email' });
    expect(audit).toContainEqual(
      expect.objectContaining({
        channel: '@ada/email',
        outcome: 'delivered',
        detail: expect.stringMatching(/^sent \(.+\) after 1 attempt$/),
      }),
    );
  });

  it('ack: shows the confirmation page and records the ack from a signed link', async () => {
    // Prepare
    await openIncident('parity-ack-1');
    const { handler } = await loadAs(
      engine.functions.ack,
      statementsOf(engine.functions.ack),
      () => import('../../../functions/escalation/ack'),
    );
    // Act
    const page = await handler(ackRequest('parity-ack-1', 'GET'));
    const acked = await handler(ackRequest('parity-ack-1', 'POST'));
    // Assess
    expect([page.statusCode, acked.statusCode]).toEqual([200, 200]);
    expect(acked.body).toContain('Acknowledged by Ada (via oncall-slack)');
  });

  it('pagerduty-webhook: reads its SSM signing secret and records the PagerDuty ack', async () => {
    // Prepare
    const webhook = engine.functions.pagerDutyWebhook as VigilFunction;
    await openIncident('parity-webhook-1');
    const { handler } = await loadAs(
      webhook,
      statementsOf(webhook),
      () => import('../../../functions/escalation/pagerduty-webhook'),
    );
    // Act
    const response = await handler(webhookDelivery('parity-webhook-1'));
    // Assess
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ outcome: 'acknowledged' });
  });
  it('slack-interactions: reads its signing secret and records the button ack', async () => {
    // Prepare
    const fn = engine.functions.slackInteractions as VigilFunction;
    await openIncident('parity-slack-1');
    const { handler } = await loadAs(
      fn,
      statementsOf(fn),
      () => import('../../../functions/escalation/slack-interactions'),
    );
    // Act
    const response = await handler(slackClick('parity-slack-1'));
    // Assess
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({
      outcome: 'acknowledged',
      ackedBy: 'Ada Lovelace (via Slack)',
    });
  });

  it('inbound-sms: finds the person’s open page and records the SMS ack', async () => {
    // Prepare
    const fn = engine.functions.inboundSms as VigilFunction;
    await openIncident('parity-sms-1');
    await pageAda('parity-sms-1');
    const { handler } = await loadAs(
      fn,
      statementsOf(fn),
      () => import('../../../functions/escalation/inbound-sms'),
    );
    // Act
    const [result] = await handler(smsReply('ack'));
    // Assess
    expect(result).toMatchObject({ outcome: 'acknowledged', personId: 'ada', incidentId: 'parity-sms-1' });
  });
});

describe('a grant missing from the role fails the test, as it would fail the deployment', () => {
  it('inbound-sms without dynamodb:Query is denied reading the person’s pages', async () => {
    // Prepare
    const fn = engine.functions.inboundSms as VigilFunction;
    await openIncident('parity-sms-denied');
    await pageAda('parity-sms-denied');
    const { handler } = await loadAs(
      fn,
      statementsOf(fn, 'dynamodb:Query'),
      () => import('../../../functions/escalation/inbound-sms'),
    );
    // Act / Assess
    await expect(handler(smsReply('ACK'))).rejects.toThrow(/is not authorized to perform: dynamodb:Query/);
  });

  it('notify without ses:SendEmail is denied sending the email page, and the audit says so', async () => {
    // Prepare
    const state = await openIncident('parity-email-denied');
    const { handler } = await loadNotifyAs('ses:SendEmail');
    // Act
    const page = await handler({ kind: 'trigger', channel: '@ada/email', level: 0, state });
    const audit = await auditOf('parity-email-denied');
    // Assess: nothing delivered, and the audit says why.
    expect(page.outcome).not.toBe('delivered');
    expect(audit.map((record) => record.detail).join('\n')).toMatch(
      /SendEmail: AccessDeniedException: .* is not authorized to perform: ses:SendEmail/,
    );
  });

  it('ack without secretsmanager:GetSecretValue is denied reading its HMAC key', async () => {
    // Prepare
    await openIncident('parity-ack-denied');
    const { handler } = await loadAs(
      engine.functions.ack,
      statementsOf(engine.functions.ack, 'secretsmanager:GetSecretValue'),
      () => import('../../../functions/escalation/ack'),
    );
    // Act
    const denied = await handler(ackRequest('parity-ack-denied', 'GET')).then(
      () => undefined,
      (error: unknown) => error,
    );
    // Assess: the shared secret cache names the secret and keeps the denial as the cause
    expect(denied).toMatchObject({
      name: 'SecretResolutionError',
      cause: {
        message: expect.stringMatching(/is not authorized to perform: secretsmanager:GetSecretValue/),
      },
    });
  });

  it('pagerduty-webhook without dynamodb:PutItem is denied writing the ack', async () => {
    // Prepare
    const webhook = engine.functions.pagerDutyWebhook as VigilFunction;
    await openIncident('parity-webhook-denied');
    const { handler } = await loadAs(
      webhook,
      statementsOf(webhook, 'dynamodb:PutItem'),
      () => import('../../../functions/escalation/pagerduty-webhook'),
    );
    // Act / Assess
    await expect(handler(webhookDelivery('parity-webhook-denied'))).rejects.toThrow(
      /is not authorized to perform: dynamodb:PutItem/,
    );
  });

  it('start without states:StartExecution is denied starting the escalation', async () => {
    // Prepare
    const { handler } = await loadAs(
      engine.functions.start,
      statementsOf(engine.functions.start, 'states:StartExecution'),
      () => import('../../../functions/escalation/start'),
    );
    // Act / Assess
    await expect(handler(alarmEvent())).rejects.toThrow(
      /is not authorized to perform: states:StartExecution/,
    );
  });
});
