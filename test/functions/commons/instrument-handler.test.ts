import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { parseConfig } from '../../../functions/commons/config/resolve-config';
import { instrumentHandler } from '../../../functions/commons/instrument-handler';
import {
  ESCALATION_CONFIG_FILE,
  ESCALATION_CONFIG_FILE_ENV,
  ESCALATION_CONTEXT_ENV,
} from '../../../functions/escalation/adapters/bundled-runtime-config';
import { resolveBundledConfig } from '../../../functions/escalation/core/resolve-runtime-config';
import {
  bundledOnCallConfig,
  bundledShiftNoticeConfig,
  CALENDAR_TOKEN_SECRETS_ENV,
  ONCALL_CONFIG_FILE,
  ONCALL_CONFIG_FILE_ENV,
  SHIFT_NOTICES_CONFIG_FILE,
} from '../../../functions/oncall/adapters/bundled-oncall-config';
import { expectValidEmf } from '../../helpers/emf-spec';
import { handlerModules, REPO_ROOT } from '../../helpers/handler-modules';
import { captureJsonOutput } from '../../helpers/output-capture';
import { createSecret } from '../escalation/helpers/moto-escalation';

/** A Lambda context as the runtime passes it. */
const lambdaContext = (functionName: string) => ({
  awsRequestId: `req-${functionName}`,
  functionName,
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
  memoryLimitInMB: '512',
  getRemainingTimeInMillis: () => 60_000,
});

beforeAll(() => {
  // What Lambda sets in an on-demand execution environment (Powertools counts ColdStart only there).
  process.env.AWS_LAMBDA_INITIALIZATION_TYPE = 'on-demand';
  process.env.POWERTOOLS_TRACE_ENABLED = 'false';
});

describe('instrumentHandler', () => {
  it('flushes the buffered metrics, without a ColdStart metric, when the handler throws, and logs with the Lambda context', async () => {
    // Prepare
    const logger = new Logger({ serviceName: 'probe', logLevel: 'INFO' });
    const metrics = new Metrics({ namespace: 'Vigil', serviceName: 'probe' });
    const handler = instrumentHandler(
      async (_event: unknown, _context: unknown) => {
        metrics.addMetric('Attempts', MetricUnit.Count, 1);
        logger.error('about to fail');
        throw new Error('boom');
      },
      { logger, metrics },
    );
    const out = captureJsonOutput();

    // Act
    let failure: unknown;
    try {
      await handler({}, lambdaContext('vigil-probe'));
    } catch (error) {
      failure = error;
    } finally {
      out.restore();
    }

    // Assess
    expect(failure).toEqual(new Error('boom'));
    expectValidEmf(out.emfLines());
    const records = out.records();
    expect(records).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Attempts: 1, service: 'probe' }),
        expect.objectContaining({
          message: 'about to fail',
          function_request_id: 'req-vigil-probe',
          function_name: 'vigil-probe',
        }),
      ]),
    );
    expect(records.some((record) => 'ColdStart' in record)).toBe(false);
  });

  it('never logs the event, even when POWERTOOLS_LOGGER_LOG_EVENT asks for it (paths hold tokens)', async () => {
    // Prepare
    process.env.POWERTOOLS_LOGGER_LOG_EVENT = 'true';
    const logger = new Logger({ serviceName: 'probe', logLevel: 'INFO' });
    delete process.env.POWERTOOLS_LOGGER_LOG_EVENT;
    const metrics = new Metrics({ namespace: 'Vigil', serviceName: 'probe' });
    const handler = instrumentHandler(async (_event: { rawPath: string }, _context: unknown) => 'ok', {
      logger,
      metrics,
    });
    const out = captureJsonOutput();

    // Act
    try {
      await handler({ rawPath: '/ping/nightly/s3cr3t-token' }, lambdaContext('vigil-ping'));
    } finally {
      out.restore();
    }

    // Assess
    expect(JSON.stringify(out.records())).not.toContain('s3cr3t-token');
  });
});

/**
 * Each handler with what its module needs at load and an invocation that fails (it throws or refuses):
 * the path where a forgotten flush or a missing context shows.
 */
interface HandlerCase {
  readonly env: () => Record<string, string>;
  readonly event: unknown;
  /** A log line the handler itself writes on that path. */
  readonly logs?: string;
}

