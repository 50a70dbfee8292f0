import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  PutMetricAlarmCommand,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';
import {
  type LocalEscalationDefinition,
  localEscalationDefinition,
} from '../../../bin/local/escalation/local-escalation-definition';
import { parseConfig } from '../../../functions/commons/config/resolve-config';
import { CloudWatchAlarmState } from '../../../functions/escalation/adapters/cloudwatch-alarm-state';
import { DynamoDbIncidentStore } from '../../../functions/escalation/adapters/dynamodb-incident-store';
import { executionName } from '../../../functions/escalation/core/execution-name';
import { fromEventBridge } from '../../../functions/escalation/core/normalize-alarm-event';
import type { AlarmSnapshot } from '../../../functions/escalation/types/incident';
import { HANG_GUARD_MS } from '../../helpers/patience';
import { flowEngine, platformTags } from './helpers/flow-harness';
import { type HttpReceiver, startReceiver } from './helpers/http-receiver';
import { aws, createIncidentTable, createSecret } from './helpers/moto-escalation';

/**
 * Quorum across locations, flap damping and maintenance windows through the synthesized state machine (aws-local-stepfunctions),
 * the real handler cores, DynamoDB on moto and CloudWatch on moto in two regions (a client per region, as the
 * check-status Lambda has), on a virtual clock.
 */
