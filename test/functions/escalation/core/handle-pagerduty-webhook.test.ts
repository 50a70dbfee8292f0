import { MemoryIncidentStore } from '../../../../functions/escalation/adapters/memory-incident-store';
import { handlePagerDutyWebhook } from '../../../../functions/escalation/core/handle-pagerduty-webhook';
import { pagerDutySignature } from '../../../../functions/escalation/core/pagerduty-signature';
import { openIncident } from '../helpers/incident-fixture';

const SECRET = 'pd-webhook-signing-secret';
const INCIDENT_ID = 'shop-check-login-20260302T103000Z-1a2b3c4d5e';
const NOW = Date.parse('2026-03-02T10:35:00Z');

const incident = openIncident(INCIDENT_ID);

const payload = (eventType: string, overrides: Record<string, unknown> = {}) =>
  JSON.stringify({
    event: {
      id: 'evt-1',
      event_type: eventType,
      resource_type: 'incident',
      occurred_at: '2026-03-02T10:33:00.000Z',
      agent: { id: 'PLH1HKV', type: 'user_reference', summary: 'Ada Lovelace' },
      data: { id: 'PGR0VU2', type: 'incident', status: 'acknowledged', incident_key: INCIDENT_ID },
      ...overrides,
    },
  });

const setup = async (secret: (channel: string) => Promise<string> = async () => SECRET) => {
  const store = new MemoryIncidentStore();
  await store.createIncident(incident);
  const deliver = (body: string, headers: Record<string, string> = {}, method = 'POST') =>
    handlePagerDutyWebhook(
      { method, headers: { 'content-type': 'application/json', ...headers }, body },
      { clock: { now: () => NOW }, store, channels: ['oncall-pagerduty'], secret },
    );
  const signed = (body: string) =>
    deliver(body, { 'x-pagerduty-signature': pagerDutySignature(SECRET, body) });
  return { store, deliver, signed };
};

