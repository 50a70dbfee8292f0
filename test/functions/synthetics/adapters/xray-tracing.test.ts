import { execFile } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

interface XraySubsegment {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly trace_id: string;
  readonly parent_id: string;
  readonly namespace?: string;
  readonly annotations?: Record<string, string | number | boolean>;
  readonly http?: { request: { method: string; url: string }; response?: { status: number } };
  readonly fault?: boolean;
  readonly error?: boolean;
}

const TRACE_ID = '1-65920080-0123456789abcdef01234567';
const LAMBDA_SEGMENT = '53995c3f42cd8ad8';
const ENV = {
  AWS_LAMBDA_FUNCTION_NAME: 'vigil-synthetics-runner',
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
  LAMBDA_TASK_ROOT: '/var/task',
  AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
  _X_AMZN_TRACE_ID: `Root=${TRACE_ID};Parent=${LAMBDA_SEGMENT};Sampled=1`,
  POWERTOOLS_SERVICE_NAME: 'vigil-test',
} as const;

interface ChildRun {
  readonly url: string;
  readonly results: { name: string; traceId?: string }[];
  readonly requests: { headers: Record<string, string | string[] | undefined> }[];
}

describe('XrayTracing', () => {
  let daemon: Socket;
  const received: XraySubsegment[] = [];
  let port: number;

  beforeAll(async () => {
    daemon = createSocket('udp4');
    daemon.on('message', (message) => {
      // The daemon protocol: a JSON header line, then the (sub)segment document.
      const [header, body] = message.toString('utf8').split('\n');
      expect(JSON.parse(header ?? '')).toEqual({ format: 'json', version: 1 });
      received.push(JSON.parse(body ?? '') as XraySubsegment);
    });
    await new Promise<void>((resolve) => daemon.bind(0, '127.0.0.1', resolve));
    ({ port } = daemon.address() as AddressInfo);
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => daemon.close(() => resolve()));
  });

  /** Runs the checks in a child process set up as a Lambda (the X-Ray SDK patches http process-wide). */
  const runInLambdaProcess = async (): Promise<ChildRun> => {
    const root = join(__dirname, '../../../..');
    const { stdout } = await promisify(execFile)(
      join(root, 'node_modules/.bin/tsx'),
      [join(__dirname, 'fixtures/xray-run.ts')],
      {
        cwd: root,
        env: { ...process.env, ...ENV, AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${port}` },
        // Generous: compiling and starting a child on a loaded machine can take long.
        timeout: 120_000,
      },
    );
    return JSON.parse(stdout) as ChildRun;
  };

  const waitFor = async (count: number): Promise<void> => {
    const until = Date.now() + 30_000;
    while (received.length < count && Date.now() < until)
      await new Promise((resolve) => setTimeout(resolve, 20));
  };

  it('sends one subsegment per check and per step, annotated, whose ids are the trace headers sent', async () => {
    // Prepare
    // Prepare: a production-configured Tracer in a Lambda-like child process (see fixtures/xray-run.ts)

    // Act
    const { url, results, requests } = await runInLambdaProcess();
    await waitFor(5);

    // Assess
    expect(received).toHaveLength(5);
    expect(received.every((segment) => segment.type === 'subsegment' && segment.trace_id === TRACE_ID)).toBe(
      true,
    );
    expect(results.every((result) => result.traceId === TRACE_ID)).toBe(true);
    const byName = new Map(received.map((segment) => [segment.name, segment]));
    const journey = byName.get('check journey');
    const ready = byName.get('check ready');
    expect(journey?.parent_id).toBe(LAMBDA_SEGMENT);
    expect(ready?.parent_id).toBe(LAMBDA_SEGMENT);
    expect(journey?.annotations).toEqual({ check: 'journey', status: 'passed' });
    expect(ready?.annotations).toEqual({ check: 'ready', status: 'failed' });
    expect(ready?.fault).toBe(true);
    const first = byName.get('step first');
    const probe = byName.get('step probe');
    expect(first).toMatchObject({
      parent_id: journey?.id,
      namespace: 'remote',
      annotations: { check: 'journey', step: 'first', status: 'passed', attempt: 1 },
      http: { request: { method: 'GET', url: `${url}/ok` }, response: { status: 200 } },
    });
    expect(byName.get('step second')?.parent_id).toBe(journey?.id);
    expect(probe).toMatchObject({
      parent_id: ready?.id,
      annotations: { step: 'probe', status: 'failed' },
      fault: true,
    });
    // The backend saw exactly one trace header per request, naming the step's subsegment as parent.
    const sent = requests.map((request) => request.headers['x-amzn-trace-id']);
    expect(sent).toEqual(
      expect.arrayContaining([
        `Root=${TRACE_ID};Parent=${first?.id};Sampled=1`,
        `Root=${TRACE_ID};Parent=${probe?.id};Sampled=1`,
      ]),
    );
    expect(requests.every((request) => typeof request.headers['x-amzn-trace-id'] === 'string')).toBe(true);
    expect(requests[0]?.headers.traceparent).toMatch(/^00-659200800123456789abcdef01234567-[0-9a-f]{16}-01$/);
  });
});
