import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import {
  createXrayDaemonTracing,
  parseDaemonAddress,
  XRAY_MAX_DATAGRAM_BYTES,
  XrayDaemonAddressError,
  XrayDaemonTracing,
} from '../../../../functions/synthetics/adapters/xray-daemon-tracing';
import { runChecks } from '../../../../functions/synthetics/engine/run-checks';
import { check, step } from '../../../helpers/http/check-fixture';
import { startTestServer, type TestServer } from '../../../helpers/http/test-server';
import type { XrayDocument } from '../../../helpers/xray-daemon';

/** A document as the daemon receives it (one shape for every X-Ray test). */
type XraySubsegment = XrayDocument;

const TRACE_ID = '1-65920080-0123456789abcdef01234567';
const LAMBDA_SEGMENT = '53995c3f42cd8ad8';
const header = (sampled: '0' | '1') => `Root=${TRACE_ID};Parent=${LAMBDA_SEGMENT};Sampled=${sampled}`;

describe('XrayDaemonTracing', () => {
  let daemon: Socket;
  let port: number;
  let datagrams: { header: unknown; doc: XraySubsegment; bytes: number }[] = [];
  let server: TestServer;

  beforeAll(async () => {
    daemon = createSocket('udp4');
    daemon.on('message', (message) => {
      // The daemon protocol: a JSON header line, then the (sub)segment document.
      const text = message.toString('utf8');
      const newline = text.indexOf('\n');
      datagrams.push({
        header: JSON.parse(text.slice(0, newline)),
        doc: JSON.parse(text.slice(newline + 1)) as XraySubsegment,
        bytes: message.length,
      });
    });
    await new Promise<void>((resolve) => daemon.bind(0, '127.0.0.1', resolve));
    ({ port } = daemon.address() as AddressInfo);
    server = await startTestServer({
      '/ok': { status: 200, body: { ok: true } },
      '/broken': { status: 503, body: { checks: { redis: 'down' } } },
      '/slow-down': { status: 429, body: {} },
    });
  });

  afterAll(async () => {
    await server.close();
    await new Promise<void>((resolve) => daemon.close(() => resolve()));
  });

  beforeEach(() => {
    datagrams = [];
    server.requests.length = 0;
  });

  const tracing = (sampled: '0' | '1') =>
    new XrayDaemonTracing({ traceHeader: () => header(sampled), daemon: { host: '127.0.0.1', port } });

  const waitFor = async (count: number): Promise<void> => {
    const until = Date.now() + 30_000;
    while (datagrams.length < count && Date.now() < until)
      await new Promise((resolve) => setTimeout(resolve, 20));
  };

  it('sends one datagram per check, steps nested, annotated, whose ids are the trace headers sent', async () => {
    // Prepare
    const checks = [
      check('journey', [step('first', '/ok'), step('second', '/ok')]),
      check('ready', [
        step('probe', '/broken', { assert: [{ type: 'dependencies', path: '$.checks', healthy: ['ok'] }] }),
      ]),
    ];

    // Act
    const results = await runChecks(checks, { baseUrl: server.url, concurrency: 2, tracing: tracing('1') });
    await waitFor(2);

    // Assess
    expect(datagrams).toHaveLength(2);
    expect(
      datagrams.every((datagram) => JSON.stringify(datagram.header) === '{"format":"json","version":1}'),
    ).toBe(true);
    expect(results.every((result) => result.traceId === TRACE_ID)).toBe(true);
    const byName = new Map(datagrams.map(({ doc }) => [doc.name, doc]));
    const journey = byName.get('check journey');
    const ready = byName.get('check ready');
    for (const doc of [journey, ready]) {
      expect(doc).toMatchObject({ type: 'subsegment', trace_id: TRACE_ID, parent_id: LAMBDA_SEGMENT });
      expect(doc?.id).toMatch(/^[0-9a-f]{16}$/);
      expect(doc?.end_time).toBeGreaterThanOrEqual(doc?.start_time ?? Number.POSITIVE_INFINITY);
    }
    expect(journey?.annotations).toEqual({ check: 'journey', status: 'passed' });
    expect(journey?.metadata?.vigil?.result).toMatchObject({ status: 'passed', attempts: 1 });
    expect(ready?.annotations).toEqual({ check: 'ready', status: 'failed' });
    expect(ready?.fault).toBe(true);
    expect(ready?.cause?.exceptions[0]?.type).toBe('CheckFailure');
    expect(journey?.subsegments?.map((doc) => doc.name)).toEqual(['step first', 'step second']);
    const [first] = journey?.subsegments ?? [];
    const [probe] = ready?.subsegments ?? [];
    expect(first).toMatchObject({
      namespace: 'remote',
      annotations: { check: 'journey', step: 'first', status: 'passed', attempt: 1 },
      http: { request: { method: 'GET', url: `${server.url}/ok` }, response: { status: 200 } },
    });
    expect(first?.metadata?.vigil?.timings).toBeDefined();
    expect(first?.fault).toBeUndefined();
    expect(probe).toMatchObject({
      annotations: { step: 'probe', status: 'failed' },
      http: { response: { status: 503 } },
      fault: true,
    });
    // The backend saw exactly one trace header per request, naming the step's subsegment as parent.
    const sent = server.requests.map((request) => request.headers['x-amzn-trace-id']);
    expect(sent).toHaveLength(3);
    expect(sent).toEqual(
      expect.arrayContaining([
        `Root=${TRACE_ID};Parent=${first?.id};Sampled=1`,
        `Root=${TRACE_ID};Parent=${probe?.id};Sampled=1`,
      ]),
    );
    expect(server.requests[0]?.headers.traceparent).toMatch(
      /^00-659200800123456789abcdef01234567-[0-9a-f]{16}-01$/,
    );
  });

  it('flags a 429 as throttle and error, and a 4xx as error without fault', async () => {
    // Prepare
    const checks = [check('limited', [step('search', '/slow-down')])];

    // Act
    await runChecks(checks, { baseUrl: server.url, concurrency: 1, tracing: tracing('1') });
    await waitFor(1);

    // Assess
    const step429 = datagrams[0]?.doc.subsegments?.[0];
    expect(step429).toMatchObject({ throttle: true, error: true, http: { response: { status: 429 } } });
  });

  it('sends nothing for a trace that is not sampled, and says Sampled=0 to the backend', async () => {
    // Prepare
    const checks = [check('quiet', [step('first', '/ok')])];

    // Act
    const results = await runChecks(checks, { baseUrl: server.url, concurrency: 1, tracing: tracing('0') });
    // A sentinel datagram sent after the run: once it arrives, anything the run sent has arrived too.
    await runChecks([check('sentinel', [step('first', '/ok')])], {
      baseUrl: server.url,
      concurrency: 1,
      tracing: tracing('1'),
    });
    await waitFor(1);

    // Assess
    expect(datagrams.map(({ doc }) => doc.name)).toEqual(['check sentinel']);
    expect(results[0]?.traceId).toBe(TRACE_ID);
    expect(server.requests[0]?.headers['x-amzn-trace-id']).toMatch(
      new RegExp(`^Root=${TRACE_ID};Parent=[0-9a-f]{16};Sampled=0$`),
    );
  });

  it('splits a check larger than a datagram into independent subsegments, each under 64 KiB', async () => {
    // Prepare: 40 steps whose URLs (recorded in each step's http) add up to well over 64 KiB
    const long = `/ok?pad=${'x'.repeat(3_000)}`;
    const steps = Array.from({ length: 40 }, (_, i) => step(`s${i}`, long));
    const checks = [check('big', steps)];

    // Act
    await runChecks(checks, { baseUrl: server.url, concurrency: 1, tracing: tracing('1') });
    await waitFor(41);

    // Assess
    expect(datagrams).toHaveLength(41);
    expect(datagrams.every(({ bytes }) => bytes <= XRAY_MAX_DATAGRAM_BYTES)).toBe(true);
    const checkDoc = datagrams.find(({ doc }) => doc.name === 'check big')?.doc;
    expect(checkDoc).toMatchObject({ parent_id: LAMBDA_SEGMENT, trace_id: TRACE_ID, type: 'subsegment' });
    expect(checkDoc?.subsegments).toBeUndefined();
    const stepDocs = datagrams.filter(({ doc }) => doc.name.startsWith('step '));
    expect(stepDocs).toHaveLength(40);
    expect(
      stepDocs.every(
        ({ doc }) => doc.parent_id === checkDoc?.id && doc.trace_id === TRACE_ID && doc.type === 'subsegment',
      ),
    ).toBe(true);
  });

  it('falls back to untraced spans with fresh trace headers when there is no trace header', async () => {
    // Prepare
    const untraced = new XrayDaemonTracing({
      traceHeader: () => undefined,
      daemon: { host: '127.0.0.1', port },
    });

    // Act
    const results = await runChecks([check('local', [step('first', '/ok')])], {
      baseUrl: server.url,
      concurrency: 1,
      tracing: untraced,
    });

    // Assess
    expect(results[0]?.traceId).toMatch(/^1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    expect(results[0]?.traceId).not.toBe(TRACE_ID);
    expect(server.requests[0]?.headers['x-amzn-trace-id']).toMatch(/;Sampled=0$/);
  });

  it('reads the daemon address and the per-invocation trace header from the environment', async () => {
    // Prepare
    const env: NodeJS.ProcessEnv = {
      AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${port}`,
      _X_AMZN_TRACE_ID: header('1'),
    };
    const fromEnv = createXrayDaemonTracing(env);
    const other = '1-65920081-fedcba9876543210fedcba98';

    // Act: the second invocation has its own trace
    await runChecks([check('one', [step('first', '/ok')])], {
      baseUrl: server.url,
      concurrency: 1,
      tracing: fromEnv,
    });
    env._X_AMZN_TRACE_ID = `Root=${other};Parent=${LAMBDA_SEGMENT};Sampled=1`;
    await runChecks([check('two', [step('first', '/ok')])], {
      baseUrl: server.url,
      concurrency: 1,
      tracing: fromEnv,
    });
    await waitFor(2);

    // Assess
    const traceOf = new Map(datagrams.map(({ doc }) => [doc.name, doc.trace_id]));
    expect(traceOf.get('check one')).toBe(TRACE_ID);
    expect(traceOf.get('check two')).toBe(other);
  });
});

describe('parseDaemonAddress', () => {
  it('reads host:port, the udp part of udp/tcp pairs, and defaults to 127.0.0.1:2000', () => {
    expect(parseDaemonAddress('169.254.79.129:2000')).toEqual({ host: '169.254.79.129', port: 2000 });
    expect(parseDaemonAddress('tcp:127.0.0.1:2001 udp:127.0.0.2:2002')).toEqual({
      host: '127.0.0.2',
      port: 2002,
    });
    expect(parseDaemonAddress(undefined)).toEqual({ host: '127.0.0.1', port: 2000 });
  });

  it('names the malformed value', () => {
    expect(() => parseDaemonAddress('localhost')).toThrow(XrayDaemonAddressError);
    expect(() => parseDaemonAddress('udp:127.0.0.1:2000')).toThrow(/'udp:127.0.0.1:2000'/);
    expect(() => parseDaemonAddress('127.0.0.1:70000')).toThrow(/port 1-65535/);
  });
});
