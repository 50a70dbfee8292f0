import type { Assertion } from '../../../../functions/commons/config/types';
import { runCheck } from '../../../../functions/synthetics/engine/check-runner';
import { check, step } from '../../../helpers/http/check-fixture';
import { startTestServer, type TestServer } from '../../../helpers/http/test-server';

const BODY = {
  status: 'ok',
  count: 3,
  price: '19.5',
  flights: [{ id: 'FL1' }, { id: 'FL2' }],
  tags: ['cheap', 'direct'],
  weird: { 'a.b': 1 },
  empty: null,
};

type Case = readonly [string, Assertion, boolean];

const cases: Case[] = [
  ['status equals', { type: 'status', op: 'equals', value: 200 }, true],
  ['status equals (wrong)', { type: 'status', op: 'equals', value: 201 }, false],
  ['status notEquals', { type: 'status', op: 'notEquals', value: 500 }, true],
  ['status <', { type: 'status', op: '<', value: 300 }, true],
  ['status >=', { type: 'status', op: '>=', value: 300 }, false],
  ['header equals', { type: 'header', name: 'X-Version', op: 'equals', value: '42' }, true],
  ['header equals number', { type: 'header', name: 'x-version', op: 'equals', value: 42 }, true],
  ['header contains', { type: 'header', name: 'content-type', op: 'contains', value: 'json' }, true],
  ['header notContains', { type: 'header', name: 'content-type', op: 'notContains', value: 'xml' }, true],
  ['header matches', { type: 'header', name: 'x-version', op: 'matches', value: '^\\d+$' }, true],
  ['header >', { type: 'header', name: 'x-version', op: '>', value: 41 }, true],
  ['header exists', { type: 'header', name: 'x-version', op: 'exists' }, true],
  ['header exists (absent)', { type: 'header', name: 'x-missing', op: 'exists' }, false],
  ['header notExists', { type: 'header', name: 'x-missing', op: 'notExists' }, true],
  ['header exists (an Object.prototype key)', { type: 'header', name: 'constructor', op: 'exists' }, false],
  [
    'header notExists (an Object.prototype key)',
    { type: 'header', name: 'constructor', op: 'notExists' },
    true,
  ],
  ['jsonPath equals', { type: 'jsonPath', path: '$.status', op: 'equals', value: 'ok' }, true],
  ['jsonPath equals (wrong)', { type: 'jsonPath', path: '$.status', op: 'equals', value: 'down' }, false],
  ['jsonPath notEquals', { type: 'jsonPath', path: '$.status', op: 'notEquals', value: 'down' }, true],
  ['jsonPath index', { type: 'jsonPath', path: '$.flights[1].id', op: 'equals', value: 'FL2' }, true],
  [
    'jsonPath negative index',
    { type: 'jsonPath', path: '$.flights[-1].id', op: 'equals', value: 'FL2' },
    true,
  ],
  ['jsonPath bracket name', { type: 'jsonPath', path: "$.weird['a.b']", op: 'equals', value: 1 }, true],
  ['jsonPath length', { type: 'jsonPath', path: '$.flights.length', op: 'equals', value: 2 }, true],
  [
    'jsonPath array equals',
    { type: 'jsonPath', path: '$.tags', op: 'equals', value: ['cheap', 'direct'] },
    true,
  ],
  ['jsonPath contains (array)', { type: 'jsonPath', path: '$.tags', op: 'contains', value: 'direct' }, true],
  ['jsonPath contains (string)', { type: 'jsonPath', path: '$.status', op: 'contains', value: 'o' }, true],
  ['jsonPath notContains', { type: 'jsonPath', path: '$.tags', op: 'notContains', value: 'slow' }, true],
  [
    'jsonPath notContains (present)',
    { type: 'jsonPath', path: '$.tags', op: 'notContains', value: 'cheap' },
    false,
  ],
  ['jsonPath matches', { type: 'jsonPath', path: '$.flights[0].id', op: 'matches', value: '^FL\\d$' }, true],
  ['jsonPath matches (bad regex)', { type: 'jsonPath', path: '$.status', op: 'matches', value: '(' }, false],
  ['jsonPath <', { type: 'jsonPath', path: '$.count', op: '<', value: 4 }, true],
  ['jsonPath <=', { type: 'jsonPath', path: '$.count', op: '<=', value: 3 }, true],
  ['jsonPath >', { type: 'jsonPath', path: '$.count', op: '>', value: 3 }, false],
  ['jsonPath >= numeric string', { type: 'jsonPath', path: '$.price', op: '>=', value: 19.5 }, true],
  ['jsonPath > non-number', { type: 'jsonPath', path: '$.status', op: '>', value: 1 }, false],
  [
    'jsonPath wildcard contains',
    { type: 'jsonPath', path: '$.flights[*].id', op: 'contains', value: 'FL1' },
    true,
  ],
  ['jsonPath exists', { type: 'jsonPath', path: '$.empty', op: 'exists' }, true],
  ['jsonPath exists (absent)', { type: 'jsonPath', path: '$.nope', op: 'exists' }, false],
  ['jsonPath notExists', { type: 'jsonPath', path: '$.nope.deeper', op: 'notExists' }, true],
  ['body contains', { type: 'body', op: 'contains', value: '"FL1"' }, true],
  ['body notContains', { type: 'body', op: 'notContains', value: 'error' }, true],
  ['body matches', { type: 'body', op: 'matches', value: '"count":\\s*3' }, true],
  ['body matches (no match)', { type: 'body', op: 'matches', value: 'count":\\s*9' }, false],
  ['responseTime <', { type: 'responseTime', op: '<', value: 5_000 }, true],
  ['responseTime <= (too slow)', { type: 'responseTime', op: '<=', value: 0 }, false],
  [
    'jsonSchema valid',
    {
      type: 'jsonSchema',
      schema: {
        type: 'object',
        required: ['status', 'flights'],
        properties: {
          status: { type: 'string', enum: ['ok', 'degraded'] },
          count: { type: 'integer', minimum: 1, maximum: 10 },
          flights: {
            type: 'array',
            minItems: 1,
            items: {
              type: 'object',
              required: ['id'],
              properties: { id: { type: 'string', pattern: '^FL', minLength: 3, maxLength: 5 } },
            },
          },
        },
      },
    },
    true,
  ],
  [
    'jsonSchema invalid',
    {
      type: 'jsonSchema',
      schema: { type: 'object', required: ['missing'], properties: { count: { type: 'string' } } },
    },
    false,
  ],
  ['dependencies healthy', { type: 'dependencies', path: '$.deps', healthy: ['ok'] }, true],
];

