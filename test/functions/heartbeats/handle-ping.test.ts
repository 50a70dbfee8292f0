import {
  applyPing,
  MemoryHeartbeatStore,
} from '../../../functions/heartbeats/adapters/memory-heartbeat-store';
import { createPingCore, PING_RESPONSES } from '../../../functions/heartbeats/handle-ping';
import { parsePingRequest } from '../../../functions/heartbeats/ping-request';
import { MAX_OUTPUT_BYTES, runOutput } from '../../../functions/heartbeats/run-output';
import type { HeartbeatRecord, PingRecord } from '../../../functions/heartbeats/types/heartbeat-record';

/** A store that counts what the core asks of it. */
class CountingStore extends MemoryHeartbeatStore {
  public pings: PingRecord[] = [];
  public override async recordPing(ping: PingRecord): Promise<HeartbeatRecord | undefined> {
    this.pings.push(ping);
    return super.recordPing(ping);
  }
}

describe('parsePingRequest', () => {
  it('reads the success, /start, /fail and /<exit-code> variants and refuses anything else', () => {
    expect(parsePingRequest('GET', '/ping/nightly/abc')).toEqual({
      id: 'nightly',
      token: 'abc',
      kind: 'success',
    });
    expect(parsePingRequest('POST', '/ping/nightly/abc/start')).toMatchObject({ kind: 'start' });
    expect(parsePingRequest('GET', '/ping/nightly/abc/fail')).toMatchObject({ kind: 'fail' });
    expect(parsePingRequest('GET', '/ping/nightly/abc/0')).toMatchObject({ kind: 'success', exitCode: 0 });
    expect(parsePingRequest('GET', '/ping/nightly/abc/127')).toMatchObject({ kind: 'fail', exitCode: 127 });
    expect(parsePingRequest('GET', '/ping/nightly/abc/256')).toBeUndefined();
    expect(parsePingRequest('PUT', '/ping/nightly/abc')).toBeUndefined();
    expect(parsePingRequest('GET', '/ping/nightly')).toBeUndefined();
    expect(parsePingRequest('GET', '/ping/../abc')).toBeUndefined();
  });
});

describe('runOutput', () => {
  it('keeps a short body whole and cuts a long one on a character boundary with a marker', () => {
    expect(runOutput('rows: 42', 'tok')).toBe('rows: 42');
    const cut = runOutput('é'.repeat(100), 'tok', 51);
    expect(cut.endsWith('…[truncated]')).toBe(true);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(51);
    expect(cut).not.toContain('\uFFFD');
  });

  it('keeps no piece of the ping token lying past the kept bytes, even when redaction shortened the text before it', () => {
    // Prepare: a long credential value shrinks to [REDACTED], pulling what follows it into the kept bytes.
    const token = 'Qm9vdHN0cmFwVG9rZW4tbmlnaHRseS0wMDAx';
    const body = `password=${'a'.repeat(8150)} then ${token} and more ${'z'.repeat(10_000)}`;

    // Act
    const kept = runOutput(body, token);

    // Assess
    expect(kept.endsWith('…[truncated]')).toBe(true);
    expect(Buffer.byteLength(kept)).toBeLessThanOrEqual(MAX_OUTPUT_BYTES);
    expect(kept).not.toContain(token.slice(0, 6));
  });

  it('drops a credential the cut runs through instead of keeping a piece no rule recognises', () => {
    // Prepare: a bearer credential whose digit (what makes it one) lies past the kept bytes.
    const body = `${'log line\n'.repeat(400)}Authorization: Bearer ${'x'.repeat(6000)}1 done\n`;

    // Act
    const kept = runOutput(body, 'tok');

    // Assess
    expect(kept).not.toContain('Bearer x');
    expect(kept.startsWith('log line\n'.repeat(400))).toBe(true);
    expect(kept.endsWith('Authorization: Bearer …[truncated]')).toBe(true);
  });

  it('redacts a body that fits whole, and cuts it only when redaction made it too long', () => {
    // Prepare
    const token = 'tok_0123456789';
    const fits = `ran with ${token}, password=x`;
    const grows = `${'p=1 '.repeat(10)}password=x`;

    // Act
    const kept = runOutput(fits, token);
    const cut = runOutput(grows, token, 50);

    // Assess
    expect(kept).toBe('ran with [REDACTED], password=[REDACTED]');
    expect(cut.endsWith('…[truncated]')).toBe(true);
    expect(cut).not.toContain('password=x');
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(50);
  });
});

describe('createPingCore', () => {
  it('does the same work for an unknown id as for a wrong token: tokens loaded once, the store untouched', async () => {
    // Prepare
    const store = new CountingStore();
    let tokenLoads = 0;
    const core = createPingCore({
      tokens: async () => {
        tokenLoads += 1;
        return new Map([['nightly', 'right-token']]);
      },
      store,
      clock: { now: () => 1_000 },
    });

    // Act
    const unknown = await core({ method: 'GET', path: '/ping/nope/right-token' });
    const wrong = await core({ method: 'GET', path: '/ping/nightly/wrong-token' });
    const constructorName = await core({ method: 'GET', path: '/ping/constructor/right-token' });

    // Assess
    expect([unknown, wrong, constructorName]).toEqual([
      PING_RESPONSES.notFound,
      PING_RESPONSES.notFound,
      PING_RESPONSES.notFound,
    ]);
    expect(tokenLoads).toBe(3);
    expect(store.pings).toEqual([]);
  });
});

describe('applyPing', () => {
  it("keeps the last run's exit code and output through a /start, and replaces or clears them when the run ends", () => {
    // Prepare
    const failed = applyPing(undefined, {
      name: 'nightly',
      kind: 'fail',
      at: 1,
      exitCode: 3,
      output: 'boom',
    });

    // Act
    const started = applyPing(failed, { name: 'nightly', kind: 'start', at: 2 });
    const succeeded = applyPing(started, { name: 'nightly', kind: 'success', at: 3 });

    // Assess
    expect(failed).toStrictEqual({
      name: 'nightly',
      lastPingAt: 1,
      lastKind: 'fail',
      lastFailAt: 1,
      lastExitCode: 3,
      lastOutput: 'boom',
    });
    expect(started).toStrictEqual({
      name: 'nightly',
      lastPingAt: 2,
      lastKind: 'start',
      lastStartAt: 2,
      lastFailAt: 1,
      lastExitCode: 3,
      lastOutput: 'boom',
    });
    expect(succeeded).toStrictEqual({
      name: 'nightly',
      lastPingAt: 3,
      lastKind: 'success',
      lastStartAt: 2,
      lastSuccessAt: 3,
      lastFailAt: 1,
    });
  });
});
