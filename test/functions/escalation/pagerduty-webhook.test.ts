import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDbIncidentStore } from '../../../functions/escalation/adapters/dynamodb-incident-store';
import { pagerDutySignature } from '../../../functions/escalation/core/pagerduty-signature';
import { aws, createIncidentTable, createSecret } from './helpers/moto-escalation';

const TABLE = 'pd-webhook-incidents';
const SIGNING_SECRET = 'pd-webhook-handler-signing-secret';
const INCIDENT_ID = 'shop-check-checkout-20260302T103000Z-9f8e7d6c5b';

beforeAll(async () => {
  await createIncidentTable(TABLE);
  await createSecret('pd-webhook-handler/signing', SIGNING_SECRET);
  process.env.VIGIL_TABLE_NAME = TABLE;
  process.env.VIGIL_PAGERDUTY_WEBHOOK_SECRETS = JSON.stringify({
    'oncall-pagerduty': { secretsManager: 'pd-webhook-handler/signing' },
  });
  process.env.POWERTOOLS_TRACE_ENABLED = 'false';
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  await new DynamoDbIncidentStore(aws.dynamodb, TABLE).createIncident({
    id: INCIDENT_ID,
    alarm: {
      alarmName: 'shop-check-checkout',
      state: 'ALARM',
      reason: 'Threshold Crossed',
      stateChangedAt: '2026-03-02T10:30:00.000Z',
      region: 'us-east-1',
      source: 'eventbridge',
    },
    severity: 'critical',
    team: 'payments',
    policy: 'critical',
    summary: 'Checkout is down',
    tags: {},
    startedAt: Date.parse('2026-03-02T10:30:00Z'),
  });
});

/** A minute before the run: the handler reads the real clock, and acts only on events of the last 10 minutes. */
const OCCURRED_AT = new Date(Date.now() - 60_000).toISOString();

const acknowledged = (id: string, who: string, occurredAt = OCCURRED_AT, incidentKey = INCIDENT_ID) =>
  JSON.stringify({
    event: {
      id,
      event_type: 'incident.acknowledged',
      resource_type: 'incident',
      occurred_at: occurredAt,
      agent: { id: 'PU1', type: 'user_reference', summary: who },
      client: { name: 'PagerDuty' },
      data: { id: 'PINC1', type: 'incident', status: 'acknowledged', incident_key: incidentKey },
    },
  });

/** A Function URL event (payload 2.0) as Lambda delivers PagerDuty's POST: lower-case header names. */
const delivery = (body: string, signature: string, base64 = false) => ({
  headers: { 'content-type': 'application/json', 'x-pagerduty-signature': signature, 'x-webhook-id': 'w1' },
  body: base64 ? Buffer.from(body, 'utf8').toString('base64') : body,
  isBase64Encoded: base64,
  requestContext: { http: { method: 'POST' } },
});

describe('pagerduty-webhook handler (Function URL, moto DynamoDB + Secrets Manager)', () => {
  it('records one ack when PagerDuty delivers the same acknowledgement twice, and refuses a forgery', async () => {
    // Prepare
    const { handler } = await import('../../../functions/escalation/pagerduty-webhook');
    const body = acknowledged('evt-ack-1', 'Ada Lovelace');
    const forgedBody = acknowledged('evt-ack-0', 'Mallory');
    // Act
    const forged = await handler(delivery(forgedBody, pagerDutySignature('not-the-secret', forgedBody)));
    const first = await handler(delivery(body, pagerDutySignature(SIGNING_SECRET, body)));
    const redelivered = await handler(delivery(body, pagerDutySignature(SIGNING_SECRET, body), true));
    const items = await aws.dynamodb.send(
      new QueryCommand({
        TableName: TABLE,
        KeyConditionExpression: 'pk = :pk AND sk = :ack',
        ExpressionAttributeValues: { ':pk': { S: `incident#${INCIDENT_ID}` }, ':ack': { S: 'ack' } },
      }),
    );
    // Assess
    expect(forged.statusCode).toBe(401);
    expect([first.statusCode, redelivered.statusCode]).toEqual([200, 200]);
    expect(JSON.parse(first.body).outcome).toBe('acknowledged');
    expect(JSON.parse(redelivered.body)).toMatchObject({
      outcome: 'already-acknowledged',
      ackedBy: 'Ada Lovelace (via oncall-pagerduty)',
    });
    expect(items.Count).toBe(1);
    expect(await new DynamoDbIncidentStore(aws.dynamodb, TABLE).getAck(INCIDENT_ID)).toEqual({
      incidentId: INCIDENT_ID,
      by: 'Ada Lovelace (via oncall-pagerduty)',
      at: Date.parse(OCCURRED_AT),
      via: 'pagerduty',
      channel: 'oncall-pagerduty',
    });
  });

  it('ignores a correctly signed acknowledgement from 2020, saying why, and records no ack', async () => {
    // Prepare
    const { handler } = await import('../../../functions/escalation/pagerduty-webhook');
    const store = new DynamoDbIncidentStore(aws.dynamodb, TABLE);
    const incident = await store.getIncident(INCIDENT_ID);
    const replayedId = `${INCIDENT_ID}-replayed`;
    await store.createIncident({ ...(incident as NonNullable<typeof incident>), id: replayedId });
    const body = acknowledged('evt-2020', 'Mallory', '2020-01-01T00:00:00.000Z', replayedId);
    // Act
    const response = await handler(delivery(body, pagerDutySignature(SIGNING_SECRET, body)));
    // Assess
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toEqual({
      outcome: 'stale',
      detail: expect.stringMatching(
        /^event occurred at 2020-01-01T00:00:00.000Z, more than 10 minutes from the receive time .+; ignored as stale or replayed$/,
      ),
    });
    expect(await store.getAck(replayedId)).toBeUndefined();
  });

  it('ignores a signed event it does not handle with 200', async () => {
    // Prepare
    const { handler } = await import('../../../functions/escalation/pagerduty-webhook');
    const body = JSON.stringify({
      event: { id: 'ping-1', event_type: 'pagey.ping', data: { message: 'Hi' } },
    });
    // Act
    const response = await handler(delivery(body, pagerDutySignature(SIGNING_SECRET, body)));
    // Assess
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toEqual({
      outcome: 'ignored',
      detail: "event type 'pagey.ping' is not handled",
    });
  });
});
