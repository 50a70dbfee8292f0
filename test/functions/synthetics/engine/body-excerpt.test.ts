import { gzipSync } from 'node:zlib';
import { maskSensitiveFields, REDACTED } from '../../../../functions/commons/redactor';
import { BODY_EXCERPT_CHARS } from '../../../../functions/synthetics/engine/body-excerpt';
import { runCheck } from '../../../../functions/synthetics/engine/check-runner';
import { check, step } from '../../../helpers/http/check-fixture';
import { startTestServer, type TestServer } from '../../../helpers/http/test-server';

const PAYLOAD = JSON.stringify({
  access_token: 'gzTokenValue',
  items: Array.from({ length: 50 }, (_, i) => i),
});

/** True when `text` has no control characters and no undecodable bytes (U+FFFD). */
const printable = (text: string): boolean =>
  [...text].every((char) => {
    const code = char.charCodeAt(0);
    return code >= 0x20 && code !== 0x7f && code !== 0xfffd;
  });

/** The `actual` and error of a failing `body contains` assertion against `path`. */
const failedBodyAssertion = async (server: TestServer, path: string) => {
  const result = await runCheck(
    check('c', [step('s', path, { assert: [{ type: 'body', op: 'contains', value: 'never-there' }] })]),
    { baseUrl: server.url, concurrency: 1 },
  );
  return { actual: result.steps[0]?.assertions[0]?.actual, error: result.error ?? '' };
};

describe('body excerpts of failed assertions', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      '/gzip': (_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
        response.end(gzipSync(PAYLOAD));
      },
      '/gzip-unlabelled': (_request, response) => {
        response.writeHead(200, { 'content-type': 'application/octet-stream' });
        response.end(gzipSync(PAYLOAD));
      },
      '/binary': (_request, response) => {
        response.writeHead(200, { 'content-type': 'image/png' });
        response.end(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x01, 0x02]));
      },
      '/long': {
        headers: { 'content-type': 'application/json' },
        body: `{\n  "password": "hunter2hunter2",\n\n\n  "filler": "${'x'.repeat(400)}"\n}`,
      },
    });
  });
  afterAll(async () => {
    await server.close();
  });

  it('describes a gzip body instead of dumping its bytes', async () => {
    // Act
    const { actual, error } = await failedBodyAssertion(server, '/gzip');
    // Assess
    expect(actual).toMatch(/^\(gzip-encoded body, \d+ bytes, application\/json, not shown\)$/);
    expect(error).toContain('(gzip-encoded body');
  });

  it('recognises gzip bytes even without a content-encoding header, and other binary bodies', async () => {
    // Act
    const gzip = await failedBodyAssertion(server, '/gzip-unlabelled');
    const binary = await failedBodyAssertion(server, '/binary');
    // Assess
    expect(gzip.actual).toMatch(
      /^\(gzip-compressed body, \d+ bytes, application\/octet-stream, not shown\)$/,
    );
    expect(binary.actual).toBe('(binary body, 11 bytes, image/png, not shown)');
    for (const text of [gzip.error, binary.error]) expect(printable(text)).toBe(true);
  });

  it('keeps excerpts short and on one line, with credential fields masked', async () => {
    // Act
    const { actual } = await failedBodyAssertion(server, '/long');
    // Assess
    expect(typeof actual).toBe('string');
    expect(actual).toMatch(/^\{ "password": "\[REDACTED\]", "filler": "x+…$/);
    expect((actual as string).length).toBe(BODY_EXCERPT_CHARS + 1);
    expect(actual).not.toContain('hunter2');
  });

  it('says a body is not JSON without quoting it', async () => {
    // Prepare
    server.route('/html', {
      headers: { 'content-type': 'text/html' },
      body: '<html>token=HtmlSecretValue</html>',
    });
    // Act
    const result = await runCheck(
      check('c', [step('s', '/html', { assert: [{ type: 'jsonPath', path: '$.a', op: 'exists' }] })]),
      { baseUrl: server.url, concurrency: 1 },
    );
    // Assess
    expect(result.error).toBe('s: expected $.a exists, but the body is not JSON (text/html, 34 bytes)');
  });
});

describe('maskSensitiveFields', () => {
  it.each([
    ['{"access_token":"abc","user":"ann"}', `{"access_token":"${REDACTED}","user":"ann"}`],
    ['{"Password": 1234, "id": 7}', `{"Password": "${REDACTED}", "id": 7}`],
    [
      '{"data":{"api_key":"k1","client_secret":"s2"}}',
      `{"data":{"api_key":"${REDACTED}","client_secret":"${REDACTED}"}}`,
    ],
    ['{"refresh_token":"cut-off-by-the-body-ca', `{"refresh_token":"${REDACTED}"`],
    [
      'grant_type=password&password=pw1&username=ann',
      `grant_type=password&password=${REDACTED}&username=ann`,
    ],
    ['Authorization: Bearer abc123def456', `Authorization: Bearer ${REDACTED}`],
    ['id eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig-part here', `id ${REDACTED} here`],
    ['{"author":"ann","status":"ok"}', '{"author":"ann","status":"ok"}'],
  ])('masks %s', (input, expected) => {
    // Act / Assess
    expect(maskSensitiveFields(input)).toBe(expected);
  });
});

describe('JSON Schema problems', () => {
  it('quote no credential a response holds', async () => {
    // Prepare
    const server = await startTestServer({
      '/session': { body: { account: { token: 'SchemaLeakToken', data: { api_key: 'NestedKey' } } } },
    });
    try {
      const schema = {
        type: 'object',
        properties: {
          account: {
            type: 'object',
            const: { nope: 1 },
            properties: { token: { enum: ['x'] } },
          },
        },
      };
      // Act
      const result = await runCheck(
        check('c', [step('s', '/session', { assert: [{ type: 'jsonSchema', schema }] })]),
        { baseUrl: server.url, concurrency: 1 },
      );
      // Assess
      const text = JSON.stringify(result);
      expect(result.status).toBe('failed');
      expect(text).not.toContain('SchemaLeakToken');
      expect(text).not.toContain('NestedKey');
      expect(result.steps[0]?.assertions[0]?.actual).toEqual([
        `$.account: expected {"nope":1}, got {"token":"${REDACTED}","data":{"api_key":"${REDACTED}"}}`,
        `$.account.token: expected one of ["x"], got ${REDACTED}`,
      ]);
    } finally {
      await server.close();
    }
  });
});
