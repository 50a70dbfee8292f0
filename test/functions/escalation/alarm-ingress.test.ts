import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CreateStateMachineCommand, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import type { LocalEscalationDefinition } from '../../../bin/local/escalation/local-escalation-definition';
import { CloudWatchAlarmState } from '../../../functions/escalation/adapters/cloudwatch-alarm-state';
import { DynamoDbIncidentStore } from '../../../functions/escalation/adapters/dynamodb-incident-store';
import { executionName } from '../../../functions/escalation/core/execution-name';
import type { AlarmSnapshot } from '../../../functions/escalation/types/incident';
import { HANG_GUARD_MS } from '../../helpers/patience';
import { flowEngine, platformTags } from './helpers/flow-harness';
import { type HttpReceiver, startReceiver } from './helpers/http-receiver';
import { aws, fireAlarm, setAlarmState, startFlowFixture } from './helpers/moto-escalation';

const PREFIX = 'ingress';
const TABLE = 'ingress-incidents';
const ACCOUNT = '123456789012';
const OTHER_ACCOUNT = '210987654321';
const MONDAY_1030 = Date.parse('2026-03-02T10:30:00Z');
const MINUTE = 60_000;
const WEEK = 7 * 24 * 60 * MINUTE;
const critical = platformTags('critical');

const sfn = new SFNClient({});
let stateMachineArn: string;
let slack: HttpReceiver;
let pagerDuty: HttpReceiver;
let teams: HttpReceiver;
let hook: HttpReceiver;
let synthesized: LocalEscalationDefinition;

beforeAll(async () => {
  const machine = await sfn.send(
    new CreateStateMachineCommand({
      name: 'ingress-escalation',
      roleArn: `arn:aws:iam::${ACCOUNT}:role/escalation`,
      definition: JSON.stringify({ StartAt: 'Done', States: { Done: { Type: 'Succeed' } } }),
    }),
  );
  stateMachineArn = machine.stateMachineArn ?? '';
  process.env.VIGIL_STATE_MACHINE_ARN = stateMachineArn;
  process.env.VIGIL_TABLE_NAME = TABLE;
  process.env.POWERTOOLS_TRACE_ENABLED = 'false';
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  ({ slack, pagerDuty, teams, hook, synthesized } = await startFlowFixture(PREFIX, TABLE));
}, HANG_GUARD_MS);

afterAll(async () => {
  await Promise.all([slack, pagerDuty, teams, hook].map((receiver) => receiver?.close()));
});

beforeEach(() => {
  for (const receiver of [slack, pagerDuty, teams, hook]) receiver.reset();
});

const arnOf = (alarmName: string, account = ACCOUNT) =>
  `arn:aws:cloudwatch:us-east-1:${account}:alarm:${alarmName}`;

/** An EventBridge `CloudWatch Alarm State Change` event as CloudWatch sends it; `timestamp` may be left out. */
const eventBridgeEvent = (alarmName: string, time: string, timestamp?: string) => ({
  version: '0',
  id: 'c4c1c1c9-6542-e61b-6ef0-8c4d36933a92',
  source: 'aws.cloudwatch',
  'detail-type': 'CloudWatch Alarm State Change',
  account: ACCOUNT,
  region: 'us-east-1',
  time,
  resources: [arnOf(alarmName)],
  detail: {
    alarmName,
    state: {
      value: 'ALARM',
      reason: 'Threshold Crossed: 1 datapoint [0.0] was less than the threshold (1.0).',
      ...(timestamp !== undefined ? { timestamp } : {}),
    },
    previousState: { value: 'OK', reason: 'Threshold Crossed', timestamp: '2026-03-02T10:20:00.000+0000' },
    configuration: { description: `alarm ${alarmName}` },
  },
});

