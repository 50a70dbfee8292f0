import { Logger } from '@aws-lambda-powertools/logger';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createDynamoDbJsonClient } from '../../../functions/commons/aws/create-dynamodb-json-client';
import { traceAwsSdkClient } from '../../../functions/commons/aws-sdk-call-tracing';
import { createAwsSecretBackend } from '../../../functions/commons/aws-secret-backend';
import { createEmfWriter, stdoutSink } from '../../../functions/commons/metrics';
import { createSecretResolver } from '../../../functions/commons/secret-resolver';
import { DynamoDbRunLease } from '../../../functions/synthetics/adapters/dynamodb-run-lease';
import { type LocalSpanRecord, LocalTracing } from '../../../functions/synthetics/adapters/local-tracing';
import { createXrayDaemonTracing } from '../../../functions/synthetics/adapters/xray-daemon-tracing';
import { createRunnerHandler } from '../../../functions/synthetics/create-runner-handler';
import { SyntheticsEventError } from '../../../functions/synthetics/runner-event';
import type { RunnerConfig } from '../../../functions/synthetics/types/runner-config';
import { expectValidEmf } from '../../helpers/emf-spec';
import { check, step } from '../../helpers/http/check-fixture';
import { startTestServer, type TestServer } from '../../helpers/http/test-server';
import { captureJsonOutput } from '../../helpers/output-capture';
import { startTestXrayDaemon, type TestXrayDaemon } from '../../helpers/xray-daemon';

const TOKEN = `tok-${Date.now()}-s3cr3t`;
const SECRET_ID = `vigil-test/runner-token-${Date.now()}`;

const emfWriter = () =>
  createEmfWriter({ namespace: 'Vigil', defaultDimensions: { App: 'shop' }, sink: stdoutSink });

const context = (remainingMs = 60_000) => ({
  awsRequestId: 'req-1',
  functionName: 'vigil-runner',
  getRemainingTimeInMillis: () => remainingMs,
});