describe('assertions against a real response', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      '/data': {
        body: { ...BODY, deps: { db: 'ok', cache: { status: 'OK' } } },
        headers: { 'x-version': '42' },
      },
    });
  });
  afterAll(async () => {
    await server.close();
  });

  it.each(cases)('%s', async (_name, assertion, expected) => {
    // Prepare
    const single = check('c', [step('s', '/data', { assert: [assertion] })]);

    // Act
    const result = await runCheck(single, { baseUrl: server.url, concurrency: 1 });

    // Assess
    const outcome = result.steps[0]?.assertions[0];
    expect(outcome?.ok).toBe(expected);
    expect(result.status).toBe(expected ? 'passed' : 'failed');
    if (!expected) expect(outcome?.message).toEqual(expect.any(String));
  });

  it('reports expected and actual values and the path of schema problems', async () => {
    // Prepare
    const failing = check('c', [
      step('s', '/data', {
        assert: [
          { type: 'jsonSchema', schema: { type: 'object', properties: { count: { type: 'string' } } } },
          { type: 'header', name: 'x-version', op: 'equals', value: '7' },
        ],
      }),
    ]);

    // Act
    const result = await runCheck(failing, { baseUrl: server.url, concurrency: 1 });

    // Assess
    const [schema, header] = result.steps[0]?.assertions ?? [];
    expect(schema?.actual).toEqual(['$.count: expected string, got number']);
    expect(header).toMatchObject({
      ok: false,
      expected: '7',
      actual: '42',
      message: "expected header x-version equals '7', got '42'",
    });
  });

  it('fails a jsonPath assertion on a body that is not JSON, saying so', async () => {
    // Prepare
    server.route('/text', { body: 'plain text' });
    const single = check('c', [
      step('s', '/text', { assert: [{ type: 'jsonPath', path: '$.a', op: 'exists' }] }),
    ]);

    // Act
    const result = await runCheck(single, { baseUrl: server.url, concurrency: 1 });

    // Assess
    expect(result.error).toMatch(/^s: expected \$\.a exists, but the body is not JSON/);
  });
});