/** The SNS notification CloudWatch publishes to an alarm action for the same transition. */
const snsEvent = (alarmName: string, stateChangeTime: string) => ({
  Records: [
    {
      EventSource: 'aws:sns',
      Sns: {
        Type: 'Notification',
        Subject: `ALARM: "${alarmName}" in US East (N. Virginia)`,
        Message: JSON.stringify({
          AlarmName: alarmName,
          AlarmDescription: `alarm ${alarmName}`,
          AWSAccountId: ACCOUNT,
          NewStateValue: 'ALARM',
          NewStateReason: 'Threshold Crossed: 1 datapoint [0.0] was less than the threshold (1.0).',
          StateChangeTime: stateChangeTime,
          Region: 'US East (N. Virginia)',
          AlarmArn: arnOf(alarmName),
          OldStateValue: 'OK',
        }),
      },
    },
  ],
});

const executionNames = async (): Promise<string[]> =>
  ((await sfn.send(new ListExecutionsCommand({ stateMachineArn }))).executions ?? []).map(
    (execution) => execution.name ?? '',
  );

const context = { invokedFunctionArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:ingress-start` };

describe('start handler: one incident per alarm transition, none for a stale event', () => {
  it('opens one incident when the same transition arrives through EventBridge without state.timestamp and through SNS with milliseconds', async () => {
    // Prepare
    const { handler } = await import('../../../functions/escalation/start');
    const alarmName = `${PREFIX}-check-both-paths`;
    await fireAlarm(alarmName, critical, MONDAY_1030);
    const before = await executionNames();
    // Act
    const viaEventBridge = await handler(eventBridgeEvent(alarmName, '2026-03-02T10:30:05Z'), context);
    const viaSns = await handler(snsEvent(alarmName, '2026-03-02T10:30:05.456+0000'), context);
    // Assess
    expect([viaEventBridge.outcomes[0]?.result, viaSns.outcomes[0]?.result]).toEqual([
      'started',
      'duplicate',
    ]);
    expect(viaSns.outcomes[0]?.incidentId).toBe(viaEventBridge.outcomes[0]?.incidentId);
    expect((await executionNames()).filter((name) => !before.includes(name))).toEqual([
      viaEventBridge.outcomes[0]?.incidentId,
    ]);
  });

  it('opens no incident for a week-old ALARM event of an alarm that is OK now, and says why', async () => {
    // Prepare
    const { handler } = await import('../../../functions/escalation/start');
    const alarmName = `${PREFIX}-check-week-old`;
    await fireAlarm(alarmName, critical, MONDAY_1030 - WEEK);
    await setAlarmState(alarmName, 'OK');
    const weekAgo = new Date(MONDAY_1030 - WEEK).toISOString();
    const before = await executionNames();
    // Act
    const result = await handler(
      eventBridgeEvent(alarmName, weekAgo, weekAgo.replace('Z', '+0000')),
      context,
    );
    // Assess
    expect(result.outcomes[0]).toMatchObject({ alarmName, result: 'ignored' });
    expect(result.outcomes[0]?.detail).toContain('is OK now; no incident opened');
    expect((await executionNames()).filter((name) => !before.includes(name))).toEqual([]);
  });

  it('still pages an alarm whose state it cannot read (another account): unknown is not stale', async () => {
    // Prepare
    const { handler } = await import('../../../functions/escalation/start');
    const alarmName = `${PREFIX}-check-other-account`;
    const event = eventBridgeEvent(alarmName, '2026-03-02T10:30:00Z', '2026-03-02T10:30:00.000+0000');
    // Act
    const result = await handler(
      { ...event, account: OTHER_ACCOUNT, resources: [arnOf(alarmName, OTHER_ACCOUNT)] },
      context,
    );
    // Assess
    expect(result.outcomes[0]).toMatchObject({ alarmName, result: 'started' });
  });
});

const engineWith = (start: number, alarms = new CloudWatchAlarmState(() => aws.cloudwatch)) =>
  flowEngine(synthesized, TABLE, start, { ackSecret: 'ingress-ack-key', ports: { alarms } });

const otherAccountAlarm = (alarmName: string, at: number): AlarmSnapshot => ({
  alarmName,
  alarmArn: arnOf(alarmName, OTHER_ACCOUNT),
  accountId: OTHER_ACCOUNT,
  state: 'ALARM',
  previousState: 'OK',
  reason: 'Threshold Crossed',
  stateChangedAt: new Date(at).toISOString(),
  region: 'us-east-1',
  source: 'eventbridge',
});

describe('executed state machine: alarm state read before and during an incident', () => {
  it('pages nobody and sends no RESOLVED for a stale ALARM event of an alarm that is OK now', async () => {
    // Prepare
    const { engine } = engineWith(MONDAY_1030);
    const alarm = await fireAlarm(`${PREFIX}-check-stale`, critical, MONDAY_1030 - WEEK);
    await setAlarmState(alarm.alarmName, 'OK');
    // Act
    const outcome = await engine.ingest(alarm);
    // Assess
    expect(outcome.result).toBe('ignored');
    expect([slack, pagerDuty, teams, hook].map((receiver) => receiver.requests.length)).toEqual([0, 0, 0, 0]);
    expect(
      await new DynamoDbIncidentStore(aws.dynamodb, TABLE).getIncident(
        executionName(alarm.alarmName, alarm.stateChangedAt),
      ),
    ).toBeUndefined();
  });

  it('keeps an incident of another account’s alarm open instead of resolving it as deleted, and audits why', async () => {
    // Prepare
    const alarms = new CloudWatchAlarmState(() => aws.cloudwatch, { accountId: () => ACCOUNT });
    const { engine } = engineWith(MONDAY_1030, alarms);
    const alarm = otherAccountAlarm(`${PREFIX}-check-elsewhere`, MONDAY_1030);
    // Act
    const started = await engine.ingest(alarm);
    const output = await engine.done(started.incidentId ?? '');
    const audit = await new DynamoDbIncidentStore(aws.dynamodb, TABLE).listAudit(started.incidentId ?? '');
    // Assess
    expect(started.result).toBe('started');
    expect(['resolved', 'closed']).not.toContain(output.status.outcome);
    expect(audit.filter((record) => record.kind === 'resolve')).toEqual([]);
    expect(slack.requests.map((request) => JSON.stringify(request.json))).not.toContainEqual(
      expect.stringContaining('RESOLVED'),
    );
    const unreadable = audit.filter((record) => record.outcome === 'unreadable');
    expect(unreadable.length).toBeGreaterThan(0);
    expect(unreadable[0]).toMatchObject({ kind: 'alarm-state', channel: alarm.alarmName });
    expect(unreadable[0]?.detail).toContain(`is in account ${OTHER_ACCOUNT}`);
  });

  it('keeps escalating while DescribeAlarms is denied, and resolves once the state reads OK again', async () => {
    // Prepare
    const denied = await startReceiver();
    denied.fallback = {
      status: 403,
      headers: { 'content-type': 'text/xml' },
      body: '<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not authorized</Message></Error></ErrorResponse>',
    };
    const deniedClient = new CloudWatchClient({ endpoint: denied.url, maxAttempts: 1 });
    let client = deniedClient;
    const { clock, engine } = engineWith(
      MONDAY_1030,
      new CloudWatchAlarmState(() => client, { accountId: () => ACCOUNT }),
    );
    const alarm = await fireAlarm(`${PREFIX}-check-denied`, critical, MONDAY_1030);
    clock.schedule(MONDAY_1030 + 7 * MINUTE, async () => {
      client = aws.cloudwatch;
      await setAlarmState(alarm.alarmName, 'OK');
    });
    try {
      // Act
      const started = await engine.ingest(alarm);
      const output = await engine.done(started.incidentId ?? '');
      const timeline = await engine.timeline(started.incidentId ?? '');
      // Assess
      expect(output.status.outcome).toBe('closed');
      expect(timeline.filter((event) => event.type === 'unreadable').length).toBeGreaterThan(0);
      expect(timeline.filter((event) => event.type === 'notify').map((event) => event.channel)).toEqual(
        expect.arrayContaining(['slack', 'pager', 'sms', 'hook']),
      );
      expect(timeline.filter((event) => event.type === 'resolve').length).toBeGreaterThan(0);
      expect(denied.requests.length).toBeGreaterThan(0);
    } finally {
      await denied.close();
    }
  });
});
