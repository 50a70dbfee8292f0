import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkCommand } from '../../../bin/commands/check-command';
import { createEmfWriter } from '../../../functions/commons/metrics';
import { publishCheckMetrics } from '../../../functions/synthetics/adapters/emf-publisher';
import type { CheckResult } from '../../../functions/synthetics/types/results';
import { recordingIO } from '../../helpers/cli-io';
import { startTestServer, type TestServer } from '../../helpers/http/test-server';

/** Tokens without digits, so only redaction by value (not by shape) can catch the first two. */
const SECRET_TOKEN = 'sEcReTtOkEnFrOmTheStOrE';
const LOGIN_TOKEN = 'LoGiNtOkEnFrOmTheSeRvEr';
const RESPONSE_TOKEN = 'ReSpOnSeOnLyAcCeSsToKeN';
const TOKENS = [SECRET_TOKEN, LOGIN_TOKEN, RESPONSE_TOKEN];

/** Every line a Lambda would log for these results (EMF records with step details). */
const loggedLines = (results: readonly CheckResult[]): string => {
  const lines: string[] = [];
  const metrics = createEmfWriter({
    namespace: 'Vigil/Test',
    defaultDimensions: { service: 'shop' },
    sink: (line) => lines.push(`${line}\n`),
  });
  for (const result of results) publishCheckMetrics(metrics, result, 'detailed');
  return lines.join('');
};

describe('vigil check redaction', () => {
  let server: TestServer;
  let configFile: string;
  beforeAll(async () => {
    server = await startTestServer({
      // Echoes the credential it was sent, and carries a token of its own under a well-known key.
      '/account': (request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({
            plan: 'free',
            received: request.headers.authorization,
            access_token: RESPONSE_TOKEN,
          }),
        );
      },
      'POST /login': { body: { jwt: LOGIN_TOKEN, user: 'ann' } },
      '/me': (request, response) => {
        response.writeHead(200, { 'content-type': 'text/plain' });
        response.end(`you are ${String(request.headers['x-user'])} at ${request.url}`);
      },
    });
    const dir = mkdtempSync(join(tmpdir(), 'vigil-redaction-'));
    configFile = join(dir, 'vigil.config.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        app: 'shop',
        environments: { local: { baseUrl: server.url } },
        secrets: { apiToken: { secretsManager: 'shop/api-token' } },
        checks: [
          {
            name: 'account',
            variables: { auth: 'Bearer {{secrets.apiToken}}' },
            steps: [
              {
                name: 'plan',
                request: { url: '{{baseUrl}}/account', headers: { authorization: '{{auth}}' } },
                assert: [{ type: 'body', op: 'contains', value: 'premium' }],
              },
            ],
          },
          {
            name: 'login_journey',
            setup: [
              {
                name: 'login',
                request: { method: 'POST', url: '{{baseUrl}}/login', json: { user: 'ann' } },
                extract: [{ name: 'loginValue', from: 'json', path: '$.jwt' }],
                assert: [{ type: 'body', op: 'contains', value: 'jwt' }],
              },
            ],
            steps: [
              {
                name: 'me',
                request: {
                  url: '{{baseUrl}}/me?who={{loginValue}}',
                  headers: { 'x-user': '{{loginValue}}' },
                },
                assert: [{ type: 'body', op: 'contains', value: 'admin' }],
              },
            ],
          },
        ],
      }),
    );
  });
  afterAll(async () => {
    await server.close();
  });

  const env = { VIGIL_SECRET_SHOP_API_TOKEN: SECRET_TOKEN };

  it('keeps secret, extracted-and-sent and response tokens out of the JSON results, their errors and the logs', async () => {
    // Prepare
    const { io, stdout, stderr } = recordingIO({ env });
    // Act
    const code = await checkCommand.run(['--config', configFile, '--json'], io);
    // Assess
    expect(code).toBe(1);
    expect(server.requests.find((request) => request.url === '/account')?.headers.authorization).toBe(
      `Bearer ${SECRET_TOKEN}`,
    );
    expect(server.requests.find((request) => request.url.startsWith('/me'))?.headers['x-user']).toBe(
      LOGIN_TOKEN,
    );
    const { results } = JSON.parse(stdout()) as { results: CheckResult[] };
    expect(results.map((result) => [result.name, result.status])).toEqual([
      ['account', 'failed'],
      ['login_journey', 'failed'],
    ]);
    expect(results[0]?.error).toMatch(/^plan: expected body contains 'premium', got '\{"plan":"free"/);
    const everything = `${stdout()}${stderr()}${loggedLines(results)}`;
    for (const token of TOKENS) expect(everything).not.toContain(token);
    expect(results[0]?.steps[0]?.assertions[0]?.actual).toBe(
      '{"plan":"free","received":"Bearer [REDACTED]","access_token":"[REDACTED]"}',
    );
    expect(results[1]?.error).toBe(
      "me: expected body contains 'admin', got 'you are [REDACTED] at /me?who=[REDACTED]'",
    );
  });

  it('keeps the same tokens out of the table', async () => {
    // Prepare
    const { io, stdout, stderr } = recordingIO({ env });
    // Act
    const code = await checkCommand.run(['--config', configFile], io);
    // Assess
    expect(code).toBe(1);
    expect(stdout()).toContain('FAIL  account');
    for (const token of TOKENS) expect(`${stdout()}${stderr()}`).not.toContain(token);
  });
});
