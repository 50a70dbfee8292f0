import {
  type LocalEscalationDefinition,
  localEscalationDefinition,
} from '../../../bin/local/escalation/local-escalation-definition';
import type { LocalEscalationEngine } from '../../../bin/local/escalation/local-escalation-engine';
import { parseConfig } from '../../../functions/commons/config/resolve-config';
import { DynamoDbIncidentStore } from '../../../functions/escalation/adapters/dynamodb-incident-store';
import { WATCH_POLL_FACTOR } from '../../../functions/escalation/core/check-escalation';
import { executionName } from '../../../functions/escalation/core/execution-name';
import type { AlarmSnapshot, AuditRecord } from '../../../functions/escalation/types/incident';
import { HANG_GUARD_MS } from '../../helpers/patience';
import { flowEngine, platformTags, recoverAlarm, recoveredEvent, viaSns } from './helpers/flow-harness';
import { type HttpReceiver, type ReceivedRequest, startReceiver } from './helpers/http-receiver';
import { aws, createIncidentTable, createSecret, fireAlarm, setAlarmState } from './helpers/moto-escalation';

/**
 * The fault matrix of issue 10: the synthesized state machine run by aws-local-stepfunctions with the real
 * handler cores over moto (DynamoDB conditional writes, CloudWatch alarm state), delivering to scripted
 * receivers on 127.0.0.1, on a virtual clock. Every test counts requests per (incident, channel, action).
 */
const PREFIX = 'matrix';
const TABLE = 'matrix-incidents';
const ACK_SECRET = 'matrix-ack-key';
const MONDAY_1030 = Date.parse('2026-03-02T10:30:00Z');
const SECOND = 1_000;
const MINUTE = 60_000;

let hook: HttpReceiver;
let pager: HttpReceiver;
let standby: HttpReceiver;
let later: HttpReceiver;
let synthesized: LocalEscalationDefinition;

/**
 * Critical: `hook` (webhook) and `pager` (PagerDuty, 2 attempts a round, 1 s timeout, falls back to the
 * `standby` webhook) at once, the `later` webhook at +5m. Retry windows: trigger 2m, follow-ups 1h.
 */
const matrixConfig = (pagerDutyUrl: string) => ({
  app: PREFIX,
  environments: { local: { baseUrl: 'http://127.0.0.1:1' } },
  channels: {
    hook: { type: 'webhook', url: { secretsManager: `${PREFIX}/hook` } },
    pager: {
      type: 'pagerduty',
      routingKey: { secretsManager: `${PREFIX}/pagerduty` },
      eventsUrl: pagerDutyUrl,
      fallback: 'standby',
      attempts: 2,
      timeout: '1s',
    },
    standby: { type: 'webhook', url: { secretsManager: `${PREFIX}/standby` } },
    later: { type: 'webhook', url: { secretsManager: `${PREFIX}/later` } },
  },
  escalation: {
    critical: {
      levels: [
        { after: '0s', channels: ['hook', 'pager'] },
        { after: '5m', channels: ['later'] },
      ],
    },
    warning: { levels: [{ after: '0s', channels: ['hook'] }] },
    info: { levels: [{ after: '0s', channels: ['hook'] }] },
    watchFor: '2h',
  },
});

beforeAll(async () => {
  [hook, pager, standby, later] = await Promise.all([
    startReceiver(),
    startReceiver(202),
    startReceiver(),
    startReceiver(),
  ]);
  synthesized = localEscalationDefinition(parseConfig(matrixConfig(pager.url)));
  await createIncidentTable(TABLE);
  await createSecret(`${PREFIX}/hook`, hook.url);
  await createSecret(`${PREFIX}/pagerduty`, 'R0UT1NGKEY');
  await createSecret(`${PREFIX}/standby`, standby.url);
  await createSecret(`${PREFIX}/later`, later.url);
}, HANG_GUARD_MS);

afterAll(async () => {
  await Promise.all([hook, pager, standby, later].map((receiver) => receiver?.close()));
});

beforeEach(() => {
  for (const receiver of [hook, pager, standby, later]) receiver.reset();
});

const critical = platformTags('critical');

/** An engine on a virtual clock with moto-backed ports and fixed jitter (half way). */
const engineAt = (start: number) => flowEngine(synthesized, TABLE, start, { ackSecret: ACK_SECRET });

