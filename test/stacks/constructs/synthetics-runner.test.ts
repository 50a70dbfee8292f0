import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { parseConfig, resolveChecks } from '../../../functions/commons/config/resolve-config';
import type { RunnerConfig } from '../../../functions/synthetics/types/runner-config';
import { SyntheticsRunner } from '../../../stacks/constructs/synthetics-runner';

const ACCOUNT = '123456789012';

/** Synthesizes one runner for the `prod` environment of a config. */
const synthRunner = (input: Record<string, unknown>) => {
  const config = parseConfig(input);
  const environment = config.environments.prod;
  if (environment === undefined) throw new Error('the test config needs a prod environment');
  const runnerConfig: RunnerConfig = {
    app: config.app,
    environment: 'prod',
    baseUrl: environment.baseUrl,
    variables: environment.variables,
    concurrency: config.runner.concurrency,
    metrics: config.runner.metrics,
    connections: config.runner.connections,
    location: 'us-east-1',
    secrets: config.secrets,
    checks: resolveChecks(config),
  };
  const stack = new Stack(new App(), 'Runner', { env: { account: ACCOUNT, region: 'us-east-1' } });
  new SyntheticsRunner(stack, 'Runner', { runnerConfig });
  return Template.fromStack(stack);
};

/** Every resource of the runner role's statements granting `action`. */
const grantedResources = (template: Template, action: string): string[] => {
  const policies = Object.values(template.findResources('AWS::IAM::Policy'));
  const statements = policies.flatMap(
    (policy) =>
      (policy as { Properties: { PolicyDocument: { Statement: { Action: unknown; Resource: unknown }[] } } })
        .Properties.PolicyDocument.Statement,
  );
  return statements
    .filter((statement) => [statement.Action].flat().includes(action))
    .flatMap((statement) => [statement.Resource].flat())
    .map((resource) => JSON.stringify(resource));
};

describe('SyntheticsRunner secret grants', () => {
  it('grants the secrets a check uses only in its variables and through environment variables, and no other', () => {
    // Prepare
    const template = synthRunner({
      app: 'shop',
      environments: {
        prod: {
          baseUrl: 'https://shop.example.com',
          variables: { tenant: 'acme-{{secrets.tenantKey}}', unusedVar: '{{secrets.unusedEnv}}' },
        },
      },
      secrets: {
        token: { secretsManager: 'shop/api-token' },
        tenantKey: { ssm: '/shop/tenant-key' },
        unusedEnv: { secretsManager: 'shop/unused-env' },
        unused: { secretsManager: 'shop/unused' },
      },
      checks: [
        {
          name: 'orders',
          variables: { auth: 'Bearer {{secrets.token}}' },
          steps: [
            {
              name: 'list',
              request: {
                url: '{{baseUrl}}/orders?tenant={{tenant}}',
                headers: { authorization: '{{auth}}' },
              },
            },
          ],
        },
      ],
    });
    // Act
    const secrets = grantedResources(template, 'secretsmanager:GetSecretValue');
    const parameters = grantedResources(template, 'ssm:GetParameter');
    // Assess
    expect(secrets.join('\n')).toContain('secret:shop/api-token-??????');
    expect(parameters.join('\n')).toContain('parameter/shop/tenant-key');
    expect(JSON.stringify(template.toJSON())).not.toMatch(/shop\/unused/);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Action: 'secretsmanager:GetSecretValue' })]),
      },
    });
  });
});

describe('SyntheticsRunner shards', () => {
  it('gives each shard its own Scheduler schedule invoking the runner with {schedule, shard}, a lease table, a skipped-run alarm and the X-Ray SDK http patch off', () => {
    // Prepare: 80 one-minute checks of 10 s each, 20 at a time, do not fit one invocation's minute
    const config = {
      app: 'shop',
      environments: { prod: { baseUrl: 'https://shop.example.com' } },
      checks: Array.from({ length: 80 }, (_, i) => ({
        name: `c${i}`,
        schedule: '1m',
        timeout: '10s',
        steps: [{ name: 'get', request: { url: '{{baseUrl}}/' } }],
      })),
    };

    // Act
    const template = synthRunner(config);

    // Assess
    const inputs = Object.values(template.findResources('AWS::Scheduler::Schedule')).map(
      (schedule) =>
        JSON.parse(
          (schedule as { Properties: { Target: { Input: string } } }).Properties.Target.Input,
        ) as unknown,
    );
    expect(inputs).toEqual([
      { schedule: 'every-1m', shard: 0 },
      { schedule: 'every-1m', shard: 1 },
    ]);
    // the shard's spread (25 s) and worst case (two waves of 10 s) fit the minute: the floor of 60 s; the
    // engine traces its own requests, so the X-Ray SDK's global http patch is off
    template.hasResourceProperties('AWS::Lambda::Function', {
      Timeout: 60,
      Environment: {
        Variables: Match.objectLike({
          RUN_LEASE_TABLE: Match.anyValue(),
          POWERTOOLS_TRACER_CAPTURE_HTTPS_REQUESTS: 'false',
        }),
      },
    });
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'Vigil',
      MetricName: 'SkippedRuns',
      Dimensions: [{ Name: 'App', Value: 'shop' }],
      Threshold: 1,
    });
  });
});
