import { fetchHttp } from '../../../../functions/escalation/adapters/fetch-http';
import { MemoryIncidentStore } from '../../../../functions/escalation/adapters/memory-incident-store';
import { handleSlackInteraction } from '../../../../functions/escalation/core/handle-slack-interaction';
import { slackSignature } from '../../../../functions/escalation/core/slack-signature';
import { type HttpReceiver, startReceiver } from '../helpers/http-receiver';
import { openIncident } from '../helpers/incident-fixture';

const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const NOW = Date.parse('2026-03-02T10:35:00Z');
const incident = openIncident();

let slack: HttpReceiver;
beforeAll(async () => {
  slack = await startReceiver();
});
afterAll(() => slack.close());
beforeEach(() => slack.reset());

const clickBody = (actionId: string, value: string, overrides: Record<string, unknown> = {}): string =>
  new URLSearchParams({
    payload: JSON.stringify({
      type: 'block_actions',
      user: { id: 'U0ADA', username: 'ada', name: 'ada', team_id: 'T0001' },
      team: { id: 'T0001', domain: 'example' },
      actions: [
        { action_id: actionId, block_id: 'page', type: 'button', value, action_ts: '1772447700.000100' },
      ],
      response_url: `${slack.url}/actions/T0001/123/abc`,
      ...overrides,
    }),
  }).toString();

const setup = async (secret: () => Promise<string> = async () => SECRET) => {
  const store = new MemoryIncidentStore();
  await store.createIncident(incident);
  const deliver = (body: string, headers: Record<string, string>, method = 'POST') =>
    handleSlackInteraction(
      { method, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body },
      {
        clock: { now: () => NOW },
        store,
        secret,
        http: fetchHttp,
        responseUrlPrefixes: [`${slack.url}/`],
        people: { U0ADA: 'Ada Lovelace' },
      },
    );
  const signed = (body: string, at = NOW, key = SECRET) => {
    const timestamp = String(Math.floor(at / 1000));
    return deliver(body, {
      'X-Slack-Request-Timestamp': timestamp,
      'X-Slack-Signature': slackSignature(key, timestamp, body),
    });
  };
  return { store, deliver, signed };
};

