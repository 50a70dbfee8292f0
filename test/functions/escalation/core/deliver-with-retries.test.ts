import { fetchHttp } from '../../../../functions/escalation/adapters/fetch-http';
import {
  deliverWithRetries,
  httpSend,
  nextRoundAt,
  retryAfterMs,
  roundBackoffMs,
} from '../../../../functions/escalation/core/deliver-with-retries';
import { EscalationDeliveryError } from '../../../../functions/escalation/core/errors';
import { type HttpReceiver, startReceiver } from '../helpers/http-receiver';

let receiver: HttpReceiver;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(() => receiver.close());
beforeEach(() => receiver.reset());

const sleeps: number[] = [];
const clock = {
  now: () => Date.parse('2026-03-02T10:00:00Z'),
  sleep: async (ms: number) => void sleeps.push(ms),
};
const send = () =>
  httpSend(
    fetchHttp,
    { url: receiver.url, method: 'POST', headers: {}, body: '{}', timeoutMs: 2_000 },
    clock.now,
  );

describe('delivery with retries', () => {
  beforeEach(() => {
    sleeps.length = 0;
  });

  it('backs off exponentially after 5xx and waits exactly the Retry-After of a 429', async () => {
    // Prepare
    receiver.script({ status: 502 }, { status: 503 }, { status: 429, headers: { 'retry-after': '3' } });
    // Act
    const result = await deliverWithRetries(send(), clock, { attempts: 4, baseDelayMs: 100 });
    // Assess
    expect(result).toEqual({ attempts: 4, detail: 'HTTP 502; HTTP 503; HTTP 429; HTTP 200' });
    expect(sleeps).toEqual([100, 200, 3_000]);
  });

  it('gives up at once on a 4xx other than 429 and when Retry-After exceeds the cap', async () => {
    // Prepare: one delivery after the other, so each meets its own scripted answer.
    receiver.script({ status: 404, body: 'no_service' }, { status: 429, headers: { 'retry-after': '120' } });
    // Act
    const notFound = await deliverWithRetries(send(), clock, { attempts: 3 }).catch(
      (error: unknown) => error,
    );
    const tooSlow = await deliverWithRetries(send(), clock, { attempts: 3, maxRetryAfterMs: 20_000 }).catch(
      (error: unknown) => error,
    );
    // Assess
    expect(notFound).toMatchObject({
      name: 'EscalationDeliveryError',
      attempts: 1,
      retryable: false,
      message: 'HTTP 404: no_service',
    });
    expect(tooSlow).toMatchObject({
      name: 'EscalationDeliveryError',
      attempts: 1,
      message: 'HTTP 429; Retry-After 120000ms exceeds 20000ms',
    });
    expect(receiver.requests).toHaveLength(2);
    expect(sleeps).toEqual([]);
  });

  it('treats an unreachable endpoint as retryable and names only its host', async () => {
    // Prepare
    const closed = httpSend(
      fetchHttp,
      {
        url: 'http://127.0.0.1:9/services/T000/B000/secret-token',
        method: 'POST',
        headers: {},
        body: '{}',
        timeoutMs: 1_000,
      },
      clock.now,
    );
    // Act
    const error = await deliverWithRetries(closed, clock, { attempts: 2, baseDelayMs: 10 }).catch(
      (caught: unknown) => caught,
    );
    // Assess
    expect(error).toBeInstanceOf(EscalationDeliveryError);
    expect((error as Error).message).toContain('request to 127.0.0.1:9 failed');
    expect((error as Error).message).not.toContain('secret-token');
  });

  it('parses Retry-After as seconds or as an HTTP date', () => {
    // Act / Assess
    expect(retryAfterMs('1.5', 0)).toBe(1_500);
    expect(retryAfterMs('Mon, 02 Mar 2026 10:00:05 GMT', Date.parse('2026-03-02T10:00:00Z'))).toBe(5_000);
    expect(retryAfterMs('soon', 0)).toBeUndefined();
  });
});

describe('retry rounds', () => {
  it('doubles the pause between rounds up to 5 minutes, each drawn between half and all of it', () => {
    // Act
    const low = [1, 2, 3, 4, 5, 6, 7].map((round) => roundBackoffMs(round, () => 0));
    const high = [1, 2, 3, 4, 5, 6, 7].map((round) => roundBackoffMs(round, () => 1));
    // Assess
    expect(high).toEqual([10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]);
    expect(low).toEqual(high.map((ms) => ms / 2));
  });

  it('schedules the next round at the Retry-After when given, and gives up when it falls beyond the window', () => {
    // Act
    const backoff = nextRoundAt(1_000, 0, 60_000, 1, () => 0.5);
    const honoured = nextRoundAt(1_000, 0, 60_000, 1, () => 0.5, 45_000);
    const beyond = nextRoundAt(1_000, 0, 60_000, 1, () => 0.5, 90_000);
    const exhausted = nextRoundAt(55_000, 0, 60_000, 3, () => 0.5);
    // Assess
    expect([backoff, honoured, beyond, exhausted]).toEqual([8_500, 46_000, undefined, undefined]);
  });
});