describe('handlePagerDutyWebhook', () => {
  it('records an incident.acknowledged as an ack by the PagerDuty user, at the time it happened', async () => {
    // Prepare
    const { store, signed } = await setup();
    // Act
    const result = await signed(payload('incident.acknowledged'));
    // Assess
    expect(result.response.statusCode).toBe(200);
    expect(JSON.parse(result.response.body)).toEqual({
      outcome: 'acknowledged',
      detail: 'acknowledged by Ada Lovelace (via oncall-pagerduty) at 2026-03-02T10:33:00.000Z',
      ackedBy: 'Ada Lovelace (via oncall-pagerduty)',
    });
    expect(result).toMatchObject({ outcome: 'acknowledged', eventId: 'evt-1', incidentId: INCIDENT_ID });
    expect(await store.getAck(INCIDENT_ID)).toEqual({
      incidentId: INCIDENT_ID,
      by: 'Ada Lovelace (via oncall-pagerduty)',
      at: Date.parse('2026-03-02T10:33:00.000Z'),
      via: 'pagerduty',
      channel: 'oncall-pagerduty',
    });
  });

  it('keeps the first ack when someone already acknowledged through a link', async () => {
    // Prepare
    const { store, signed } = await setup();
    await store.recordAck({
      incidentId: INCIDENT_ID,
      by: 'Grace (via oncall-slack)',
      at: NOW - 60_000,
      via: 'link',
    });
    // Act
    const result = await signed(payload('incident.acknowledged'));
    // Assess
    expect(result.outcome).toBe('already-acknowledged');
    expect(result.response.statusCode).toBe(200);
    expect((await store.getAck(INCIDENT_ID))?.by).toBe('Grace (via oncall-slack)');
  });

  it('names PagerDuty when the agent is missing and strips control characters from names', async () => {
    // Prepare
    const first = await setup();
    const second = await setup();
    // Act
    await first.signed(payload('incident.acknowledged', { agent: null }));
    await second.signed(
      payload('incident.acknowledged', { agent: { type: 'user_reference', summary: 'Eve\u0000\n <b>' } }),
    );
    // Assess
    expect((await first.store.getAck(INCIDENT_ID))?.by).toBe('PagerDuty (via oncall-pagerduty)');
    expect((await second.store.getAck(INCIDENT_ID))?.by).toBe('Eve <b> (via oncall-pagerduty)');
  });

  it('uses the receive time when occurred_at lies a little in the future (clock skew)', async () => {
    // Prepare
    const { store, signed } = await setup();
    // Act
    await signed(payload('incident.acknowledged', { occurred_at: new Date(NOW + 120_000).toISOString() }));
    // Assess
    expect((await store.getAck(INCIDENT_ID))?.at).toBe(NOW);
  });

  it.each([
    ['from 2020 (a replayed delivery)', '2020-01-01T00:00:00.000Z'],
    ['more than 10 minutes ago', new Date(NOW - 10 * 60_000 - 1).toISOString()],
    ['more than 10 minutes ahead', new Date(NOW + 10 * 60_000 + 1).toISOString()],
    ['in 2099', '2099-01-01T00:00:00.000Z'],
  ])('ignores a correctly signed acknowledgement %s, saying why, and records nothing', async (_when, at) => {
    // Prepare
    const { store, signed } = await setup();
    // Act
    const result = await signed(payload('incident.acknowledged', { occurred_at: at }));
    // Assess
    expect(result.response.statusCode).toBe(200);
    expect(result.outcome).toBe('stale');
    expect(result.detail).toBe(
      `event occurred at ${at}, more than 10 minutes from the receive time 2026-03-02T10:35:00.000Z; ignored as stale or replayed`,
    );
    expect(JSON.parse(result.response.body)).toEqual({ outcome: 'stale', detail: result.detail });
    expect(await store.getAck(INCIDENT_ID)).toBeUndefined();
  });

  it('accepts an acknowledgement exactly at the edges of the 10-minute window', async () => {
    // Prepare
    const early = await setup();
    const late = await setup();
    // Act
    const before = await early.signed(
      payload('incident.acknowledged', { occurred_at: new Date(NOW - 10 * 60_000).toISOString() }),
    );
    const after = await late.signed(
      payload('incident.acknowledged', { occurred_at: new Date(NOW + 10 * 60_000).toISOString() }),
    );
    // Assess
    expect([before.outcome, after.outcome]).toEqual(['acknowledged', 'acknowledged']);
  });

  it('answers 400 to an acknowledgement without a readable occurred_at, recording nothing', async () => {
    // Prepare
    const { store, signed } = await setup();
    // Act
    const missing = await signed(payload('incident.acknowledged', { occurred_at: null }));
    const garbled = await signed(payload('incident.acknowledged', { occurred_at: 'yesterday' }));
    // Assess
    expect([missing.response.statusCode, garbled.response.statusCode]).toEqual([400, 400]);
    expect(missing.detail).toBe(
      "malformed PagerDuty webhook: 'incident.acknowledged' needs 'event.occurred_at' as an ISO 8601 time",
    );
    expect(await store.getAck(INCIDENT_ID)).toBeUndefined();
  });

  it('answers 401 to a forged or missing signature and records nothing', async () => {
    // Prepare
    const { store, deliver } = await setup();
    const body = payload('incident.acknowledged');
    // Act
    const forged = await deliver(body, { 'X-PagerDuty-Signature': pagerDutySignature('guessed', body) });
    const missing = await deliver(body);
    // Assess
    expect([forged.response.statusCode, missing.response.statusCode]).toEqual([401, 401]);
    expect(JSON.parse(forged.response.body).detail).toBe(
      'X-PagerDuty-Signature does not match any configured signing secret',
    );
    expect(JSON.parse(missing.response.body).detail).toBe(
      'missing X-PagerDuty-Signature header with a v1 signature',
    );
    expect(forged.response.body).not.toContain(SECRET);
    expect(await store.getAck(INCIDENT_ID)).toBeUndefined();
  });

  it('answers 400 to a signed body that is not a V3 event, naming the problem', async () => {
    // Prepare
    const { signed } = await setup();
    // Act
    const notJson = await signed('{"event":');
    const v2 = await signed('{"messages":[{"event":"incident.acknowledge"}]}');
    // Assess
    expect([notJson.response.statusCode, v2.response.statusCode]).toEqual([400, 400]);
    expect(JSON.parse(notJson.response.body).detail).toBe('malformed PagerDuty webhook: body is not JSON');
    expect(JSON.parse(v2.response.body).detail).toBe(
      "malformed PagerDuty webhook: body has no 'event' object (expected a V3 webhook payload)",
    );
  });

  it('ignores other event types and incidents Vigil did not open with 200, recording nothing', async () => {
    // Prepare
    const { store, signed } = await setup();
    // Act
    const resolved = await signed(payload('incident.resolved'));
    const ping = await signed(JSON.stringify({ event: { id: 'p1', event_type: 'pagey.ping', data: null } }));
    const foreign = await signed(
      payload('incident.acknowledged', {
        data: { id: 'PX', type: 'incident', incident_key: 'from-another-tool' },
      }),
    );
    const keyless = await signed(payload('incident.acknowledged', { data: { id: 'PY', type: 'incident' } }));
    // Assess
    expect(
      [resolved, ping, foreign, keyless].map((result) => [result.response.statusCode, result.detail]),
    ).toEqual([
      [200, "event type 'incident.resolved' is not handled"],
      [200, "event type 'pagey.ping' is not handled"],
      [200, "incident_key 'from-another-tool' is not a Vigil incident"],
      [200, 'PagerDuty incident PY has no incident_key'],
    ]);
    expect(await store.getAck(INCIDENT_ID)).toBeUndefined();
  });

  it('answers 503 (PagerDuty retries) when the signing secret cannot be read', async () => {
    // Prepare
    const { deliver } = await setup(async () => {
      throw new Error('AccessDenied');
    });
    const body = payload('incident.acknowledged');
    // Act
    const result = await deliver(body, { 'x-pagerduty-signature': pagerDutySignature(SECRET, body) });
    // Assess
    expect(result.response.statusCode).toBe(503);
    expect(result.detail).toBe("cannot read the webhook signing secret of 'oncall-pagerduty'; retry later");
  });

  it('accepts only POST', async () => {
    // Prepare
    const { deliver } = await setup();
    // Act
    const result = await deliver('', {}, 'GET');
    // Assess
    expect(result.response.statusCode).toBe(405);
  });
});
