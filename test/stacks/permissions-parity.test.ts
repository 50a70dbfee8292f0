import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { App, type Stack } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { parseConfig } from '../../functions/commons/config/resolve-config';
import type { KpiRunnerConfig } from '../../functions/kpi/types/runner-config';
import type { RunnerConfig } from '../../functions/synthetics/types/runner-config';
import type { VigilFunction } from '../../stacks/constructs/vigil-function';
import { createVigilStacks } from '../../stacks/vigil-stacks';
import { emfLines, expectValidEmf } from '../helpers/emf-spec';
import { startTestServer, type TestServer } from '../helpers/http/test-server';
import { type IamMoto, startIamMoto } from '../helpers/iam-moto';
import { type PostgresServer, startPostgres } from '../helpers/kpi/postgres-server';
import { type RoleRunner, runAsRole } from '../helpers/run-as-role';
import { clientConfig, deployOnMoto, MOTO_ACCOUNT, type TemplateJson } from '../helpers/template-on-moto';

// Deploy parity for the scheduled runners: the synthetics runner (built by its handler factory with the same
// real adapters as its entry file) and the KPI runner handler run against a moto that enforces IAM, signed by
// an IAM user holding exactly the statements the synthesized template gives the function's role.

const API_TOKEN = 'parity-api-token';
const API_KEY = 'parity-api-key';
const READER_PASSWORD = 'parity-Reader-pw-41d7';

let moto: IamMoto;
let api: TestServer;
let postgres: PostgresServer;
let dir: string;
let runner: { role: RoleRunner; functionId: string; config: RunnerConfig };
let kpis: { role: RoleRunner; functionId: string; configFile: string };

const logicalId = (stack: Stack, fn: VigilFunction) =>
  stack.getLogicalId(fn.node.defaultChild as CfnFunction);

beforeAll(async () => {
  [moto, api, postgres] = await Promise.all([
    startIamMoto(),
    startTestServer({
      '/orders': (request, response) => {
        const authorized =
          request.headers.authorization === `Bearer ${API_TOKEN}` && request.headers['x-api-key'] === API_KEY;
        response.writeHead(authorized ? 200 : 401, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ orders: [] }));
      },
    }),
    startPostgres(),
  ]);
  await postgres.admin(`CREATE ROLE parity_reader LOGIN PASSWORD '${READER_PASSWORD}'`);
  const config = parseConfig({
    app: 'parity',
    environments: { prod: { baseUrl: api.url } },
    deploy: { environment: 'prod', region: 'us-east-1' },
    defaults: { locations: ['us-east-1'], schedule: '1m' },
    secrets: {
      apiToken: { secretsManager: 'parity/api-token' },
      apiKey: { ssm: '/parity/api-key' },
    },
    checks: [
      {
        name: 'orders',
        // A secret used only through a variable needs its grant too (it once got none: AccessDenied deployed).
        variables: { bearer: 'Bearer {{secrets.apiToken}}' },
        steps: [
          {
            name: 'list',
            request: {
              url: '{{baseUrl}}/orders',
              headers: { authorization: '{{bearer}}', 'x-api-key': '{{secrets.apiKey}}' },
            },
            assert: [{ type: 'status', value: 200 }],
          },
        ],
      },
    ],
    datasources: {
      bookings: { type: 'postgres', secret: { secretsManager: 'parity/kpi-reader' }, ssl: 'disable' },
    },
    kpis: [
      {
        name: 'bookings_total',
        datasource: 'bookings',
        schedule: '5m',
        sql: 'SELECT 42 AS total',
        values: [{ column: 'total', unit: 'Count' }],
      },
    ],
  });
  // Bundling is skipped: the code runs from source; only the templates matter.
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stacks = createVigilStacks(app, config, { account: MOTO_ACCOUNT });
  const assembly = app.synth();
  const syntheticsStack = stacks.synthetics[0] as NonNullable<(typeof stacks.synthetics)[0]>;
  const kpiStack = stacks.kpis[0] as NonNullable<(typeof stacks.kpis)[0]>;
  const [kpiGroup, kpiFunction] = [...kpiStack.monitors.functions][0] as [string, VigilFunction];
  const templateOf = (stack: Stack) => assembly.getStackByName(stack.stackName).template as TemplateJson;

  const setup = clientConfig(moto.endpoint);
  const [runnerDeployed, kpiDeployed] = await moto.unenforced(async () => {
    const secrets = new SecretsManagerClient(setup);
    await secrets.send(new CreateSecretCommand({ Name: 'parity/api-token', SecretString: API_TOKEN }));
    await secrets.send(
      new CreateSecretCommand({
        Name: 'parity/kpi-reader',
        SecretString: JSON.stringify({
          username: 'parity_reader',
          password: READER_PASSWORD,
          host: postgres.host,
          port: postgres.port,
          dbname: 'postgres',
        }),
      }),
    );
    await new SSMClient(setup).send(
      new PutParameterCommand({ Name: '/parity/api-key', Value: API_KEY, Type: 'SecureString' }),
    );
    return Promise.all([
      deployOnMoto(templateOf(syntheticsStack), moto.endpoint),
      deployOnMoto(templateOf(kpiStack), moto.endpoint),
    ]);
  });
  runner = {
    role: runAsRole(moto, templateOf(syntheticsStack), runnerDeployed),
    functionId: logicalId(syntheticsStack, syntheticsStack.runner.function),
    config: syntheticsStack.runner.runnerConfig,
  };
  dir = mkdtempSync(join(tmpdir(), 'vigil-parity-kpi-'));
  const configFile = join(dir, 'kpi-runner-config.json');
  writeFileSync(configFile, JSON.stringify(kpiStack.monitors.runnerConfigs.get(kpiGroup) as KpiRunnerConfig));
  kpis = {
    role: runAsRole(moto, templateOf(kpiStack), kpiDeployed),
    functionId: logicalId(kpiStack, kpiFunction),
    configFile,
  };
}, 180_000);

