import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDuration } from '../../../../functions/commons/config/duration';
import { ConfigValidationError } from '../../../../functions/commons/config/errors';
import { loadConfig } from '../../../../functions/commons/config/load-config';
import { parseConfig, resolveChecks } from '../../../../functions/commons/config/resolve-config';
import { resolveSchedule } from '../../../../functions/commons/config/schedule';
import { renderConfigJsonSchema } from '../../../../scripts/generate-schema';
import { configIssues } from '../../../helpers/config-issues';

const minimal = (extra: Record<string, unknown> = {}) => ({
  app: 'shop',
  environments: { local: { baseUrl: 'http://127.0.0.1:4010' } },
  ...extra,
});

const issuesOf = (input: unknown) => {
  const issues = configIssues(input);
  if (issues.length === 0) throw new Error('expected the config to be invalid');
  return issues;
};

describe('parseConfig', () => {
  it('accepts the demo config at the repo root', () => {
    // Act
    const { config } = loadConfig(join(__dirname, '../../../../vigil.config.ts'));
    // Assess
    expect(config.app).toBe('flight-booking');
    expect(config.checks.map((check) => check.name)).toEqual([
      'health_live',
      'health_ready',
      'health_startup',
      'flight_search',
      'user_registration',
      'booking_creation',
    ]);
  });

  it('reports every problem at once, each with its path', () => {
    // Prepare
    const input = minimal({
      checks: [
        { name: 'ok', steps: [{ name: 's', request: { url: '{{baseUrl}}/' } }] },
        {
          name: 'bad',
          schedule: '30s',
          steps: [
            {
              name: 's1',
              request: { url: '{{baseUrl}}/{{flightId}}' },
              assert: [
                { type: 'status', value: 200 },
                { type: 'jsonPath', path: 'flights', op: '>' },
              ],
            },
          ],
        },
        { name: 'ok', type: 'health', url: '{{baseUrl}}/health', timeout: 'soon' },
      ],
    });
    // Act
    const issues = issuesOf(input);
    // Assess
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: 'checks[1].steps[0].assert[1].path', message: expect.stringContaining("start with '$'") },
        { path: 'checks[2].timeout', message: expect.stringContaining("invalid duration 'soon'") },
      ]),
    );
    expect(issues.length).toBeGreaterThanOrEqual(2);
  });

  it('reports semantic problems: duplicates, unknown groups, variables, secrets and schedules', () => {
    // Prepare
    const input = minimal({
      checks: [
        {
          name: 'a',
          group: 'nope',
          schedule: '30s',
          steps: [{ name: 's', request: { url: '{{baseUrl}}/{{flightId}}' } }],
        },
        { name: 'a', type: 'health', url: '{{baseUrl}}/x', headers: { 'x-key': '{{secrets.missing}}' } },
      ],
    });
    // Act
    const issues = issuesOf(input);
    // Assess
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: 'checks[0].group', message: "unknown check group 'nope'" },
        { path: 'checks[0].schedule', message: expect.stringContaining("at least '1m'") },
        {
          path: 'checks[0].steps[0].request.url',
          message: expect.stringContaining("unknown variable '{{flightId}}'"),
        },
        { path: 'checks[1].name', message: "duplicate check name 'a'" },
        {
          path: 'checks[1].headers["x-key"]',
          message: expect.stringContaining("unknown secret 'secrets.missing'"),
        },
      ]),
    );
  });

  it('names the file in the error message and lists every problem on its own line', () => {
    // Act
    const act = () => parseConfig({ app: 'bad name!', environments: {} }, 'vigil.config.json');
    // Assess
    expect(act).toThrow(ConfigValidationError);
    expect(act).toThrow(/vigil\.config\.json is invalid \(2 problems\):\n {2}app: .*\n {2}environments: /);
  });

  it('lets a variable extracted by an earlier step be used by later steps', () => {
    // Prepare
    const input = minimal({
      checks: [
        {
          name: 'journey',
          steps: [
            {
              name: 'one',
              request: { url: '{{baseUrl}}/a' },
              extract: [{ name: 'id', from: 'json', path: '$.id' }],
            },
            { name: 'two', request: { url: '{{baseUrl}}/b/{{id}}' } },
          ],
        },
      ],
    });
    // Act + Assess
    expect(() => parseConfig(input)).not.toThrow();
  });
});

