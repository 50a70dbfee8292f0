import { checkSecretNames, checkTemplates } from '../../../../functions/commons/config/check-templates';
import { parseConfig, resolveChecks } from '../../../../functions/commons/config/resolve-config';
import { configIssueLines } from '../../../helpers/config-issues';

const journey = {
  name: 'journey',
  variables: { auth: 'Bearer {{secrets.fromVariable}}', plain: 'x' },
  setup: [
    {
      name: 'login',
      request: { method: 'POST', url: '{{baseUrl}}/login', json: { pw: '{{secrets.fromJson}}' } },
    },
  ],
  steps: [
    {
      name: 'get',
      request: {
        url: '{{baseUrl}}/items?k={{secrets.fromUrl}}&v={{apiVersion}}',
        headers: { 'x-key': '{{secrets.fromHeader}}', authorization: '{{auth}}' },
      },
    },
  ],
  teardown: [
    { name: 'bye', request: { method: 'POST', url: '{{baseUrl}}/bye', body: 'p={{secrets.fromBody}}' } },
  ],
};

const secrets = Object.fromEntries(
  ['fromVariable', 'fromJson', 'fromUrl', 'fromHeader', 'fromBody', 'fromEnv', 'probe'].map((name) => [
    name,
    { ssm: `/shop/${name}` },
  ]),
);

describe('checkSecretNames', () => {
  it('finds every secret of a journey: variables, setup, steps, teardown, headers, bodies and used environment variables', () => {
    // Prepare
    const environment = { apiVersion: 'v2-{{secrets.fromEnv}}', unused: '{{secrets.neverUsed}}' };
    // Act
    const names = checkSecretNames(journey, environment);
    // Assess
    expect(names).toEqual(['fromBody', 'fromEnv', 'fromHeader', 'fromJson', 'fromUrl', 'fromVariable']);
  });

  it("finds a health probe's secrets in its URL and headers", () => {
    // Act
    const names = checkSecretNames({ url: '/health?k={{secrets.a}}', headers: { 'x-key': '{{secrets.b}}' } });
    // Assess
    expect(names).toEqual(['a', 'b']);
  });

  it('ignores an environment variable a check variable of the same name shadows', () => {
    // Act
    const names = checkSecretNames(
      { variables: { region: 'eu' }, steps: [{ request: { url: '/{{region}}' } }] },
      { region: '{{secrets.envRegion}}' },
    );
    // Assess
    expect(names).toEqual([]);
  });

  it('gives every template with the path the validator reports', () => {
    // Act
    const paths = checkTemplates(journey).map((item) => item.path.join('.'));
    // Assess
    expect(paths).toEqual([
      'variables.auth',
      'variables.plain',
      'setup.0.request.url',
      'setup.0.request.json',
      'steps.0.request.url',
      'steps.0.request.headers.x-key',
      'steps.0.request.headers.authorization',
      'teardown.0.request.url',
      'teardown.0.request.body',
    ]);
  });
});

describe('secrets in config validation and resolved checks', () => {
  it('lists a secret used only in check variables among the secrets the resolved check needs', () => {
    // Prepare
    const config = parseConfig({
      app: 'shop',
      environments: { prod: { baseUrl: 'https://shop.example.com' } },
      secrets: { token: { secretsManager: 'shop/token' } },
      checks: [
        {
          name: 'c',
          variables: { auth: 'Bearer {{secrets.token}}' },
          steps: [{ name: 's', request: { url: '{{baseUrl}}/x', headers: { authorization: '{{auth}}' } } }],
        },
      ],
    });
    // Act
    const [check] = resolveChecks(config);
    // Assess
    expect(check?.secrets).toEqual(['token']);
  });

  it('rejects an undeclared secret in check variables and in environment variables, with their paths', () => {
    // Act
    const lines = configIssueLines({
      app: 'shop',
      environments: {
        prod: {
          baseUrl: 'https://shop.example.com',
          variables: { key: '{{secrets.envMissing}}', other: '{{nope}}' },
        },
      },
      secrets,
      checks: [
        {
          name: 'c',
          variables: { auth: 'Bearer {{secrets.varMissing}}', typo: '{{unknownThing}}' },
          steps: [{ name: 's', request: { url: '{{baseUrl}}/x' } }],
        },
      ],
    });
    // Assess
    expect(lines).toEqual(
      expect.arrayContaining([
        "environments.prod.variables.key: unknown secret 'secrets.envMissing': declare it under 'secrets'",
        "environments.prod.variables.other: unknown variable '{{nope}}': environment variables may use only secrets and built-ins",
        "checks[0].variables.auth: unknown secret 'secrets.varMissing': declare it under 'secrets'",
        expect.stringMatching(/^checks\[0\]\.variables\.typo: unknown variable '\{\{unknownThing\}\}'/),
      ]),
    );
    expect(lines).toHaveLength(4);
  });

  it('accepts declared secrets wherever a check uses them', () => {
    // Act
    const lines = configIssueLines({
      app: 'shop',
      environments: {
        prod: { baseUrl: 'https://shop.example.com', variables: { apiVersion: '{{secrets.fromEnv}}' } },
      },
      secrets,
      checks: [
        journey,
        { type: 'health', name: 'h', url: '{{baseUrl}}/health', headers: { k: '{{secrets.probe}}' } },
      ],
    });
    // Assess
    expect(lines).toEqual([]);
  });
});