/** `incident|action` of a request: PagerDuty's dedup_key and event_action, the webhook's incident id and kind. */
const keyOf = (request: ReceivedRequest): string => {
  const json = request.json as {
    dedup_key?: string;
    event_action?: string;
    kind?: string;
    incident?: { id: string };
  };
  return json.event_action !== undefined
    ? `${json.dedup_key}|${json.event_action}`
    : `${json.incident?.id}|${json.kind}`;
};

/** Requests per `incident|action`, per receiver. */
const counts = () =>
  Object.fromEntries(
    Object.entries({ hook, pager, standby, later }).map(([name, receiver]) => {
      const tally: Record<string, number> = {};
      for (const request of receiver.requests) tally[keyOf(request)] = (tally[keyOf(request)] ?? 0) + 1;
      return [name, tally];
    }),
  );

const auditOf = (incidentId: string): Promise<AuditRecord[]> =>
  new DynamoDbIncidentStore(aws.dynamodb, TABLE).listAudit(incidentId);

/** `[channel, kind, outcome]` of each audit record, in order. */
const trail = (audit: readonly AuditRecord[]) =>
  audit.map((record) => [record.channel, record.kind, record.outcome]);

const BACK_TO_NORMAL = 'Threshold Crossed: back to normal';

/** The alarm's OK transition at `at`, as the start function receives it (EventBridge). */
const recovered = (alarm: AlarmSnapshot, at: number) => recoveredEvent(alarm, at, BACK_TO_NORMAL);

/** The alarm goes OK in CloudWatch and its OK event reaches the engine. */
const recover = (engine: LocalEscalationEngine, alarm: AlarmSnapshot, at: number) =>
  recoverAlarm(engine, alarm, at, BACK_TO_NORMAL);