const PREFIX = 'quorum';
const TABLE = 'quorum-incidents';
const EAST = 'us-east-1';
const WEST = 'eu-west-1';
const MONDAY_1030 = Date.parse('2026-03-02T10:30:00Z');
const TUESDAY_1030 = Date.parse('2026-03-03T10:30:00Z');
const WEDNESDAY_1030 = Date.parse('2026-03-04T10:30:00Z');
const THURSDAY_1030 = Date.parse('2026-03-05T10:30:00Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const clients = new Map<string, CloudWatchClient>();
const cloudwatchIn = (region: string): CloudWatchClient => {
  let client = clients.get(region);
  if (client === undefined) {
    client = new CloudWatchClient({ region });
    clients.set(region, client);
  }
  return client;
};

let hook: HttpReceiver;
let synthesized: LocalEscalationDefinition;

const health = (name: string, extra: Record<string, unknown>) => ({
  type: 'health',
  name,
  url: 'http://127.0.0.1:1/health',
  ...extra,
});

beforeAll(async () => {
  hook = await startReceiver();
  synthesized = localEscalationDefinition(
    parseConfig({
      app: PREFIX,
      environments: { local: { baseUrl: 'http://127.0.0.1:1' } },
      channels: { hook: { type: 'webhook', url: { secretsManager: `${PREFIX}/hook` } } },
      escalation: {
        critical: { levels: [{ after: '0s', channels: ['hook'] }] },
        warning: { levels: [{ after: '0s', channels: ['hook'] }] },
        info: { levels: [{ after: '0s', channels: ['hook'] }] },
        watchFor: '2h',
      },
      checks: [
        health('web', { locations: [EAST, WEST], quorum: { minFailingLocations: 2 } }),
        health('flappy', { flapping: { transitions: 5, window: '30m', quietPeriod: '15m' } }),
        health('batch', {
          maintenance: [{ from: '2026-03-02T10:00:00Z', to: '2026-03-02T11:00:00Z' }],
        }),
      ],
      heartbeats: [
        {
          name: 'nightly',
          every: '1d',
          maintenance: [{ days: ['mon'], time: '10:00-11:00', timezone: 'Europe/London' }],
        },
      ],
    }),
  );
  await createIncidentTable(TABLE);
  await createSecret(`${PREFIX}/hook`, hook.url);
}, HANG_GUARD_MS);

afterAll(async () => {
  await hook?.close();
  for (const client of clients.values()) client.destroy();
});

beforeEach(() => hook.reset());

const critical = platformTags('critical');

const engineAt = (start: number) =>
  flowEngine(synthesized, TABLE, start, {
    ackSecret: 'quorum-ack-key',
    ports: { alarms: new CloudWatchAlarmState(cloudwatchIn) },
  });

const setState = (region: string, alarmName: string, state: 'OK' | 'ALARM') =>
  cloudwatchIn(region).send(
    new SetAlarmStateCommand({ AlarmName: alarmName, StateValue: state, StateReason: `test sets ${state}` }),
  );

/** Creates the check's alarm in `region` (same name in every location), in OK. */
const createAlarm = async (region: string, alarmName: string) => {
  await cloudwatchIn(region).send(
    new PutMetricAlarmCommand({
      AlarmName: alarmName,
      Namespace: 'Vigil',
      MetricName: 'CheckSuccess',
      Dimensions: [{ Name: 'Check', Value: alarmName }],
      Statistic: 'Minimum',
      Period: 60,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      Tags: Object.entries(critical).map(([Key, Value]) => ({ Key, Value })),
    }),
  );
  await setState(region, alarmName, 'OK');
};

/** Puts the alarm of `region` in `state` and returns its state change as EventBridge delivers it. */
const transition = async (
  region: string,
  alarmName: string,
  state: 'OK' | 'ALARM',
  at: number,
): Promise<AlarmSnapshot> => {
  await setState(region, alarmName, state);
  const described = await cloudwatchIn(region).send(new DescribeAlarmsCommand({ AlarmNames: [alarmName] }));
  return fromEventBridge({
    source: 'aws.cloudwatch',
    'detail-type': 'CloudWatch Alarm State Change',
    account: '123456789012',
    region,
    time: new Date(at).toISOString(),
    resources: [described.MetricAlarms?.[0]?.AlarmArn],
    detail: {
      alarmName,
      state: { value: state, reason: `test sets ${state}`, timestamp: new Date(at).toISOString() },
      previousState: { value: state === 'ALARM' ? 'OK' : 'ALARM' },
    },
  });
};

const store = () => new DynamoDbIncidentStore(aws.dynamodb, TABLE);

/** Webhook requests as `incident|kind`. */
const received = () =>
  hook.requests.map((request) => {
    const json = request.json as { kind: string; incident: { id: string } };
    return `${json.incident.id}|${json.kind}`;
  });

describe('quorum across locations, through the executed state machine', () => {
  it(
    'one of two locations failing with a quorum of 2 pages nobody and audits "below quorum"',
    async () => {
      // Prepare
      const alarmName = `${PREFIX}-check-web`;
      await Promise.all([createAlarm(EAST, alarmName), createAlarm(WEST, alarmName)]);
      const { engine } = engineAt(MONDAY_1030);
      const east = await transition(EAST, alarmName, 'ALARM', MONDAY_1030);
      const id = executionName(alarmName, east.stateChangedAt);

      // Act
      const started = await engine.ingest(east);
      const output = await engine.done(id);
      const audit = await store().listAudit(id);

      // Assess
      expect(started.result).toBe('started');
      expect(output.status.outcome).toBe('below-quorum');
      expect(hook.requests).toHaveLength(0);
      expect(audit).toEqual([
        expect.objectContaining({
          kind: 'quorum',
          outcome: 'below-quorum',
          channel: alarmName,
          detail: `below quorum: failing in ${EAST} (1 of 2 locations, quorum 2); nobody paged`,
        }),
      ]);
      expect(await store().getAlarmClaim(`quorum:${alarmName}`)).toBeUndefined();
    },
    HANG_GUARD_MS,
  );

  it(
    'when the second location fails too, its ALARM opens one incident naming both, and a replayed first ALARM joins it',
    async () => {
      // Prepare
      const alarmName = `${PREFIX}-check-web`;
      await Promise.all([createAlarm(EAST, alarmName), createAlarm(WEST, alarmName)]);
      const { clock, engine } = engineAt(TUESDAY_1030);
      const east = await transition(EAST, alarmName, 'ALARM', TUESDAY_1030);
      const firstId = executionName(alarmName, east.stateChangedAt);
      const outcomes: string[] = [];
      clock.schedule(TUESDAY_1030 + 3 * MINUTE, async () => {
        // The first location's ALARM again (a replay) while the incident is open: it joins.
        const replay = await engine.ingest({
          ...east,
          stateChangedAt: new Date(TUESDAY_1030 + 3 * MINUTE).toISOString(),
        });
        outcomes.push((await engine.done(replay.incidentId ?? '')).status.outcome);
      });
      clock.schedule(TUESDAY_1030 + 10 * MINUTE, async () => {
        // One location recovering drops the check below its quorum: the incident resolves.
        const ok = await transition(WEST, alarmName, 'OK', TUESDAY_1030 + 10 * MINUTE);
        outcomes.push((await engine.ingest(ok)).result);
      });

      // Act
      await engine.ingest(east);
      const first = await engine.done(firstId);
      await clock.advanceTo(TUESDAY_1030 + 2 * MINUTE);
      const west = await transition(WEST, alarmName, 'ALARM', TUESDAY_1030 + 2 * MINUTE);
      const id = executionName(alarmName, west.stateChangedAt);
      await engine.ingest(west);
      const output = await engine.done(id);
      const incident = await store().getIncident(id);

      // Assess
      expect(first.status.outcome).toBe('below-quorum');
      expect(incident?.quorum).toEqual({ locations: [EAST, WEST], minFailing: 2, failing: [EAST, WEST] });
      expect(incident?.summary).toMatch(
        /\(failing in us-east-1, eu-west-1 \(2 of 2 locations, quorum 2\)\)$/,
      );
      expect(received()).toEqual([`${id}|trigger`, `${id}|resolve`]);
      const page = hook.requests[0]?.json as { incident: { summary: string } };
      expect(page.incident.summary).toContain('failing in us-east-1, eu-west-1');
      expect(outcomes).toEqual(['joined', 'signalled']);
      expect(output.status.outcome).toBe('closed');
    },
    HANG_GUARD_MS,
  );
});

describe('flapping, through the executed state machine', () => {
  it(
    'N+1 state changes make one incident marked flapping, paged once, resolved only after the quiet period',
    async () => {
      // Prepare
      const alarmName = `${PREFIX}-check-flappy`;
      await createAlarm(EAST, alarmName);
      const { clock, engine } = engineAt(WEDNESDAY_1030);
      const first = await transition(EAST, alarmName, 'ALARM', WEDNESDAY_1030);
      const id = executionName(alarmName, first.stateChangedAt);
      const outcomes: string[] = [];
      // OK at +1m, ALARM at +2m, OK at +3m, ALARM at +4m, OK at +5m: with the first ALARM, 6 changes (> 5) in 30m.
      for (let minute = 1; minute <= 5; minute += 1) {
        const at = WEDNESDAY_1030 + minute * MINUTE;
        clock.schedule(at, async () => {
          const state = minute % 2 === 1 ? 'OK' : 'ALARM';
          const started = await engine.ingest(await transition(EAST, alarmName, state, at));
          outcomes.push(
            state === 'OK' ? started.result : (await engine.done(started.incidentId ?? '')).status.outcome,
          );
        });
      }

      // Act
      await engine.ingest(first);
      const output = await engine.done(id);
      const audit = await store().listAudit(id);

      // Assess
      expect(outcomes).toEqual(['signalled', 'joined', 'signalled', 'joined', 'signalled']);
      expect(received()).toEqual([`${id}|trigger`, `${id}|resolve`]);
      expect(output.status.outcome).toBe('closed');
      expect(output.incident.flapping).toEqual({ transitions: 6, windowMs: 30 * MINUTE });
      const resolve = hook.requests[1]?.json as { incident: { summary: string } };
      expect(resolve.incident.summary).toMatch(/\[flapping: 6 state changes in 30m\]$/);
      // The last change was the OK at +5m: the resolve waits the 15m quiet period from there.
      const resolved = audit.find((record) => record.kind === 'resolve');
      expect(resolved?.at).toBeGreaterThanOrEqual(WEDNESDAY_1030 + 20 * MINUTE);
      expect(resolved?.at).toBeLessThan(WEDNESDAY_1030 + 22 * MINUTE);
      expect(audit.filter((record) => record.kind === 'trigger')).toHaveLength(1);
    },
    HANG_GUARD_MS,
  );

  it(
    'N state changes or fewer: the same one incident, not marked flapping, still resolved after the quiet period',
    async () => {
      // Prepare: ALARM, OK at +1m, ALARM at +2m, OK at +3m: 4 changes, not above 5.
      const alarmName = `${PREFIX}-check-flappy`;
      await createAlarm(EAST, alarmName);
      const { clock, engine } = engineAt(THURSDAY_1030);
      const first = await transition(EAST, alarmName, 'ALARM', THURSDAY_1030);
      const id = executionName(alarmName, first.stateChangedAt);
      for (let minute = 1; minute <= 3; minute += 1) {
        const at = THURSDAY_1030 + minute * MINUTE;
        clock.schedule(at, async () => {
          await engine.ingest(await transition(EAST, alarmName, minute % 2 === 1 ? 'OK' : 'ALARM', at));
        });
      }

      // Act
      await engine.ingest(first);
      const output = await engine.done(id);
      const resolved = (await store().listAudit(id)).find((record) => record.kind === 'resolve');

      // Assess
      expect(received()).toEqual([`${id}|trigger`, `${id}|resolve`]);
      expect(output.incident.flapping).toBeUndefined();
      expect(output.incident.summary).not.toContain('flapping');
      expect(resolved?.at).toBeGreaterThanOrEqual(THURSDAY_1030 + 18 * MINUTE);
    },
    HANG_GUARD_MS,
  );
});

describe('maintenance windows of a check, through the executed state machine', () => {
  it(
    'an alarm inside the window pages nobody and is audited as silenced; outside it pages',
    async () => {
      // Prepare
      const alarmName = `${PREFIX}-check-batch`;
      await createAlarm(EAST, alarmName);
      const inside = engineAt(MONDAY_1030);
      const during = await transition(EAST, alarmName, 'ALARM', MONDAY_1030);
      const duringId = executionName(alarmName, during.stateChangedAt);

      // Act
      await inside.engine.ingest(during);
      const silenced = await inside.engine.done(duringId);
      await setState(EAST, alarmName, 'OK');
      const outside = engineAt(MONDAY_1030 + HOUR);
      const after = await transition(EAST, alarmName, 'ALARM', MONDAY_1030 + HOUR);
      const afterId = executionName(alarmName, after.stateChangedAt);
      outside.clock.schedule(MONDAY_1030 + HOUR + 5 * MINUTE, async () => {
        await outside.engine.ingest(await transition(EAST, alarmName, 'OK', MONDAY_1030 + HOUR + 5 * MINUTE));
      });
      await outside.engine.ingest(after);
      const paged = await outside.engine.done(afterId);

      // Assess
      expect(silenced.status).toMatchObject({
        outcome: 'silenced',
        detail: "silenced by 'maintenance-check-batch': maintenance window of check 'batch'",
      });
      expect(await store().listAudit(duringId)).toEqual([
        expect.objectContaining({ channel: 'hook', kind: 'trigger', outcome: 'suppressed' }),
      ]);
      expect(paged.status.outcome).toBe('closed');
      expect(received()).toEqual([`${afterId}|trigger`, `${afterId}|resolve`]);
    },
    HANG_GUARD_MS,
  );

  it(
    "a heartbeat's failed alarm inside its weekly window pages nobody",
    async () => {
      // Prepare: Monday 10:30 in London (GMT in March) is inside 'mon 10:00-11:00'.
      const alarmName = `${PREFIX}-heartbeat-nightly-failed`;
      await createAlarm(EAST, alarmName);
      const { engine } = engineAt(MONDAY_1030);
      const failed = await transition(EAST, alarmName, 'ALARM', MONDAY_1030);
      const id = executionName(alarmName, failed.stateChangedAt);

      // Act
      await engine.ingest(failed);
      const output = await engine.done(id);

      // Assess
      expect(output.status).toMatchObject({
        outcome: 'silenced',
        detail: "silenced by 'maintenance-heartbeat-nightly': maintenance window of heartbeat 'nightly'",
      });
      expect(hook.requests).toHaveLength(0);
    },
    HANG_GUARD_MS,
  );
});