afterAll(async () => {
  runner?.role.restore();
  await Promise.all([moto?.stop(), api?.close(), postgres?.stop()]);
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

/** What a runner writes while `act` runs: EMF documents and info logs on stdout, warnings and errors on stderr. */
const capturingOutput = async <T>(act: () => Promise<T>): Promise<{ result: T; output: string }> => {
  const lines: string[] = [];
  const capture = (chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  };
  const spies = [
    jest.spyOn(process.stdout, 'write').mockImplementation(capture),
    jest.spyOn(process.stderr, 'write').mockImplementation(capture),
  ];
  try {
    return { result: await act(), output: lines.join('') };
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
};

const context = {
  awsRequestId: 'parity-1',
  functionName: 'parity-runner',
  getRemainingTimeInMillis: () => 60_000,
};

/** The synthetics runner as its entry file builds it, with the real Powertools, EMF and AWS secret adapters. */
const loadSyntheticsRunner = (statements = runner.role.statements(runner.functionId)) =>
  runner.role.load(
    runner.functionId,
    async () => {
      const { createRunnerHandler } = await import('../../functions/synthetics/create-runner-handler');
      const { createAwsSecretBackend } = await import('../../functions/commons/aws-secret-backend');
      const { createSecretResolver } = await import('../../functions/commons/secret-resolver');
      const { createXrayDaemonTracing } = await import(
        '../../functions/synthetics/adapters/xray-daemon-tracing'
      );
      const { traceAwsSdkClient } = await import('../../functions/commons/aws-sdk-call-tracing');
      const { logger } = await import('../../functions/commons/logger');
      const { metrics } = await import('../../functions/commons/metrics/lambda-metrics');
      const { DynamoDbRunLease } = await import('../../functions/synthetics/adapters/dynamodb-run-lease');
      const { createDynamoDbJsonClient } = await import(
        '../../functions/commons/aws/create-dynamodb-json-client'
      );
      const { requireEnv } = await import('../../functions/commons/env');
      const tracing = createXrayDaemonTracing();
      const traceClient = traceAwsSdkClient(tracing.traceAwsCall);
      return createRunnerHandler({
        config: runner.config,
        logger,
        metrics,
        tracing,
        invocationTracing: tracing.captureLambdaHandler(),
        secrets: createSecretResolver(runner.config.secrets, createAwsSecretBackend(traceClient)),
        lease: new DynamoDbRunLease(
          createDynamoDbJsonClient({ trace: tracing.traceAwsCall }),
          requireEnv('RUN_LEASE_TABLE'),
          Date,
        ),
      });
    },
    { statements, env: { POWERTOOLS_LOG_LEVEL: 'WARN' } },
  );

const loadKpiRunner = (statements = kpis.role.statements(kpis.functionId)) =>
  kpis.role.load(kpis.functionId, () => import('../../functions/kpi/kpi-runner-handler'), {
    statements,
    env: { VIGIL_KPI_CONFIG_FILE: kpis.configFile, POWERTOOLS_LOG_LEVEL: 'WARN' },
  });

describe('scheduled runners under IAM enforcement, with exactly their synthesized role', () => {
  it('synthetics runner: takes its shard lease, resolves the Secrets Manager (through a variable) and SSM secrets its check sends, and the check passes', async () => {
    // Prepare
    const handler = await loadSyntheticsRunner();
    // Act
    const { result, output } = await capturingOutput(() =>
      handler({ schedule: 'every-1m', shard: 0 }, context),
    );
    // Assess
    expect(result).toMatchObject({ total: 1, passed: 1, failed: 0 });
    expect(result).not.toHaveProperty('skipped');
    // With the synthesized environment, its metrics are valid EMF in the namespace the alarms watch.
    expect(emfLines(output).length).toBeGreaterThan(0);
    expectValidEmf(emfLines(output));
  });

  it('KPI runner: reads its datasource secret, queries PostgreSQL and reports the KPI ok', async () => {
    // Prepare
    const { handler } = await loadKpiRunner();
    // Act
    const { result, output } = await capturingOutput(() => handler({ group: 'every-5m' }));
    // Assess
    expect(result).toEqual({ group: 'every-5m', ok: 1, breached: 0, failed: 0 });
    expect(emfLines(output).length).toBeGreaterThan(0);
    expectValidEmf(emfLines(output));
  });
});

describe('a grant missing from a runner role fails the test, as it would fail the deployment', () => {
  it('synthetics runner without ssm:GetParameter fails its check with AccessDenied', async () => {
    // Prepare
    const handler = await loadSyntheticsRunner(runner.role.statements(runner.functionId, 'ssm:GetParameter'));
    // Act
    const { result, output } = await capturingOutput(() => handler({ schedule: 'every-1m' }, context));
    // Assess
    expect(result).toMatchObject({ total: 1, failed: 1, failures: ['orders'] });
    expect(output).toContain(
      "cannot resolve secret 'apiKey' from SSM parameter /parity/api-key: AccessDeniedException",
    );
  });

  it('synthetics runner without dynamodb:PutItem cannot take its shard lease: the run fails with AccessDenied', async () => {
    // Prepare
    const handler = await loadSyntheticsRunner(runner.role.statements(runner.functionId, 'dynamodb:PutItem'));
    // Act
    const run = capturingOutput(() => handler({ schedule: 'every-1m', shard: 0 }, context));
    // Assess: the lease's signed call reached moto's IAM check, which refused it for the missing grant
    await expect(run).rejects.toMatchObject({
      name: 'DynamoDbRequestError',
      operation: 'PutItem',
      code: 'AccessDeniedException',
    });
  });

  it('KPI runner without secretsmanager:GetSecretValue fails its KPI with AccessDenied', async () => {
    // Prepare
    const { handler } = await loadKpiRunner(
      kpis.role.statements(kpis.functionId, 'secretsmanager:GetSecretValue'),
    );
    // Act
    const { result, output } = await capturingOutput(() => handler({ group: 'every-5m' }));
    // Assess
    expect(result).toMatchObject({ ok: 0, failed: 1 });
    expect(output).toContain('cannot read secret parity/kpi-reader: AccessDeniedException');
  });
});