describe('handleSlackInteraction', () => {
  it('signs like Slack documents: v0 HMAC-SHA256 of v0:timestamp:body', () => {
    // Prepare: the example from "Verifying requests from Slack"
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    // Act
    const signature = slackSignature(SECRET, '1531420618', body);
    // Assess
    expect(signature).toBe('v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503');
  });

  it('records an Acknowledge click as an ack by the Slack user and updates the message through response_url', async () => {
    // Prepare
    const { store, signed } = await setup();
    // Act
    const result = await signed(clickBody('ack', incident.id));
    // Assess
    expect(result.outcome).toBe('acknowledged');
    expect(result.response.statusCode).toBe(200);
    expect(await store.getAck(incident.id)).toEqual({
      incidentId: incident.id,
      by: 'Ada Lovelace (via Slack)',
      at: NOW,
      via: 'slack',
    });
    expect(slack.requests).toHaveLength(1);
    expect(slack.requests[0]?.path).toMatch(/\/actions\/T0001\/123\/abc$/);
    expect(slack.requests[0]?.json.replace_original).toBe(true);
    expect(String(slack.requests[0]?.json.text)).toContain('acknowledged by Ada Lovelace (via Slack)');
  });

  it('records a Resolve click as an ack reported as a manual resolve request', async () => {
    // Prepare
    const { store, signed } = await setup();
    // Act
    const result = await signed(clickBody('resolve', incident.id));
    // Assess
    expect(result.outcome).toBe('resolve-requested');
    expect((await store.getAck(incident.id))?.by).toBe('Ada Lovelace (resolve requested via Slack)');
    expect(String(slack.requests[0]?.json.text)).toContain('closes when its alarm returns to OK');
  });

  it('keeps the first ack when a second person clicks, and tells Slack who was first', async () => {
    // Prepare
    const { store, signed } = await setup();
    await store.recordAck({ incidentId: incident.id, by: 'Grace (via SMS)', at: NOW - 60_000, via: 'sms' });
    // Act
    const result = await signed(clickBody('ack', incident.id));
    // Assess
    expect(result.outcome).toBe('already-acknowledged');
    expect((await store.getAck(incident.id))?.by).toBe('Grace (via SMS)');
    expect(String(slack.requests[0]?.json.text)).toContain('Grace (via SMS)');
  });

  type Context = Awaited<ReturnType<typeof setup>>;
  const refusals: [string, (ctx: Context) => ReturnType<Context['signed']>, number][] = [
    ['a forged signature', ({ signed }) => signed(clickBody('ack', incident.id), NOW, 'not-the-secret'), 401],
    [
      'a replayed request (timestamp 6 minutes old)',
      ({ signed }) => signed(clickBody('ack', incident.id), NOW - 6 * 60_000),
      401,
    ],
    [
      'a timestamp 6 minutes ahead',
      ({ signed }) => signed(clickBody('ack', incident.id), NOW + 6 * 60_000),
      401,
    ],
    ['no signature headers', ({ deliver }) => deliver(clickBody('ack', incident.id), {}), 401],
    ['a body without a payload', ({ signed }) => signed('foo=bar'), 400],
    ['a payload that is not JSON', ({ signed }) => signed('payload=%7Bnot-json'), 400],
    [
      'a payload without user',
      ({ signed }) => signed(clickBody('ack', incident.id, { user: undefined })),
      400,
    ],
    ['an ack button without an incident id', ({ signed }) => signed(clickBody('ack', '')), 400],
    ['an unknown incident', ({ signed }) => signed(clickBody('ack', 'no-such-incident')), 404],
  ];

  it.each(refusals)(
    'refuses %s: nothing recorded, no message update, the same answer shape',
    async (_, act, status) => {
      // Prepare
      const ctx = await setup();
      // Act
      const result = await act(ctx);
      // Assess
      expect(result.outcome).toBe('refused');
      expect(result.response.statusCode).toBe(status);
      expect(JSON.parse(result.response.body)).toEqual({ outcome: 'refused' });
      expect(result.detail).not.toBe('');
      expect(await ctx.store.getAck(incident.id)).toBeUndefined();
      expect(slack.requests).toHaveLength(0);
    },
  );

  it('refuses a body altered after signing', async () => {
    // Prepare
    const { store, deliver } = await setup();
    const timestamp = String(NOW / 1000);
    const original = clickBody('ack', 'other-incident');
    // Act
    const result = await deliver(clickBody('ack', incident.id), {
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': slackSignature(SECRET, timestamp, original),
    });
    // Assess
    expect(result.response.statusCode).toBe(401);
    expect(await store.getAck(incident.id)).toBeUndefined();
  });

  it('does not post to a response_url outside the allowed prefixes, but still records the ack', async () => {
    // Prepare
    const { store, signed } = await setup();
    // Act
    const result = await signed(
      clickBody('ack', incident.id, { response_url: 'http://169.254.169.254/latest' }),
    );
    // Assess
    expect(result.outcome).toBe('acknowledged');
    expect(result.detail).toContain('not a Slack URL');
    expect(await store.getAck(incident.id)).toBeDefined();
    expect(slack.requests).toHaveLength(0);
  });

  it('ignores other buttons without recording anything', async () => {
    // Prepare
    const { store, signed } = await setup();
    // Act
    const result = await signed(clickBody('view-runbook', 'https://runbooks.example.com'));
    // Assess
    expect(result.outcome).toBe('ignored');
    expect(await store.getAck(incident.id)).toBeUndefined();
  });

  it('answers 503 and records nothing when the signing secret cannot be read', async () => {
    // Prepare
    const { store, signed } = await setup(async () => {
      throw new Error('AccessDenied');
    });
    // Act
    const result = await signed(clickBody('ack', incident.id));
    // Assess
    expect(result.response.statusCode).toBe(503);
    expect(result.outcome).toBe('unavailable');
    expect(await store.getAck(incident.id)).toBeUndefined();
  });

  it('refuses methods other than POST', async () => {
    // Prepare
    const { deliver } = await setup();
    // Act
    const result = await deliver('', {}, 'GET');
    // Assess
    expect(result.response.statusCode).toBe(405);
  });
});
