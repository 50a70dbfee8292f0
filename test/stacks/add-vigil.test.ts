import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigValidationError, defineConfig } from '@vigil-oss/vigil';
import { addVigil } from '@vigil-oss/vigil/cdk';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import { AwsSolutionsChecks } from 'cdk-nag';

const configOf = (app: string) =>
  defineConfig({
    app,
    environments: { prod: { baseUrl: `https://${app}.example.com` } },
    checks: [
      { type: 'health', name: 'live', url: '{{baseUrl}}/health', schedule: '1m', locations: ['us-east-1'] },
    ],
  });

describe('addVigil in a team’s existing CDK app', () => {
  it('synthesizes beside the team’s own stack and a second Vigil app, cdk-nag clean, with no name clash', () => {
    // Prepare: the team's app with a stack of its own
    const outdir = mkdtempSync(join(tmpdir(), 'vigil-add-'));
    const app = new App({ outdir });
    const own = new Stack(app, 'ShopApi', { env: { region: 'us-east-1' } });
    new StringParameter(own, 'ApiUrl', {
      parameterName: '/shop/api-url',
      stringValue: 'https://shop.example.com',
    });
    // Act
    const shop = addVigil(app, { config: configOf('shop') });
    const blog = addVigil(app, { config: configOf('blog') });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    app.synth();
    // Assess: every stack has its own name; the team's stack holds only its own resource
    const names = app.node.children.filter(Stack.isStack).map((stack) => stack.stackName);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(
      expect.arrayContaining(['ShopApi', 'shop-synthetics-us-east-1', 'blog-synthetics-us-east-1']),
    );
    expect(shop.synthetics[0]?.stackName).toBe('shop-synthetics-us-east-1');
    expect(blog.checkAlarms[0]?.stackName).toBe('blog-check-alarms-us-east-1-1');
    const ownTemplate = Template.fromStack(own);
    expect(Object.keys(ownTemplate.toJSON().Resources)).toHaveLength(1);
    ownTemplate.hasResourceProperties('AWS::SSM::Parameter', { Name: '/shop/api-url' });
    expect(readdirSync(outdir)).toEqual(
      expect.arrayContaining(['ShopApi.template.json', 'shop-synthetics-us-east-1.template.json']),
    );
  }, 300_000);

  it('refuses an invalid config with every problem and its path, before adding any stack', () => {
    // Prepare
    const app = new App();
    const config = { ...configOf('shop'), checks: [{ type: 'health', name: 'live', schedule: 'sometimes' }] };
    // Act
    const act = () => addVigil(app, { config: config as never });
    // Assess
    expect(act).toThrow(ConfigValidationError);
    expect(act).toThrow(/checks\[0\]\.url: [\s\S]*checks\[0\]\.schedule: /);
    expect(app.node.children).toHaveLength(0);
  });
});