describe('escalation fault matrix: synthesized definition, real handlers, moto, scripted receivers', () => {
  it(
    'healthy: one trigger per level channel, and the OK event resolves each notified channel once, at once',
    async () => {
      // Prepare
      const { clock, engine } = engineAt(MONDAY_1030);
      const alarm = await fireAlarm(`${PREFIX}-check-healthy`, critical, MONDAY_1030);
      const id = executionName(alarm.alarmName, alarm.stateChangedAt);
      const signals: string[] = [];
      clock.schedule(MONDAY_1030 + 7 * MINUTE, async () => {
        signals.push((await recover(engine, alarm, MONDAY_1030 + 7 * MINUTE)).result);
      });
      // Act
      await engine.ingest(alarm);
      const output = await engine.done(id);
      const audit = await auditOf(id);
      // Assess
      expect(counts()).toEqual({
        hook: { [`${id}|trigger`]: 1, [`${id}|resolve`]: 1 },
        pager: { [`${id}|trigger`]: 1, [`${id}|resolve`]: 1 },
        standby: {},
        later: { [`${id}|trigger`]: 1, [`${id}|resolve`]: 1 },
      });
      expect(signals).toEqual(['signalled']);
      expect(output.status.outcome).toBe('closed');
      const resolves = audit.filter((record) => record.kind === 'resolve');
      expect(resolves.map((record) => [record.channel, record.outcome]).sort()).toEqual([
        ['hook', 'delivered'],
        ['later', 'delivered'],
        ['pager', 'delivered'],
      ]);
      // Event-driven: every resolve is delivered within 30 s of the OK transition (here: at it).
      for (const record of resolves)
        expect(record.at - (MONDAY_1030 + 7 * MINUTE)).toBeLessThanOrEqual(30 * SECOND);
    },
    HANG_GUARD_MS,
  );

  it(
    'without the OK event, the watch poll still resolves (the safety net)',
    async () => {
      // Prepare
      const { clock, engine } = engineAt(MONDAY_1030);
      const alarm = await fireAlarm(`${PREFIX}-check-no-event`, critical, MONDAY_1030);
      const id = executionName(alarm.alarmName, alarm.stateChangedAt);
      clock.schedule(MONDAY_1030 + 7 * MINUTE + 10 * SECOND, () => setAlarmState(alarm.alarmName, 'OK'));
      // Act
      await engine.ingest(alarm);
      await engine.done(id);
      const audit = await auditOf(id);
      // Assess
      const resolveTimes = audit.filter((record) => record.kind === 'resolve').map((record) => record.at);
      expect(resolveTimes).toHaveLength(3);
      for (const at of resolveTimes)
        expect(at - (MONDAY_1030 + 7 * MINUTE + 10 * SECOND)).toBeLessThanOrEqual(WATCH_POLL_FACTOR * MINUTE);
    },
    HANG_GUARD_MS,
  );

  it(
    'primary down (reset, hang, then 503): pages the fallback after the first round, retries the primary over its window, resolves only what was paged',
    async () => {
      // Prepare
      const { clock, engine, failures } = engineAt(MONDAY_1030);
      pager.script({ fault: 'reset' }, { fault: 'hang' });
      pager.fallback = { status: 503, body: 'unavailable' };
      const alarm = await fireAlarm(`${PREFIX}-check-pager-down`, critical, MONDAY_1030);
      const id = executionName(alarm.alarmName, alarm.stateChangedAt);
      clock.schedule(MONDAY_1030 + 7 * MINUTE, async () => {
        await recover(engine, alarm, MONDAY_1030 + 7 * MINUTE);
      });
      // Act
      await engine.ingest(alarm);
      await engine.done(id);
      const audit = await auditOf(id);
      // Assess
      const pagerTrail = audit.filter((record) => record.channel === 'pager');
      const rounds = pagerTrail.length;
      expect(pagerTrail.map((record) => record.outcome)).toEqual([
        ...Array.from({ length: rounds - 1 }, () => 'retrying'),
        'failed',
      ]);
      expect(pagerTrail.at(-1)?.detail).toMatch(/retry window of 120s exhausted after \d+ rounds$/);
      expect(pagerTrail.at(-1)?.at).toBeLessThanOrEqual(MONDAY_1030 + 2 * MINUTE + SECOND);
      expect(counts()).toEqual({
        hook: { [`${id}|trigger`]: 1, [`${id}|resolve`]: 1 },
        // Two attempts a round; no resolve to a channel that never took the page.
        pager: { [`${id}|trigger`]: 2 * rounds },
        standby: { [`${id}|trigger`]: 1, [`${id}|resolve`]: 1 },
        later: { [`${id}|trigger`]: 1, [`${id}|resolve`]: 1 },
      });
      expect(audit.find((record) => record.channel === 'standby')).toMatchObject({
        kind: 'trigger',
        outcome: 'delivered',
        fallbackFor: 'pager',
        at: expect.any(Number),
      });
      expect(pagerTrail[0]?.detail).toMatch(/^EscalationDeliveryError: .+; round 1, next at /);
      // Alarmed when the first round failed (fallback engaged) and when the primary was given up on.
      expect(failures).toEqual(['pager', 'pager']);
    },
    HANG_GUARD_MS,
  );

  it(
    'ack then recovery: acknowledges and later resolves exactly the notified channels, never escalates past the ack',
    async () => {
      // Prepare
      const { clock, engine } = engineAt(MONDAY_1030);
      const alarm = await fireAlarm(`${PREFIX}-check-acked`, critical, MONDAY_1030);
      const id = executionName(alarm.alarmName, alarm.stateChangedAt);
      clock.schedule(MONDAY_1030 + 2 * MINUTE, async () => {
        await engine.acknowledge(id, 'Ada', 'hook');
      });
      clock.schedule(MONDAY_1030 + 40 * MINUTE, async () => {
        await recover(engine, alarm, MONDAY_1030 + 40 * MINUTE);
      });
      // Act
      await engine.ingest(alarm);
      const output = await engine.done(id);
      const timeline = await engine.timeline(id);
      // Assess
      expect(counts()).toEqual({
        hook: { [`${id}|trigger`]: 1, [`${id}|acknowledge`]: 1, [`${id}|resolve`]: 1 },
        pager: { [`${id}|trigger`]: 1, [`${id}|acknowledge`]: 1, [`${id}|resolve`]: 1 },
        standby: {},
        later: {},
      });
      expect(output.status.outcome).toBe('closed');
      expect(
        timeline.filter((event) => event.type === 'resolve').map((event) => [event.at, event.channel]),
      ).toEqual([
        ['+40m', 'hook'],
        ['+40m', 'pager'],
      ]);
    },
    HANG_GUARD_MS,
  );

  it(
    'failed resolve then recovery of the receiver: retried with backoff until delivered, once',
    async () => {
      // Prepare
      const { clock, engine, failures } = engineAt(MONDAY_1030);
      const alarm = await fireAlarm(`${PREFIX}-check-resolve-retried`, critical, MONDAY_1030);
      const id = executionName(alarm.alarmName, alarm.stateChangedAt);
      clock.schedule(MONDAY_1030 + 7 * MINUTE, async () => {
        pager.fallback = { status: 500, body: 'brown-out' };
        await recover(engine, alarm, MONDAY_1030 + 7 * MINUTE);
      });
      clock.schedule(MONDAY_1030 + 20 * MINUTE, async () => {
        pager.fallback = { status: 202, body: 'ok' };
      });
      // Act
      await engine.ingest(alarm);
      const output = await engine.done(id);
      const audit = await auditOf(id);
      // Assess
      const resolves = audit.filter((record) => record.kind === 'resolve' && record.channel === 'pager');
      const retried = resolves.filter((record) => record.outcome === 'retrying');
      expect(resolves.map((record) => record.outcome)).toEqual([
        ...retried.map(() => 'retrying'),
        'delivered',
      ]);
      expect(retried.length).toBeGreaterThan(2);
      expect(resolves.at(-1)?.at).toBeGreaterThanOrEqual(MONDAY_1030 + 20 * MINUTE);
      expect(counts().pager).toEqual({ [`${id}|trigger`]: 1, [`${id}|resolve`]: 2 * retried.length + 1 });
      expect(counts().standby).toEqual({});
      expect(output.status.outcome).toBe('closed');
      expect(failures).toEqual([]);
    },
    HANG_GUARD_MS,
  );

  it(
    'a resolve undeliverable for its whole window is audited failed, alarmed, and fails the execution',
    async () => {
      // Prepare
      const { clock, engine, failures } = engineAt(MONDAY_1030);
      const alarm = await fireAlarm(`${PREFIX}-check-resolve-lost`, critical, MONDAY_1030);
      const id = executionName(alarm.alarmName, alarm.stateChangedAt);
      clock.schedule(MONDAY_1030 + 7 * MINUTE, async () => {
        pager.fallback = { status: 503, body: 'down for good' };
        await recover(engine, alarm, MONDAY_1030 + 7 * MINUTE);
      });
      // Act
      await engine.ingest(alarm);
      const ended = await engine.done(id).then(
        () => 'succeeded',
        (error: Error) => error.message,
      );
      const audit = await auditOf(id);
      // Assess
      expect(ended).toContain('resolve undeliverable to pager within the retry window');
      const last = audit.filter((record) => record.kind === 'resolve' && record.channel === 'pager').at(-1);
      expect(last).toMatchObject({ outcome: 'failed' });
      expect(last?.detail).toMatch(/retry window of 3600s exhausted/);
      expect(last?.at).toBeLessThanOrEqual(MONDAY_1030 + 7 * MINUTE + 60 * MINUTE);
      expect(failures).toEqual(['pager']);
      // Never handed to the fallback that was never paged.
      expect(counts().standby).toEqual({});
      expect(counts().hook).toEqual({ [`${id}|trigger`]: 1, [`${id}|resolve`]: 1 });
    },
    HANG_GUARD_MS,
  );

  it(
    'honours a Retry-After longer than a round by waiting for it in the execution',
    async () => {
      // Prepare
      const { clock, engine } = engineAt(MONDAY_1030);
      const alarm = await fireAlarm(`${PREFIX}-check-retry-after`, critical, MONDAY_1030);
      const id = executionName(alarm.alarmName, alarm.stateChangedAt);
      clock.schedule(MONDAY_1030 + 7 * MINUTE, async () => {
        pager.script({ status: 429, headers: { 'retry-after': '90' }, body: 'slow down' });
        await recover(engine, alarm, MONDAY_1030 + 7 * MINUTE);
      });
      // Act
      await engine.ingest(alarm);
      await engine.done(id);
      const audit = await auditOf(id);
      // Assess
      const resolves = audit.filter((record) => record.kind === 'resolve' && record.channel === 'pager');
      expect(resolves.map((record) => record.outcome)).toEqual(['retrying', 'delivered']);
      expect((resolves[1]?.at ?? 0) - (resolves[0]?.at ?? 0)).toBe(90 * SECOND);
      expect(counts().pager).toEqual({ [`${id}|trigger`]: 1, [`${id}|resolve`]: 2 });
    },
    HANG_GUARD_MS,
  );

  it(
    'replayed events: the same ALARM (EventBridge and SNS) and OK events change nothing',
    async () => {
      // Prepare
      const { clock, engine } = engineAt(MONDAY_1030);
      const alarm = await fireAlarm(`${PREFIX}-check-replayed`, critical, MONDAY_1030);
      const id = executionName(alarm.alarmName, alarm.stateChangedAt);
      const snsReplay = viaSns(alarm, MONDAY_1030);
      const results: string[] = [];
      clock.schedule(MONDAY_1030 + MINUTE, async () => {
        results.push((await engine.ingest(alarm)).result, (await engine.ingest(snsReplay)).result);
      });
      clock.schedule(MONDAY_1030 + 7 * MINUTE, async () => {
        results.push((await recover(engine, alarm, MONDAY_1030 + 7 * MINUTE)).result);
        results.push((await engine.ingest(recovered(alarm, MONDAY_1030 + 7 * MINUTE))).result);
      });
      // Act
      results.push((await engine.ingest(alarm)).result);
      await engine.done(id);
      // Assess
      expect(results).toEqual(['started', 'duplicate', 'duplicate', 'signalled', 'ignored']);
      expect(counts()).toEqual({
        hook: { [`${id}|trigger`]: 1, [`${id}|resolve`]: 1 },
        pager: { [`${id}|trigger`]: 1, [`${id}|resolve`]: 1 },
        standby: {},
        later: { [`${id}|trigger`]: 1, [`${id}|resolve`]: 1 },
      });
    },
    HANG_GUARD_MS,
  );

  it(
    'a flap inside the poll interval joins the open incident: one page per channel, same dedup_key, flap in the timeline',
    async () => {
      // Prepare
      const { clock, engine } = engineAt(MONDAY_1030);
      const alarm = await fireAlarm(`${PREFIX}-check-flapping`, critical, MONDAY_1030);
      const id = executionName(alarm.alarmName, alarm.stateChangedAt);
      const realarm: AlarmSnapshot = {
        ...alarm,
        stateChangedAt: new Date(MONDAY_1030 + 30 * SECOND).toISOString(),
      };
      const second = executionName(realarm.alarmName, realarm.stateChangedAt);
      clock.schedule(MONDAY_1030 + 30 * SECOND, async () => {
        // ALARM -> OK -> ALARM within the poll interval; the OK event wakes the incident, which sees ALARM again.
        await recover(engine, alarm, MONDAY_1030 + 29 * SECOND);
        await setAlarmState(alarm.alarmName, 'ALARM');
        await engine.ingest(realarm);
      });
      clock.schedule(MONDAY_1030 + 7 * MINUTE, async () => {
        await recover(engine, alarm, MONDAY_1030 + 7 * MINUTE);
      });
      // Act
      await engine.ingest(alarm);
      const first = await engine.done(id);
      const joined = await engine.done(second);
      const timeline = await engine.timeline(id);
      // Assess
      expect(joined.status.outcome).toBe('joined');
      expect(first.status.outcome).toBe('closed');
      expect(counts()).toEqual({
        hook: { [`${id}|trigger`]: 1, [`${id}|resolve`]: 1 },
        pager: { [`${id}|trigger`]: 1, [`${id}|resolve`]: 1 },
        standby: {},
        later: { [`${id}|trigger`]: 1, [`${id}|resolve`]: 1 },
      });
      expect(timeline.find((event) => event.type === 'flap')).toMatchObject({
        at: '+30s',
        channel: alarm.alarmName,
      });
      expect(await new DynamoDbIncidentStore(aws.dynamodb, TABLE).getIncident(second)).toBeUndefined();
    },
    HANG_GUARD_MS,
  );

  it(
    'ack and recovery seen at the same check: exactly one resolve per channel and no acknowledge',
    async () => {
      // Prepare
      const { clock, engine } = engineAt(MONDAY_1030);
      const alarm = await fireAlarm(`${PREFIX}-check-ack-and-ok`, critical, MONDAY_1030);
      const id = executionName(alarm.alarmName, alarm.stateChangedAt);
      // Both land between two polls, with no OK event: the next check sees both at once.
      clock.schedule(MONDAY_1030 + 90 * SECOND, async () => {
        await engine.acknowledge(id, 'Ada', 'hook');
        await setAlarmState(alarm.alarmName, 'OK');
      });
      // Act
      await engine.ingest(alarm);
      await engine.done(id);
      const audit = await auditOf(id);
      // Assess
      expect(counts()).toEqual({
        hook: { [`${id}|trigger`]: 1, [`${id}|resolve`]: 1 },
        pager: { [`${id}|trigger`]: 1, [`${id}|resolve`]: 1 },
        standby: {},
        later: {},
      });
      expect(trail(audit.filter((record) => record.kind !== 'trigger'))).toEqual([
        ['hook', 'resolve', 'delivered'],
        ['pager', 'resolve', 'delivered'],
      ]);
    },
    HANG_GUARD_MS,
  );
});