describe('resolveChecks', () => {
  it('applies check > group > defaults > built-in inheritance and converts durations to ms', () => {
    // Prepare
    const config = parseConfig(
      minimal({
        defaults: { schedule: '5m', team: 'platform', stepTimeout: '3s' },
        checkGroups: [{ name: 'paths', severity: 'critical', schedule: '1m' }],
        checks: [
          {
            name: 'a',
            group: 'paths',
            team: 'payments',
            steps: [{ name: 's', request: { url: '{{baseUrl}}/' } }],
          },
          { name: 'b', steps: [{ name: 's', timeout: '750ms', request: { url: '{{baseUrl}}/' } }] },
        ],
      }),
    );
    // Act
    const [a, b] = resolveChecks(config);
    // Assess
    expect(a).toMatchObject({ severity: 'critical', team: 'payments', schedule: { key: 'every-1m' } });
    expect(a?.steps[0]?.timeoutMs).toBe(3000);
    expect(b).toMatchObject({
      severity: 'warning',
      team: 'platform',
      schedule: { expression: 'rate(5 minutes)' },
    });
    expect(b?.steps[0]?.timeoutMs).toBe(750);
    expect(b?.retry.maxAttempts).toBe(1);
  });

  it('expands a health probe into a status and dependency assertion', () => {
    // Prepare
    const config = parseConfig(
      minimal({ checks: [{ type: 'health', name: 'ready', url: '{{baseUrl}}/health/ready' }] }),
    );
    // Act
    const [ready] = resolveChecks(config);
    // Assess
    expect(ready?.steps[0]?.assert).toEqual([
      { type: 'status', op: 'equals', value: 200 },
      expect.objectContaining({ type: 'dependencies', required: false }),
    ]);
  });

  it('serialises json bodies and records which secrets a check needs', () => {
    // Prepare
    const config = parseConfig(
      minimal({
        secrets: { token: { secretsManager: 'shop/token' } },
        checks: [
          {
            name: 'a',
            steps: [
              {
                name: 's',
                request: {
                  method: 'POST',
                  url: '{{baseUrl}}/',
                  headers: { authorization: 'Bearer {{secrets.token}}' },
                  json: { a: 1 },
                },
              },
            ],
          },
        ],
      }),
    );
    // Act
    const [check] = resolveChecks(config);
    // Assess
    expect(check?.steps[0]?.request).toEqual({
      method: 'POST',
      url: '{{baseUrl}}/',
      headers: { authorization: 'Bearer {{secrets.token}}', 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    expect(check?.secrets).toEqual(['token']);
  });
});

describe('schedules and durations', () => {
  it.each([
    ['1m', 'rate(1 minute)', 'every-1m'],
    ['5m', 'rate(5 minutes)', 'every-5m'],
    ['2h', 'rate(2 hours)', 'every-2h'],
    ['90m', 'rate(90 minutes)', 'every-90m'],
  ])('turns %s into %s', (input, expression, key) => {
    expect(resolveSchedule(input)).toMatchObject({ expression, key });
  });

  it('accepts six-field EventBridge cron and rejects five-field cron', () => {
    expect(resolveSchedule({ cron: '0/5 * * * ? *' })).toMatchObject({ expression: 'cron(0/5 * * * ? *)' });
    expect(resolveSchedule({ cron: '*/5 * * * *' })).toEqual({
      error: expect.stringContaining('six fields'),
    });
  });

  it('parses durations with units and rejects bare text', () => {
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration('30d')).toBe(2_592_000_000);
    expect(parseDuration('fast')).toBeUndefined();
  });
});

describe('JSON Schema', () => {
  it('is generated from the zod schema and committed up to date (npm run schema)', () => {
    // Act
    const committed = readFileSync(join(__dirname, '../../../../schema/vigil.schema.json'), 'utf8');
    // Assess
    expect(committed).toBe(renderConfigJsonSchema());
  });
});
