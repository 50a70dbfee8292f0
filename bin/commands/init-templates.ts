/** What `vigil init` asks for (or takes from flags). */
export interface InitAnswers {
  /** The app name: prefixes every stack and alarm. */
  readonly app: string;
  /** The URL the health check requests; its origin becomes the environments' `baseUrl`. */
  readonly url: string;
  /** The AWS region checks run from and Vigil deploys to. */
  readonly region: string;
}

/** Versions the scaffolded package.json depends on: the package's own and its CDK/tooling ranges. */
export interface InitVersions {
  readonly packageName: string;
  readonly packageVersion: string;
  /** Ranges by dependency name, taken from the package's own package.json (one home). */
  readonly ranges: Readonly<Record<string, string>>;
}

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

const range = (versions: InitVersions, name: string): string => {
  const value = versions.ranges[name];
  if (value === undefined)
    throw new Error(`init: no version range for '${name}' in the package's package.json`);
  return value;
};

const packageJson = (answers: InitAnswers, versions: InitVersions): string =>
  json({
    name: `${answers.app}-monitoring`,
    private: true,
    description: `Vigil synthetic checks, alarms and escalation for ${answers.app}`,
    engines: { node: '>=22' },
    scripts: {
      validate: 'vigil validate',
      check: 'vigil check',
      typecheck: 'tsc --noEmit',
      synth: 'cdk synth --quiet',
      deploy: 'cdk deploy --all',
    },
    dependencies: {
      [versions.packageName]: `^${versions.packageVersion}`,
      'aws-cdk-lib': range(versions, 'aws-cdk-lib'),
      'cdk-nag': range(versions, 'cdk-nag'),
      constructs: range(versions, 'constructs'),
    },
    devDependencies: {
      '@types/node': range(versions, '@types/node'),
      'aws-cdk': range(versions, 'aws-cdk'),
      tsx: range(versions, 'tsx'),
      typescript: range(versions, 'typescript'),
    },
  });

const cdkJson = (): string =>
  json({
    app: 'npx tsx bin/app.ts',
    watch: { include: ['bin/**', 'vigil.config.ts'], exclude: ['node_modules', 'cdk.out'] },
    context: {
      '@aws-cdk/core:checkSecretUsage': true,
      '@aws-cdk/core:target-partitions': ['aws', 'aws-cn'],
      '@aws-cdk/aws-iam:minimizePolicies': true,
      '@aws-cdk/aws-lambda-nodejs:useLatestRuntimeVersion': true,
    },
  });

const tsconfigJson = (): string =>
  json({
    compilerOptions: {
      target: 'ES2022',
      lib: ['ES2023'],
      module: 'preserve',
      moduleResolution: 'bundler',
      types: ['node'],
      strict: true,
      skipLibCheck: true,
      noEmit: true,
    },
    include: ['bin', 'vigil.config.ts'],
  });

const appTs = (versions: InitVersions): string => `import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { addVigil } from '${versions.packageName}/cdk';
import { config } from '../vigil.config';

// Vigil's stacks beside any stacks of your own; cdk-nag errors fail \`cdk synth\`.
// \`cdk deploy --all -c env=prod\` picks the environment the deployed checks target.
const app = new App();
addVigil(app, { config, environment: app.node.tryGetContext('env') ?? 'prod' });
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
`;

const configTs = (answers: InitAnswers, versions: InitVersions): string => {
  const url = new URL(answers.url);
  const baseUrl = JSON.stringify(url.origin);
  const checkUrl = JSON.stringify(`{{baseUrl}}${url.pathname}${url.search}`);
  return `import { defineConfig } from '${versions.packageName}';

/**
 * ${answers.app}'s checks, alarms and on-call escalation. \`npx vigil validate\` checks this file,
 * \`npx vigil check --env staging\` runs the checks once from here.
 */
export const config = defineConfig({
  app: ${JSON.stringify(answers.app)},
  environments: {
    staging: { baseUrl: ${baseUrl} },
    prod: { baseUrl: ${baseUrl} },
  },
  deploy: { environment: 'prod', region: ${JSON.stringify(answers.region)} },
  defaults: { locations: [${JSON.stringify(answers.region)}], team: 'oncall' },
  checks: [
    {
      type: 'health',
      name: 'health',
      description: 'The service answers its health endpoint',
      url: ${checkUrl},
      schedule: '1m',
      severity: 'critical',
    },
  ],
  // The seeds' escalation matrix: critical -> Slack + PagerDuty at once, SMS after 5 min, email after
  // 15 min; warning -> Slack, email after 30 min, in business hours only; info -> Slack. Create the two
  // secrets in Secrets Manager and put your own numbers and addresses here.
  channels: {
    'oncall-slack': { type: 'slack', webhook: { secretsManager: '${answers.app}/slack-oncall-webhook' } },
    'oncall-pagerduty': {
      type: 'pagerduty',
      routingKey: { secretsManager: '${answers.app}/pagerduty-routing-key' },
      fallback: 'oncall-sms',
    },
    'oncall-sms': { type: 'sms', phoneNumbers: ['+15555550100'] },
    'oncall-email': { type: 'email', addresses: ['oncall@example.com'] },
  },
  escalation: {
    critical: {
      levels: [
        { after: '0s', channels: ['oncall-slack', 'oncall-pagerduty'] },
        { after: '5m', channels: ['oncall-sms'] },
        { after: '15m', channels: ['oncall-email'] },
      ],
    },
    warning: {
      businessHoursOnly: true,
      levels: [
        { after: '0s', channels: ['oncall-slack'] },
        { after: '30m', channels: ['oncall-email'] },
      ],
    },
    info: { levels: [{ after: '0s', channels: ['oncall-slack'] }] },
  },
  businessHours: {
    timezone: 'UTC',
    schedule: { mon: '09:00-17:30', tue: '09:00-17:30', wed: '09:00-17:30', thu: '09:00-17:30', fri: '09:00-17:30' },
  },
});
`;
};

