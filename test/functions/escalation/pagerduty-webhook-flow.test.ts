import type { LocalEscalationDefinition } from '../../../bin/local/escalation/local-escalation-definition';
import { createAwsSecretBackend } from '../../../functions/commons/aws-secret-backend';
import { createSecretResolver } from '../../../functions/commons/secret-resolver';
import { DynamoDbIncidentStore } from '../../../functions/escalation/adapters/dynamodb-incident-store';
import { executionName } from '../../../functions/escalation/core/execution-name';
import { handlePagerDutyWebhook } from '../../../functions/escalation/core/handle-pagerduty-webhook';
import { pagerDutySignature } from '../../../functions/escalation/core/pagerduty-signature';
import { HANG_GUARD_MS } from '../../helpers/patience';
import { flowEngine, platformTags } from './helpers/flow-harness';
import type { HttpReceiver } from './helpers/http-receiver';
import { aws, fireAlarm, startFlowFixture } from './helpers/moto-escalation';

const PREFIX = 'pdflow';
const TABLE = 'pdflow-incidents';
const ACK_SECRET = 'pdflow-ack-hmac-key';
const SIGNING_SECRET = 'pdflow-webhook-signing-secret';
const MONDAY_1030 = Date.parse('2026-03-02T10:30:00Z');
const MINUTE = 60_000;

let slack: HttpReceiver;
let pagerDuty: HttpReceiver;
let teams: HttpReceiver;
let hook: HttpReceiver;
let synthesized: LocalEscalationDefinition;

beforeAll(async () => {
  ({ slack, pagerDuty, teams, hook, synthesized } = await startFlowFixture(PREFIX, TABLE, {
    pagerDutyWebhookSecret: SIGNING_SECRET,
  }));
}, HANG_GUARD_MS);

afterAll(async () => {
  await Promise.all([slack, pagerDuty, teams, hook].map((receiver) => receiver?.close()));
});

describe('PagerDuty acknowledgement through its V3 webhook, in the executed definition', () => {
  it('stops escalating at +3m when the on-call acks in PagerDuty, like a link ack, and tells the other channels', async () => {
    // Prepare
    const { clock, engine } = flowEngine(synthesized, TABLE, MONDAY_1030, { ackSecret: ACK_SECRET });
    const alarm = await fireAlarm(
      `${PREFIX}-check-acked-in-pagerduty`,
      platformTags('critical'),
      MONDAY_1030,
    );
    const incidentId = executionName(alarm.alarmName, alarm.stateChangedAt);
    const signingSecret = createSecretResolver(
      { pager: { secretsManager: `${PREFIX}/pagerduty-webhook` } },
      createAwsSecretBackend(),
    );
    const responses: number[] = [];
    clock.schedule(MONDAY_1030 + 3 * MINUTE, async () => {
      // PagerDuty's incident for the trigger carries incident_key = the dedup_key Vigil sent.
      const dedupKey = pagerDuty.requests[0]?.json.dedup_key as string;
      const body = JSON.stringify({
        event: {
          id: 'evt-pdflow-1',
          event_type: 'incident.acknowledged',
          resource_type: 'incident',
          occurred_at: new Date(clock.now()).toISOString(),
          agent: { id: 'PU1', type: 'user_reference', summary: 'Ada Lovelace' },
          data: { id: 'PINC1', type: 'incident', status: 'acknowledged', incident_key: dedupKey },
        },
      });
      const deliver = () =>
        handlePagerDutyWebhook(
          {
            method: 'POST',
            headers: { 'x-pagerduty-signature': pagerDutySignature(SIGNING_SECRET, body) },
            body,
          },
          {
            clock,
            store: new DynamoDbIncidentStore(aws.dynamodb, TABLE),
            channels: ['pager'],
            secret: signingSecret,
          },
        );
      responses.push((await deliver()).response.statusCode, (await deliver()).response.statusCode);
    });
    // Act
    await engine.ingest(alarm);
    await engine.done(incidentId);
    const timeline = await engine.timeline(incidentId);
    // Assess
    expect(responses).toEqual([200, 200]);
    expect(timeline.filter((event) => event.atMs > 3 * MINUTE)).toEqual([]);
    expect(
      timeline.filter((event) => event.type === 'notify').map((event) => [event.at, event.channel]),
    ).toEqual([
      ['+0s', 'pager'],
      ['+0s', 'slack'],
    ]);
    expect(timeline.find((event) => event.channel === 'pagerduty')).toMatchObject({
      at: '+3m',
      type: 'ack',
      detail: 'acknowledged by Ada Lovelace (via pager)',
    });
    // PagerDuty was the acker: it gets no acknowledge event back; Slack is told who acked.
    expect(pagerDuty.requests.map((request) => [request.json.event_action, request.json.dedup_key])).toEqual([
      ['trigger', incidentId],
    ]);
    expect(JSON.stringify(slack.requests[1]?.json)).toContain('Ada Lovelace (via pager)');
    expect(slack.requests).toHaveLength(2);
  });
});