describe('every Lambda handler is instrumented', () => {
  let dir: string;
  let secretArn: string;
  const TABLE = 'instrumented-handlers-missing-table';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-instrumented-'));
    secretArn = await createSecret(`instrumented/secret-${Date.now()}`, 'a-secret-value');
    const config = parseConfig({
      app: 'shop',
      environments: { prod: { baseUrl: 'https://shop.example.com' } },
      channels: { slack: { type: 'slack', webhook: { secretsManager: secretArn } } },
      escalation: {
        critical: { levels: [{ after: '0s', channels: ['slack'] }] },
        warning: { levels: [{ after: '0s', channels: ['slack'] }] },
        info: { levels: [{ after: '0s', channels: ['slack'] }] },
      },
      people: { alice: { name: 'Alice', timezone: 'UTC', contact: { email: 'alice@example.com' } } },
      schedules: {
        primary: {
          timezone: 'UTC',
          layers: [{ members: ['alice'], start: '2026-01-05T09:00', rotation: 'daily' }],
        },
      },
      calendars: { wall: { schedule: 'primary' } },
    });
    writeFileSync(join(dir, ESCALATION_CONFIG_FILE), JSON.stringify(resolveBundledConfig(config)));
    writeFileSync(join(dir, ONCALL_CONFIG_FILE), JSON.stringify(bundledOnCallConfig(config)));
    writeFileSync(
      join(dir, SHIFT_NOTICES_CONFIG_FILE),
      JSON.stringify(
        bundledShiftNoticeConfig({ ...config, paging: { email: { from: 'oncall@example.com' } } }),
      ),
    );
    writeFileSync(
      join(dir, 'kpi.json'),
      JSON.stringify({ app: 'shop', groups: {}, datasources: {}, concurrency: 1 }),
    );
    writeFileSync(
      join(dir, 'heartbeats.json'),
      JSON.stringify({
        app: 'shop',
        heartbeats: [
          { name: 'nightly', expect: { everyMs: 3_600_000 }, graceMs: 0, severity: 'critical', team: 'ops' },
        ],
      }),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const secretRef = () => JSON.stringify({ secretsManager: secretArn });
  const escalationEnv = () => ({
    VIGIL_TABLE_NAME: TABLE,
    VIGIL_ACK_SECRET_ARN: secretArn,
    VIGIL_STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:123456789012:stateMachine:missing',
    VIGIL_GRAPH_BUCKET: 'instrumented-graphs',
    [ESCALATION_CONFIG_FILE_ENV]: join(dir, ESCALATION_CONFIG_FILE),
    [ESCALATION_CONTEXT_ENV]: JSON.stringify({ ackUrl: 'https://ack.example.com/' }),
  });
  const unsignedPost = { requestContext: { http: { method: 'POST' } }, headers: {}, body: '{}' };
  const cases: Record<string, HandlerCase> = {
    'functions/escalation/ack.ts': {
      env: escalationEnv,
      event: { requestContext: { http: { method: 'GET' } }, rawQueryString: '' },
    },
    'functions/escalation/check-status.ts': { env: escalationEnv, event: { phase: 'unknown' } },
    'functions/escalation/inbound-sms.ts': {
      env: () => ({ ...escalationEnv(), VIGIL_SMS_PEOPLE: '{}' }),
      event: {},
    },
    'functions/escalation/notify.ts': { env: escalationEnv, event: {} },
    'functions/escalation/pagerduty-webhook.ts': {
      env: () => ({
        ...escalationEnv(),
        VIGIL_PAGERDUTY_WEBHOOK_SECRETS: JSON.stringify({ pd: JSON.parse(secretRef()) }),
      }),
      event: unsignedPost,
    },
    'functions/escalation/slack-interactions.ts': {
      env: () => ({ ...escalationEnv(), VIGIL_SLACK_SIGNING_SECRET: secretRef() }),
      event: unsignedPost,
    },
    'functions/escalation/start.ts': {
      env: escalationEnv,
      event: { 'detail-type': 'Something else' },
      logs: 'malformed alarm event: it reaches the on-failure queue after the retries',
    },
    'functions/heartbeats/evaluator-handler.ts': {
      env: () => ({
        VIGIL_HEARTBEAT_CONFIG_FILE: join(dir, 'heartbeats.json'),
        VIGIL_HEARTBEAT_TABLE: TABLE,
      }),
      event: {},
    },
    'functions/heartbeats/ping-handler.ts': {
      env: () => ({
        VIGIL_HEARTBEAT_CONFIG_FILE: join(dir, 'heartbeats.json'),
        VIGIL_HEARTBEAT_TABLE: TABLE,
      }),
      event: { rawPath: '/not-a-ping', requestContext: { http: { method: 'GET' } } },
    },
    'functions/kpi/kpi-runner-handler.ts': {
      env: () => ({ VIGIL_KPI_CONFIG_FILE: join(dir, 'kpi.json') }),
      event: { group: 'unknown' },
    },
    'functions/oncall/ical-feed-handler.ts': {
      env: () => ({
        [ONCALL_CONFIG_FILE_ENV]: join(dir, ONCALL_CONFIG_FILE),
        [CALENDAR_TOKEN_SECRETS_ENV]: JSON.stringify({ wall: secretArn }),
        VIGIL_ONCALL_TABLE_NAME: TABLE,
      }),
      event: { rawPath: '/ical/wall/wrong-token.ics', requestContext: { http: { method: 'GET' } } },
    },
    'functions/oncall/shift-notices-handler.ts': {
      env: () => ({
        [ONCALL_CONFIG_FILE_ENV]: join(dir, SHIFT_NOTICES_CONFIG_FILE),
        VIGIL_ONCALL_TABLE_NAME: TABLE,
      }),
      event: {},
    },
    // Its config is the bundle's runner-config.json: create-runner-handler.test.ts drives the same chain.
    'functions/synthetics/synthetics-runner-handler.ts': { env: () => ({}), event: undefined },
  };

  it('the table below names every handler module under functions/', () => {
    // Assess
    expect(Object.keys(cases).sort()).toEqual(handlerModules());
  });

  it.each(
    Object.keys(cases).filter((module) => module !== 'functions/synthetics/synthetics-runner-handler.ts'),
  )(
    '%s flushes its Powertools metrics on a failing invocation and logs with its Lambda context',
    async (module) => {
      // Prepare
      const { env, event, logs: handlerLog } = cases[module] as HandlerCase;
      const functionName = `vigil-${module.split('/').pop()?.replace('.ts', '')}`;
      const saved = { ...process.env };
      Object.assign(process.env, env(), {
        POWERTOOLS_SERVICE_NAME: 'shop',
        POWERTOOLS_METRICS_NAMESPACE: 'Vigil',
        POWERTOOLS_LOG_LEVEL: 'INFO',
      });
      const out = captureJsonOutput();
      let failed = false;

      // Act
      try {
        await jest.isolateModulesAsync(async () => {
          // The module's own shared instances (this isolated registry's): a metric waits in its buffer
          const { logger, invocationMetrics } = await import('../../../functions/commons/powertools');
          invocationMetrics.addMetric('Probe', MetricUnit.Count, 1);
          const { handler } = (await import(join(REPO_ROOT, module))) as {
            handler: (event: unknown, context: unknown) => Promise<unknown>;
          };
          const response = await handler(event, lambdaContext(functionName)).catch(() => {
            failed = true;
          });
          failed ||= ((response as { statusCode?: number } | undefined)?.statusCode ?? 0) >= 400;
          logger.error('after the invocation');
        });
      } finally {
        out.restore();
        process.env = saved;
      }

      // Assess
      expect(failed).toBe(true);
      expectValidEmf(out.emfLines());
      const records = out.records();
      expect(records).toEqual(
        expect.arrayContaining([expect.objectContaining({ Probe: 1, service: 'shop' })]),
      );
      expect(records.some((record) => 'ColdStart' in record)).toBe(false);
      const logs = records.filter((record) => 'level' in record);
      expect(logs.map((record) => record.message)).toEqual(
        expect.arrayContaining(['after the invocation', ...(handlerLog !== undefined ? [handlerLog] : [])]),
      );
      for (const log of logs) expect(log).toMatchObject({ function_request_id: `req-${functionName}` });
    },
  );
});
