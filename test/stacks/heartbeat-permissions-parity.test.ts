import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type Stack } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { resolveHeartbeats } from '../../functions/commons/config/heartbeat-schema';
import { parseConfig } from '../../functions/commons/config/resolve-config';
import type { HeartbeatRuntimeConfig } from '../../functions/heartbeats/types/heartbeat-config';
import type { VigilFunction } from '../../stacks/constructs/vigil-function';
import { HeartbeatStack } from '../../stacks/heartbeat-stack';
import { type IamMoto, startIamMoto } from '../helpers/iam-moto';
import { type RoleRunner, runAsRole } from '../helpers/run-as-role';
import { deployOnMoto, MOTO_ACCOUNT, type TemplateJson } from '../helpers/template-on-moto';

// Deploy parity for the heartbeat functions: each runs against a moto that enforces IAM, signed by an IAM user
// holding exactly the statements the synthesized template gives its role.

const TOKEN = 'ParityToken0123456789abcdefghijklmnopqrs';
let moto: IamMoto;
let dir: string;
let role: RoleRunner;
let ids: { ping: string; evaluator: string };

beforeAll(async () => {
  moto = await startIamMoto();
  const config = parseConfig({
    app: 'parity',
    environments: { prod: { baseUrl: 'http://127.0.0.1:9' } },
    heartbeats: [{ name: 'nightly', every: '1d' }],
  });
  const heartbeats = resolveHeartbeats(config);
  // Bundling is skipped: the code runs from source; only the template matters.
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new HeartbeatStack(app, 'parity-heartbeats', {
    env: { account: MOTO_ACCOUNT, region: 'us-east-1' },
    app: config.app,
    heartbeats,
  });
  const template = app.synth().getStackByName(stack.stackName).template as TemplateJson;
  const logicalId = (s: Stack, fn: VigilFunction) => s.getLogicalId(fn.node.defaultChild as CfnFunction);
  const secretId = stack.getLogicalId(stack.monitors.secrets.get('nightly')!.node.defaultChild as never);
  const deployed = await moto.unenforced(() => deployOnMoto(template, moto.endpoint, { [secretId]: TOKEN }));
  role = runAsRole(moto, template, deployed);
  ids = {
    ping: logicalId(stack, stack.monitors.pingFunction),
    evaluator: logicalId(stack, stack.monitors.evaluator),
  };
  dir = mkdtempSync(join(tmpdir(), 'vigil-parity-heartbeats-'));
  writeFileSync(
    join(dir, 'heartbeat-config.json'),
    JSON.stringify({ app: config.app, heartbeats } satisfies HeartbeatRuntimeConfig),
  );
}, 180_000);

afterAll(async () => {
  role?.restore();
  await moto?.stop();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

const env = () => ({
  VIGIL_HEARTBEAT_CONFIG_FILE: join(dir, 'heartbeat-config.json'),
  POWERTOOLS_METRICS_NAMESPACE: 'Vigil',
  VIGIL_APP: 'parity',
  POWERTOOLS_SERVICE_NAME: 'parity',
});
const loadPing = (withoutAction?: string) =>
  role.load(ids.ping, () => import('../../functions/heartbeats/ping-handler'), {
    statements: role.statements(ids.ping, withoutAction),
    env: env(),
  });
const loadEvaluator = (withoutAction?: string) =>
  role.load(ids.evaluator, () => import('../../functions/heartbeats/evaluator-handler'), {
    statements: role.statements(ids.evaluator, withoutAction),
    env: env(),
  });
const ping = (path: string) => ({ rawPath: path, requestContext: { http: { method: 'GET' } } });
/** Runs `act` with stdout (EMF) silenced. */
const quietly = async <T>(act: () => Promise<T>): Promise<T> => {
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    return await act();
  } finally {
    spy.mockRestore();
  }
};

describe('heartbeat functions under IAM enforcement, with exactly their synthesized role', () => {
  it('ping handler: reads its token from Secrets Manager and records the ping in the table', async () => {
    // Prepare
    const { handler } = await loadPing();

    // Act
    const response = await quietly(() => handler(ping(`/ping/nightly/${TOKEN}`)));

    // Assess
    expect(response.statusCode).toBe(200);
  });

  it('evaluator: scans the table and finds the ping recorded under the ping role', async () => {
    // Prepare
    const { handler } = await loadEvaluator();

    // Act
    const evaluations = await quietly(() => handler());

    // Assess
    expect(evaluations.map((evaluation) => [evaluation.name, evaluation.status])).toEqual([
      ['nightly', 'up'],
    ]);
  });

  it('needs each grant: without GetSecretValue the ping is unavailable, without Scan the evaluator fails', async () => {
    // Prepare
    const ping503 = (await loadPing('secretsmanager:GetSecretValue')).handler;
    const evaluator = (await loadEvaluator('dynamodb:Scan')).handler;

    // Act
    const response = await quietly(() => ping503(ping(`/ping/nightly/${TOKEN}`)));
    const evaluated = quietly(() => evaluator());

    // Assess
    expect(response.statusCode).toBe(503);
    await expect(evaluated).rejects.toMatchObject({ name: 'HeartbeatStoreError' });
  });
});
