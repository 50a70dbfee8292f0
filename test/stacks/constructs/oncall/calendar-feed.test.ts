import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { demoEscalation } from '../../../../examples/demo-escalation';
import { parseConfig } from '../../../../functions/commons/config/resolve-config';
import { CalendarFeed } from '../../../../stacks/constructs/oncall/calendar-feed';
import { OnCallTable } from '../../../../stacks/constructs/oncall/oncall-table';
import { EscalationStack } from '../../../../stacks/escalation-stack';

const base = {
  app: 'calendars',
  environments: { prod: { baseUrl: 'https://shop.example.com' } },
  people: { alice: { name: 'Alice', timezone: 'UTC', contact: { email: 'alice@example.com' } } },
  schedules: {
    primary: {
      timezone: 'UTC',
      layers: [{ members: ['alice'], start: '2027-01-04T09:00', rotation: 'daily' }],
    },
  },
};
const config = parseConfig({
  ...base,
  calendars: { 'alice-phone': { person: 'alice' }, wall: { schedule: 'primary' } },
});

// One synthesis with real esbuild bundling and cdk-nag (which fails the synthesis on an unacknowledged finding).
let template: Template;
let stack: Stack;
let feed: CalendarFeed;
let outdir: string;

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'vigil-calendar-feed-test-'));
  const app = new App({ outdir });
  stack = new Stack(app, 'Calendars', { env: { account: '123456789012', region: 'eu-west-1' } });
  const oncall = new OnCallTable(stack, 'OnCall');
  feed = new CalendarFeed(stack, 'Feed', { config, table: oncall.table });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  app.synth();
  template = Template.fromStack(stack);
}, 240_000);

const ref = (construct: { node: { defaultChild?: unknown } }) => ({
  Ref: stack.getLogicalId(construct.node.defaultChild as never),
});

describe('CalendarFeed', () => {
  it('generates one token secret per subscriber at deploy, the token nowhere in the template', () => {
    // Assess
    template.resourceCountIs('AWS::SecretsManager::Secret', 2);
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'vigil/calendars/oncall-calendar/alice-phone',
      GenerateSecretString: { PasswordLength: 40, ExcludePunctuation: true, IncludeSpace: false },
    });
    for (const secret of Object.values(template.findResources('AWS::SecretsManager::Secret')))
      expect(secret.Properties.SecretString).toBeUndefined();
    const environment = Object.values(template.findResources('AWS::Lambda::Function'))[0]?.Properties
      .Environment.Variables;
    expect(Object.keys(environment).sort()).toEqual(
      expect.arrayContaining(['VIGIL_CALENDAR_TOKEN_SECRETS', 'VIGIL_ONCALL_TABLE_NAME']),
    );
    expect(JSON.stringify(environment)).not.toMatch(/SecretString|secretsmanager:GetSecretValue/);
  });

  it('bundles the people, schedules and subscribers beside the handler, nothing else of the config', () => {
    // Prepare
    const asset = readdirAsset();
    // Act
    const bundled = JSON.parse(readFileSync(join(asset, 'oncall-config.json'), 'utf8'));
    // Assess
    expect(Object.keys(bundled).sort()).toEqual(['calendars', 'people', 'schedules']);
    expect(bundled.calendars).toEqual(config.calendars);
  });

  it('lets the function read its token secrets and query the overrides table, nothing more', () => {
    // Assess
    const policies = template.findResources('AWS::IAM::Policy', {
      Properties: { Roles: [ref(feed.function.role as never)] },
    });
    const statements = Object.values(policies).flatMap(
      (policy) => policy.Properties.PolicyDocument.Statement as { Action: unknown; Resource: unknown }[],
    );
    const actions = statements.flatMap((statement) => [statement.Action].flat()).sort();
    expect(actions).toEqual(
      [
        'dynamodb:Query',
        'secretsmanager:GetSecretValue',
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
      ].sort(),
    );
    const secretStatement = statements.find(
      (statement) => statement.Action === 'secretsmanager:GetSecretValue',
    );
    expect(secretStatement?.Resource).toEqual([ref(feed.tokens['alice-phone']!), ref(feed.tokens.wall!)]);
  });

  it('serves a public Function URL with capped concurrency and outputs its address', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'NONE' });
    template.hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: 5 });
    template.hasOutput('*', { Value: { 'Fn::GetAtt': [Match.anyValue(), 'FunctionUrl'] } });
  });

  it('is created by the escalation stack only when the config has calendar subscribers', () => {
    // Prepare
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const env = { account: '123456789012', region: 'eu-west-1' };
    // Act
    const without = new EscalationStack(app, 'Without', {
      env,
      config: parseConfig({ ...demoEscalation, ...base }),
    });
    const withCalendars = new EscalationStack(app, 'With', {
      env,
      config: parseConfig({ ...demoEscalation, ...base, calendars: config.calendars }),
    });
    // Assess
    const urls = (inStack: Stack) =>
      Object.keys(Template.fromStack(inStack).findResources('AWS::Lambda::Url'));
    expect(urls(withCalendars).length - urls(without).length).toBe(1);
    expect(urls(withCalendars).filter((id) => id.startsWith('OnCallCalendars'))).toHaveLength(1);
  });
});

/** The directory of the feed function's bundled asset in the cloud assembly (the only function asset). */
const readdirAsset = (): string => {
  const assets = readdirSync(outdir).filter((name) => existsSync(join(outdir, name, 'index.js')));
  expect(assets).toHaveLength(1);
  return join(outdir, assets[0]!);
};