describe('synthetics runner handler', () => {
  let server: TestServer;
  let config: RunnerConfig;
  const spans: LocalSpanRecord[] = [];

  beforeAll(async () => {
    await new SecretsManagerClient({}).send(
      new CreateSecretCommand({ Name: SECRET_ID, SecretString: JSON.stringify({ token: TOKEN }) }),
    );
    server = await startTestServer({
      '/health/ready': {
        status: 503,
        body: { status: 'not_ready', checks: { database: 'ok', redis: 'down' } },
      },
      '/private': (request, response) => {
        const ok = request.headers.authorization === `Bearer ${TOKEN}`;
        response.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ ok }));
      },
      '/hang': { hang: true },
    });
    const everyMinute = { key: 'every-1m', expression: 'rate(1 minute)', everyMs: 60_000 };
    config = {
      app: 'shop',
      environment: 'test',
      baseUrl: server.url,
      variables: {},
      concurrency: 4,
      metrics: 'essential',
      connections: 'reuse',
      location: 'us-east-1',
      secrets: { token: { secretsManager: SECRET_ID, jsonKey: 'token' } },
      checks: [
        check(
          'ready',
          [
            step('probe', '{{baseUrl}}/health/ready', {
              assert: [
                { type: 'status', op: 'equals', value: 200 },
                { type: 'dependencies', path: '$.checks', healthy: ['ok'] },
              ],
            }),
          ],
          { schedule: everyMinute, severity: 'critical' },
        ),
        check(
          'private_api',
          [
            step('get', '{{baseUrl}}/private', {
              request: { headers: { authorization: 'Bearer {{secrets.token}}' } },
              assert: [{ type: 'status', op: 'equals', value: 200 }],
            }),
          ],
          { schedule: everyMinute, secrets: ['token'] },
        ),
        // Its own timeouts are far off: only the Lambda deadline can end it within a test.
        check('slow', [step('get', '{{baseUrl}}/hang', { timeoutMs: 600_000 })], {
          schedule: { key: 'every-5m', expression: 'rate(5 minutes)', everyMs: 300_000 },
          timeoutMs: 600_000,
        }),
      ],
    };
  });
  afterAll(() => server.close());

  const handlerDeps = () => ({
    config,
    logger: new Logger({ serviceName: 'shop' }),
    metrics: emfWriter(),
    tracing: new LocalTracing(),
    secrets: createSecretResolver(config.secrets, createAwsSecretBackend()),
  });

  const handlerFor = (safetyMs?: number) =>
    createRunnerHandler({
      config,
      logger: new Logger({ serviceName: 'shop' }),
      metrics: emfWriter(),
      tracing: new LocalTracing({ onSpanEnd: (span) => spans.push(span) }),
      secrets: createSecretResolver(config.secrets, createAwsSecretBackend()),
      ...(safetyMs !== undefined ? { safetyMs } : {}),
    });

  it('runs the fired schedule group, resolves secrets from Secrets Manager and names the down dependency', async () => {
    // Prepare
    const handler = handlerFor();
    const out = captureJsonOutput();
    // Act
    let summary: Awaited<ReturnType<typeof handler>>;
    try {
      summary = await handler({ schedule: 'every-1m' }, context());
    } finally {
      out.restore();
    }
    // Assess
    expect(summary).toEqual({
      schedule: 'every-1m',
      location: 'us-east-1',
      total: 2,
      passed: 1,
      degraded: 0,
      failed: 1,
      failures: ['ready'],
    });
    const records = out.records();
    expectValidEmf(out.emfLines());
    // Every run publishes CheckDuration (what the failure alarm reads): 0 for the failed one, above 0 for
    // the passing one; no CheckSuccess. The failed one is also the 'check ready failed' log line.
    const emf = records.filter((record) => '_aws' in record);
    const checkEmf = emf.filter((record) => 'Check' in record);
    expect(
      checkEmf
        .map((record) => [record.Check, 'CheckSuccess' in record, (record.CheckDuration as number) > 0])
        .sort(),
    ).toEqual([
      ['private_api', false, true],
      ['ready', false, false],
    ]);
    expect(checkEmf.find((record) => record.Check === 'ready')?.CheckDuration).toBe(0);
    expect(records.some((record) => record.message === 'check ready failed')).toBe(true);
    // No Powertools ColdStart (a custom metric per function that nothing reads)
    expect(emf.filter((record) => 'ColdStart' in record)).toEqual([]);
    const failedLog = records.find((record) => record.message === 'check ready failed');
    expect(failedLog).toMatchObject({ level: 'WARN', service: 'shop' });
    expect(JSON.stringify(failedLog)).toContain("dependency 'redis' is down");
    expect(out.lines.join('\n')).not.toContain(TOKEN);
    expect(spans.map((span) => span.name)).toEqual(
      expect.arrayContaining(['check ready', 'step probe', 'check private_api']),
    );
  });

  it('measures a new connection on every check when runner.connections is fresh, once when reuse', async () => {
    // Prepare: three identical checks, run one at a time
    const trio = ['a', 'b', 'c'].map((name) =>
      check(name, [step('get', '{{baseUrl}}/health/ready')], {
        schedule: { key: 'every-2m', expression: 'rate(2 minutes)', everyMs: 120_000 },
      }),
    );
    const run = async (connections: 'reuse' | 'fresh') => {
      const target = await startTestServer({ '/health/ready': { status: 200, body: { checks: {} } } });
      const out = captureJsonOutput();
      try {
        const handler = createRunnerHandler({
          config: { ...config, baseUrl: target.url, concurrency: 1, connections, checks: trio },
          logger: new Logger({ serviceName: 'shop' }),
          metrics: emfWriter(),
          tracing: new LocalTracing(),
          secrets: createSecretResolver({}, createAwsSecretBackend()),
        });
        await handler({ schedule: 'every-2m' }, context());
        // A check whose request opened a connection has connect time; one that reused a connection has none.
        return out
          .records()
          .filter((record) => typeof record.message === 'string' && record.message.startsWith('check '))
          .map(
            (record) => (record.check as { steps: { timings: { connectMs: number } }[] }).steps[0]!.timings,
          )
          .filter((timings) => timings.connectMs > 0).length;
      } finally {
        out.restore();
        await target.close();
      }
    };
    // Act + Assess
    expect(await run('fresh')).toBe(3);
    expect(await run('reuse')).toBe(1);
  });

  it('rejects an event for an unknown schedule with an error naming the accepted ones', async () => {
    // Act + Assess
    await expect(handlerFor()({ schedule: 'every-2m' }, context())).rejects.toThrow(
      new SyntheticsEventError('event.schedule must be one of every-1m, every-5m, got "every-2m"'),
    );
    await expect(handlerFor()('nope', context())).rejects.toThrow(SyntheticsEventError);
  });

  describe('traced to the X-Ray daemon, as in Lambda', () => {
    const TRACE_ID = '1-65920080-0123456789abcdef01234567';
    const LAMBDA_SEGMENT = '53995c3f42cd8ad8';
    let daemon: TestXrayDaemon;

    beforeAll(async () => {
      daemon = await startTestXrayDaemon();
    });
    afterAll(() => daemon.close());
    beforeEach(() => {
      daemon.documents.length = 0;
    });

    /** The runner as its Lambda entry builds it: one daemon tracing for the invocation, checks and AWS calls. */
    const tracedHandler = () => {
      const tracing = createXrayDaemonTracing({
        AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${daemon.port}`,
        _X_AMZN_TRACE_ID: `Root=${TRACE_ID};Parent=${LAMBDA_SEGMENT};Sampled=1`,
        _HANDLER: 'index.handler',
        POWERTOOLS_SERVICE_NAME: 'shop',
        AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      });
      return createRunnerHandler({
        config,
        logger: new Logger({ serviceName: 'shop' }),
        metrics: emfWriter(),
        tracing,
        invocationTracing: tracing.captureLambdaHandler(),
        secrets: createSecretResolver(
          config.secrets,
          createAwsSecretBackend(traceAwsSdkClient(tracing.traceAwsCall)),
        ),
      });
    };

    it('sends the invocation subsegment with the checks and the Secrets Manager call nested under it', async () => {
      // Prepare
      const handler = tracedHandler();
      const out = captureJsonOutput();

      // Act
      try {
        await handler({ schedule: 'every-1m' }, context());
      } finally {
        out.restore();
      }
      await daemon.waitFor(4);

      // Assess
      const byName = new Map(daemon.documents.map((doc) => [doc.name, doc]));
      const invocation = byName.get('## index.handler');
      expect(invocation).toMatchObject({
        parent_id: LAMBDA_SEGMENT,
        trace_id: TRACE_ID,
        annotations: { ColdStart: true, Service: 'shop' },
      });
      expect(invocation?.fault).toBeUndefined();
      for (const name of ['check ready', 'check private_api', 'SecretsManager']) {
        expect(byName.get(name)).toMatchObject({ parent_id: invocation?.id, trace_id: TRACE_ID });
      }
      expect(byName.get('SecretsManager')).toMatchObject({
        namespace: 'aws',
        aws: { operation: 'GetSecretValue', secret_id: SECRET_ID },
        http: { response: { status: 200 } },
      });
      expect(JSON.stringify(daemon.documents)).not.toContain(TOKEN);
    });

    it('records an invocation that fails on its event as fault, with the error as cause', async () => {
      // Prepare
      const handler = tracedHandler();
      const out = captureJsonOutput();

      // Act
      let failure: unknown;
      try {
        await handler({ schedule: 'every-2m' }, context());
      } catch (error) {
        failure = error;
      } finally {
        out.restore();
      }
      await daemon.waitFor(1);

      // Assess
      expect(failure).toBeInstanceOf(SyntheticsEventError);
      expect(daemon.documents).toEqual([
        expect.objectContaining({
          name: '## index.handler',
          parent_id: LAMBDA_SEGMENT,
          fault: true,
          cause: {
            exceptions: [
              expect.objectContaining({ type: 'SyntheticsEventError', message: (failure as Error).message }),
            ],
          },
        }),
      ]);
    });
  });

  it('stops in-flight checks before the Lambda timeout and still reports them as failed', async () => {
    // Prepare: 400 ms of budget left after the safety margin, against a server that never answers
    const handler = handlerFor(5_000);
    const out = captureJsonOutput();
    // Act
    let summary: Awaited<ReturnType<typeof handler>>;
    try {
      summary = await handler({ schedule: 'every-5m' }, context(5_400));
    } finally {
      out.restore();
    }
    // Assess
    expect(summary.failures).toEqual(['slow']);
    expect(out.records().filter((record) => record.Check === 'slow' && '_aws' in record)).toEqual([
      expect.objectContaining({ CheckDuration: 0, status: 'failed' }),
    ]);
    const logged = out.records().find((record) => record.message === 'check slow failed') as
      | { check?: { error?: string } }
      | undefined;
    expect(logged?.check?.error).toBe('get: check run aborted');
  });

  it('skips a shard run, counts it in SkippedRuns and leaves the lease alone, while the previous run holds it', async () => {
    // Prepare: a real lease table on moto, held by a run that has not ended
    const dynamo = new DynamoDBClient({});
    const tableName = `vigil-leases-${Date.now()}`;
    await dynamo.send(
      new CreateTableCommand({
        TableName: tableName,
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    const lease = new DynamoDbRunLease(createDynamoDbJsonClient(), tableName, Date);
    expect(await lease.acquire('every-1m#0', 'previous-run', Date.now() + 60_000)).toBe(true);
    const handler = createRunnerHandler({ ...handlerDeps(), lease });
    const out = captureJsonOutput();

    // Act
    let summary: Awaited<ReturnType<typeof handler>>;
    try {
      summary = await handler({ schedule: 'every-1m', shard: 0 }, context());
    } finally {
      out.restore();
    }

    // Assess
    expect(summary).toMatchObject({ schedule: 'every-1m', shard: 0, skipped: true, total: 0 });
    expectValidEmf(out.emfLines());
    expect(out.records().filter((record) => 'SkippedRuns' in record)).toEqual([
      expect.objectContaining({ SkippedRuns: 1, App: 'shop' }),
    ]);
    expect(out.records().some((record) => 'Check' in record)).toBe(false);
    expect(out.records().find((record) => record.level === 'ERROR')).toMatchObject({
      message: 'run skipped: shard every-1m#0 is still running its previous run',
      function_request_id: 'req-1',
      function_name: 'vigil-runner',
    });
    expect(await lease.acquire('every-1m#0', 'someone-else', Date.now() + 60_000)).toBe(false);
  });

  it('runs a shard when its lease is free or expired, then gives the lease back', async () => {
    // Prepare: the previous run died holding a lease that has expired
    const dynamo = new DynamoDBClient({});
    const tableName = `vigil-leases-free-${Date.now()}`;
    await dynamo.send(
      new CreateTableCommand({
        TableName: tableName,
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    const lease = new DynamoDbRunLease(createDynamoDbJsonClient(), tableName, Date);
    expect(await lease.acquire('every-1m#0', 'dead-run', Date.now() - 1)).toBe(true);
    const handler = createRunnerHandler({ ...handlerDeps(), lease });
    const out = captureJsonOutput();

    // Act
    let summary: Awaited<ReturnType<typeof handler>>;
    try {
      summary = await handler({ schedule: 'every-1m', shard: 0 }, context());
    } finally {
      out.restore();
    }

    // Assess
    expect(summary).not.toHaveProperty('skipped');
    expect(summary.total).toBe(2);
    expect(await lease.acquire('every-1m#0', 'next-run', Date.now() + 60_000)).toBe(true);
  });
});
