import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient, GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { HEARTBEAT_TABLE_KEY } from '../../../functions/heartbeats/adapters/dynamodb-heartbeat-store';
import type { FunctionUrlEvent } from '../../../functions/heartbeats/ping-handler';
import { MAX_OUTPUT_BYTES } from '../../../functions/heartbeats/run-output';
import {
  type HeartbeatRuntimeConfig,
  heartbeatSecretName,
} from '../../../functions/heartbeats/types/heartbeat-config';
import { emfDatapoints, emfLines, expectValidEmf } from '../../helpers/emf-spec';
import { hourlyHeartbeat } from '../../helpers/heartbeat-fixture';

const dynamodb = new DynamoDBClient({});
const secrets = new SecretsManagerClient({});
const APP = 'pingshop';
const TABLE = 'ping-handler-heartbeats';
const TOKEN = 'Qm9vdHN0cmFwVG9rZW4tbmlnaHRseS0wMDAx';

let dir: string;
let handler: (event: FunctionUrlEvent) => Promise<{ statusCode: number; body: string }>;

beforeAll(async () => {
  await dynamodb.send(
    new CreateTableCommand({
      TableName: TABLE,
      KeySchema: [{ AttributeName: HEARTBEAT_TABLE_KEY, KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: HEARTBEAT_TABLE_KEY, AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  await secrets.send(
    new CreateSecretCommand({ Name: heartbeatSecretName(APP, 'nightly'), SecretString: TOKEN }),
  );
  await secrets.send(
    new CreateSecretCommand({
      Name: heartbeatSecretName(APP, 'hourly'),
      SecretString: 'aG91cmx5LXRva2VuLTAwMDAwMDAwMDAwMDAw',
    }),
  );
  dir = mkdtempSync(join(tmpdir(), 'vigil-ping-'));
  const config: HeartbeatRuntimeConfig = {
    app: APP,
    heartbeats: [hourlyHeartbeat('nightly'), hourlyHeartbeat('hourly')],
  };
  writeFileSync(join(dir, 'heartbeat-config.json'), JSON.stringify(config));
  // What the construct sets; read when the handler's module loads.
  process.env.VIGIL_HEARTBEAT_CONFIG_FILE = join(dir, 'heartbeat-config.json');
  process.env.VIGIL_HEARTBEAT_TABLE = TABLE;
  process.env.POWERTOOLS_TRACE_ENABLED = 'false';
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  process.env.POWERTOOLS_METRICS_NAMESPACE = 'Vigil';
  process.env.VIGIL_APP = APP;
  process.env.POWERTOOLS_SERVICE_NAME = APP;
  ({ handler } = await import('../../../functions/heartbeats/ping-handler'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const event = (
  method: string,
  rawPath: string,
  body?: string,
  isBase64Encoded = false,
): FunctionUrlEvent => ({
  rawPath,
  requestContext: { http: { method } },
  ...(body !== undefined ? { body, isBase64Encoded } : {}),
});

const item = async (name: string) =>
  (
    await dynamodb.send(
      new GetItemCommand({
        TableName: TABLE,
        Key: { [HEARTBEAT_TABLE_KEY]: { S: name } },
        ConsistentRead: true,
      }),
    )
  ).Item;

/** Runs `act` and returns what it wrote to stdout (the EMF documents), without printing it. */
const captureStdout = async <T>(act: () => Promise<T>): Promise<{ result: T; output: string }> => {
  const written: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  try {
    return { result: await act(), output: written.join('') };
  } finally {
    spy.mockRestore();
  }
};

describe('heartbeat ping handler (Function URL, DynamoDB and Secrets Manager on moto)', () => {
  it('records a success ping and answers 200', async () => {
    // Act
    const response = await handler(event('GET', `/ping/nightly/${TOKEN}`));

    // Assess
    expect(response).toMatchObject({ statusCode: 200, body: 'OK\n' });
    const stored = await item('nightly');
    expect(stored?.lastKind?.S).toBe('success');
    expect(Number(stored?.lastSuccessAt?.N)).toBeGreaterThan(0);
  });

  it('answers an unknown id, a wrong token and other paths with the same 404 and changes nothing', async () => {
    // Prepare
    const before = await dynamodb.send(new ScanCommand({ TableName: TABLE, ConsistentRead: true }));

    // Act
    const responses = await Promise.all([
      handler(event('GET', `/ping/unknown/${TOKEN}`)),
      handler(event('GET', `/ping/nightly/${TOKEN.slice(0, -1)}y`)),
      handler(event('POST', `/ping/hourly/${TOKEN}/fail`, 'boom')),
      handler(event('GET', `/ping/nightly/${TOKEN}/999`)),
      handler(event('DELETE', `/ping/nightly/${TOKEN}`)),
      handler(event('GET', '/')),
      handler(event('GET', `/admin/nightly/${TOKEN}`)),
    ]);

    // Assess
    for (const response of responses) expect(response).toEqual(responses[0]);
    expect(responses[0]).toMatchObject({ statusCode: 404, body: 'not found\n' });
    const after = await dynamodb.send(new ScanCommand({ TableName: TABLE, ConsistentRead: true }));
    expect(after.Items).toEqual(before.Items);
  });

  it('times a run from /start to success and publishes its duration', async () => {
    // Act
    await handler(event('GET', `/ping/hourly/aG91cmx5LXRva2VuLTAwMDAwMDAwMDAwMDAw/start`));
    const { result, output } = await captureStdout(() =>
      handler(event('GET', '/ping/hourly/aG91cmx5LXRva2VuLTAwMDAwMDAwMDAwMDAw/0')),
    );

    // Assess
    expect(result.statusCode).toBe(200);
    const lines = emfLines(output);
    expectValidEmf(lines);
    expect(emfDatapoints(lines)).toEqual([
      expect.objectContaining({
        namespace: 'Vigil',
        metric: 'HeartbeatDuration',
        unit: 'Milliseconds',
        dimensions: { App: APP, Heartbeat: 'hourly' },
      }),
    ]);
    const stored = await item('hourly');
    expect(stored?.lastExitCode?.N).toBe('0');
  });

  it('records a failing exit code with its POST output, redacted and truncated, and publishes the failure at once', async () => {
    // Prepare: a body far over the cap, echoing the ping URL and a credential.
    const body = `export failed: password=hunter2 url=/ping/nightly/${TOKEN}\n${'x'.repeat(50_000)}`;

    // Act
    const { result, output } = await captureStdout(() =>
      handler(event('POST', `/ping/nightly/${TOKEN}/3`, Buffer.from(body).toString('base64'), true)),
    );

    // Assess
    expect(result.statusCode).toBe(200);
    expect(emfDatapoints(emfLines(output))).toEqual([
      expect.objectContaining({
        metric: 'HeartbeatFailed',
        value: 1,
        dimensions: { App: APP, Heartbeat: 'nightly' },
      }),
    ]);
    const stored = await item('nightly');
    expect(stored?.lastKind?.S).toBe('fail');
    expect(stored?.lastExitCode?.N).toBe('3');
    const kept = stored?.lastOutput?.S ?? '';
    expect(kept.startsWith('export failed: password=[REDACTED] url=/ping/nightly/[REDACTED]\n')).toBe(true);
    expect(kept).not.toContain(TOKEN);
    expect(kept).not.toContain('hunter2');
    expect(kept.endsWith('…[truncated]')).toBe(true);
    expect(Buffer.byteLength(kept)).toBeLessThanOrEqual(MAX_OUTPUT_BYTES);
  });
});

describe('heartbeat evaluator handler (DynamoDB on moto)', () => {
  it('reads every heartbeat from the table and publishes its late and failed state through EMF', async () => {
    // Prepare: the tests above left `nightly` failed (exit code 3) and `hourly` succeeded.
    const { handler: evaluate } = await import('../../../functions/heartbeats/evaluator-handler');

    // Act
    const { result, output } = await captureStdout(() => evaluate());

    // Assess
    expect(result.map((evaluation) => [evaluation.name, evaluation.status])).toEqual([
      ['nightly', 'failed'],
      ['hourly', 'up'],
    ]);
    const lines = emfLines(output);
    expectValidEmf(lines);
    expect(
      emfDatapoints(lines).map((point) => `${point.dimensions.Heartbeat} ${point.metric}=${point.value}`),
    ).toEqual([
      'nightly HeartbeatLate=0',
      'nightly HeartbeatFailed=1',
      'hourly HeartbeatLate=0',
      'hourly HeartbeatFailed=0',
    ]);
  });
});
