import { Logger } from '@aws-lambda-powertools/logger';
import { chainHandler } from '../../../../functions/commons/handler-chain';
import {
  createXrayDaemonTracing,
  XrayDaemonTracing,
} from '../../../../functions/synthetics/adapters/xray-daemon-tracing';
import { runChecks } from '../../../../functions/synthetics/engine/run-checks';
import { check, step } from '../../../helpers/http/check-fixture';
import { startTestServer, type TestServer } from '../../../helpers/http/test-server';
import { captureJsonOutput } from '../../../helpers/output-capture';
import { startTestXrayDaemon, type TestXrayDaemon } from '../../../helpers/xray-daemon';

const TRACE_ID = '1-65920080-0123456789abcdef01234567';
const LAMBDA_SEGMENT = '53995c3f42cd8ad8';
const header = (sampled: '0' | '1') => `Root=${TRACE_ID};Parent=${LAMBDA_SEGMENT};Sampled=${sampled}`;

const context = { awsRequestId: 'req-1', functionName: 'vigil-runner' };

describe('XrayDaemonTracing.captureLambdaHandler (the invocation subsegment, without the X-Ray SDK)', () => {
  let daemon: TestXrayDaemon;
  let server: TestServer;

  beforeAll(async () => {
    daemon = await startTestXrayDaemon();
    server = await startTestServer({ '/ok': { status: 200, body: { ok: true } } });
  });

  afterAll(async () => {
    await server.close();
    await daemon.close();
  });

  beforeEach(() => {
    daemon.documents.length = 0;
  });

  const tracingFor = (env: NodeJS.ProcessEnv) =>
    createXrayDaemonTracing({
      AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${daemon.port}`,
      _HANDLER: 'index.handler',
      POWERTOOLS_SERVICE_NAME: 'shop-runner',
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      ...env,
    });

  /** A handler in the runner's chain whose body runs one check and calls AWS once. */
  const instrumented = (tracing: XrayDaemonTracing, fail?: Error) =>
    chainHandler(
      async (_event: unknown, _context: unknown) => {
        await runChecks([check('home', [step('get', '/ok')])], {
          baseUrl: server.url,
          concurrency: 1,
          tracing,
        });
        tracing
          .traceAwsCall({ service: 'DynamoDB', operation: 'PutItem', region: 'us-east-1' })
          .end({ httpStatus: 200, requestId: 'R1', retries: 0 });
        if (fail) throw fail;
        return { summary: 'not trace metadata' };
      },
      { logger: new Logger({ serviceName: 'shop-runner' }), tracing: tracing.captureLambdaHandler() },
    );

  const invoke = async (handler: ReturnType<typeof instrumented>): Promise<unknown> => {
    const out = captureJsonOutput();
    try {
      return await handler({ schedule: 'every-1m' }, context);
    } catch (error) {
      return error;
    } finally {
      out.restore();
    }
  };

  it('sends the invocation as "## <handler>" under the function segment, annotated ColdStart and Service, with the checks and AWS calls under it', async () => {
    // Prepare
    const tracing = tracingFor({ _X_AMZN_TRACE_ID: header('1') });
    const handler = instrumented(tracing);

    // Act: a cold invocation, then a warm one
    await invoke(handler);
    await invoke(handler);
    await daemon.waitFor(6);

    // Assess
    const handlers = daemon.documents.filter((doc) => doc.name === '## index.handler');
    expect(handlers).toHaveLength(2);
    for (const doc of handlers) {
      expect(doc).toMatchObject({ type: 'subsegment', trace_id: TRACE_ID, parent_id: LAMBDA_SEGMENT });
      expect(doc.id).toMatch(/^[0-9a-f]{16}$/);
      expect(doc.end_time).toBeGreaterThanOrEqual(doc.start_time);
      expect(doc.fault).toBeUndefined();
      expect(doc.metadata).toBeUndefined();
    }
    expect(handlers.map((doc) => doc.annotations)).toEqual([
      { ColdStart: true, Service: 'shop-runner' },
      { ColdStart: false, Service: 'shop-runner' },
    ]);
    // Each invocation's check and AWS call were sent before its handler subsegment closed, under it.
    const [first, second] = [daemon.documents.slice(0, 3), daemon.documents.slice(3, 6)];
    for (const [invocation, handlerDoc] of [
      [first, handlers[0]],
      [second, handlers[1]],
    ] as const) {
      expect(invocation?.map((doc) => doc.name)).toEqual(['check home', 'DynamoDB', '## index.handler']);
      expect(invocation?.slice(0, 2).every((doc) => doc.parent_id === handlerDoc?.id)).toBe(true);
    }
  });

  it('records the thrown error as fault and cause, and the response never', async () => {
    // Prepare
    const tracing = tracingFor({ _X_AMZN_TRACE_ID: header('1') });
    const failure = new TypeError('event.schedule is missing');

    // Act
    const thrown = await invoke(instrumented(tracing, failure));
    await daemon.waitFor(3);

    // Assess
    expect(thrown).toBe(failure);
    const doc = daemon.documents.find(({ name }) => name === '## index.handler');
    expect(doc).toMatchObject({
      fault: true,
      cause: { exceptions: [{ type: 'TypeError', message: 'event.schedule is missing' }] },
    });
    expect(doc?.error).toBeUndefined();
    expect(JSON.stringify(daemon.documents)).not.toContain('not trace metadata');
  });

  it.each([
    ['the trace is not sampled', { _X_AMZN_TRACE_ID: header('0') }],
    ['POWERTOOLS_TRACE_ENABLED=false', { _X_AMZN_TRACE_ID: header('1'), POWERTOOLS_TRACE_ENABLED: 'false' }],
  ])('sends nothing, for the invocation, its checks nor its AWS calls, when %s', async (_case, env) => {
    // Prepare
    const quiet = instrumented(tracingFor(env));
    const sentinel = new XrayDaemonTracing({
      traceHeader: () => header('1'),
      daemon: { host: '127.0.0.1', port: daemon.port },
    });

    // Act
    await invoke(quiet);
    // A datagram sent after the invocation: once it arrives, anything the invocation sent has arrived too.
    sentinel
      .traceAwsCall({ service: 'SSM', operation: 'GetParameter', region: 'us-east-1' })
      .end({ retries: 0 });
    await daemon.waitFor(1);

    // Assess
    expect(daemon.documents.map((doc) => doc.name)).toEqual(['SSM']);
  });

  it('hangs the checks from the function segment when no invocation subsegment is open', async () => {
    // Prepare
    const tracing = tracingFor({ _X_AMZN_TRACE_ID: header('1') });

    // Act
    await runChecks([check('bare', [step('get', '/ok')])], { baseUrl: server.url, concurrency: 1, tracing });
    await daemon.waitFor(1);

    // Assess
    expect(daemon.documents[0]).toMatchObject({ name: 'check bare', parent_id: LAMBDA_SEGMENT });
  });
});