const gitignore = (): string =>
  ['node_modules/', 'cdk.out/', 'cdk.context.json', '.vigil/', '*.log', ''].join('\n');

const workflow = (
  answers: InitAnswers,
): string => `# Vigil's checks as code: pull requests are validated, synthesized (cdk-nag fails it) and run against
# staging; main is deployed through GitHub's OIDC role (no long-lived keys), then smoke-checked in prod.
name: vigil

on:
  pull_request:
  push:
    branches: [main]

permissions:
  contents: read

concurrency:
  group: vigil-\${{ github.ref }}
  cancel-in-progress: false

jobs:
  verify:
    if: github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    timeout-minutes: 20
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 24
          cache: npm
      - name: Install
        run: npm ci
      - name: Validate the config
        run: npx vigil validate
      - name: Type-check
        run: npx tsc --noEmit
      - name: Synthesize (cdk-nag errors fail it)
        run: npx cdk synth --quiet
      - name: Run the checks against staging
        run: npx vigil check --env staging
      - name: Audit dependencies (fails on critical)
        run: npm audit --audit-level=critical

  deploy:
    if: github.event_name == 'push' && github.ref == 'refs/heads/main'
    runs-on: ubuntu-latest
    timeout-minutes: 45
    environment: production
    permissions:
      contents: read
      id-token: write
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 24
          cache: npm
      - name: Install
        run: npm ci
      - name: AWS credentials through GitHub OIDC
        uses: aws-actions/configure-aws-credentials@v4
        with:
          role-to-assume: \${{ vars.VIGIL_DEPLOY_ROLE_ARN }}
          aws-region: ${answers.region}
      - name: Deploy
        run: npx cdk deploy --all --require-approval never -c env=prod
      - name: Smoke-check prod
        run: npx vigil check --env prod
`;

const readme = (answers: InitAnswers, versions: InitVersions): string => `# ${answers.app} monitoring

Synthetic checks, alarms and on-call escalation for ${answers.app}, as code, with
[Vigil](https://www.npmjs.com/package/${versions.packageName}).

\`\`\`bash
npx vigil validate              # the config alone: every problem with its path
npx vigil check --env staging   # run the checks once from here
npx cdk deploy --all -c env=prod
\`\`\`

Edit \`vigil.config.ts\` (checks, channels, escalation); \`bin/app.ts\` adds Vigil's stacks to the CDK app,
beside any stacks of your own. \`npx vigil diff-config OLD NEW\` says what a config change does.

## CI (\`.github/workflows/vigil.yml\`)

Pull requests: install, \`vigil validate\`, type-check, \`cdk synth\` (cdk-nag errors fail it), \`vigil check
--env staging\`, \`npm audit --audit-level=critical\`. Main: \`cdk deploy\` with short-lived credentials from
GitHub's OIDC provider, then \`vigil check --env prod\`.

The deploy role (its ARN in the repository variable \`VIGIL_DEPLOY_ROLE_ARN\`):

- Trust: the OIDC provider \`token.actions.githubusercontent.com\` (audience \`sts.amazonaws.com\`), with the
  condition \`token.actions.githubusercontent.com:sub\` = \`repo:<owner>/<repo>:environment:production\`.
- Permissions: only \`sts:AssumeRole\` on the CDK bootstrap roles of the account and region
  (\`arn:aws:iam::<account>:role/cdk-hnb659fds-*-<account>-${answers.region}\`, after \`npx cdk bootstrap\`);
  CloudFormation deploys with the bootstrap execution role, so the GitHub role itself holds no other rights.
- The workflow asks for \`id-token: write\` in the deploy job only; every other job reads the repository.
`;

/**
 * The files `vigil init` writes, by path relative to the project directory: a CDK app with Vigil's stacks,
 * a config with a health check against the URL and the seeds' escalation matrix, and the CI workflow.
 *
 * @example
 * renderProject({ app: 'shop', url: 'https://shop.example.com', region: 'eu-west-1' }, versions)['vigil.config.ts'];
 */
export const renderProject = (
  answers: InitAnswers,
  versions: InitVersions,
): Readonly<Record<string, string>> => ({
  'package.json': packageJson(answers, versions),
  'cdk.json': cdkJson(),
  'tsconfig.json': tsconfigJson(),
  'bin/app.ts': appTs(versions),
  'vigil.config.ts': configTs(answers, versions),
  '.gitignore': gitignore(),
  'README.md': readme(answers, versions),
  '.github/workflows/vigil.yml': workflow(answers),
});
