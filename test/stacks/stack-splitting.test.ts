import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { certificateWatches } from '../../functions/commons/alarm-settings';
import { parseConfig, resolveChecks } from '../../functions/commons/config/resolve-config';
import { AlarmEventForwarder } from '../../stacks/constructs/alarm-event-forwarder';
import { CheckAlarms } from '../../stacks/constructs/check-alarms';
import { STACK_RESOURCE_BUDGET } from '../../stacks/stack-budget';
import { createVigilStacks } from '../../stacks/vigil-stacks';

/** `count` checks on a 5-minute schedule, all from eu-west-1; the escalation engine lives in us-east-1. */
const configWith = (count: number, certificates = true) =>
  parseConfig({
    app: 'split',
    environments: { prod: { baseUrl: 'https://api.example.com' } },
    deploy: { environment: 'prod', region: 'us-east-1' },
    defaults: { locations: ['eu-west-1'] },
    ...(certificates ? {} : { checkAlarms: { certificate: false } }),
    checks: Array.from({ length: count }, (_, i) => ({
      name: `check-${String(i).padStart(4, '0')}`,
      schedule: '5m',
      steps: [{ name: 'get', request: { url: `{{baseUrl}}/items/${i}` } }],
    })),
    channels: { ops: { type: 'email', addresses: ['ops@example.com'] } },
    escalation: {
      critical: { levels: [{ after: '0s', channels: ['ops'] }] },
      warning: { levels: [{ after: '0s', channels: ['ops'] }] },
      info: { levels: [{ after: '0s', channels: ['ops'] }] },
    },
  });

const resources = (template: Template): number => Object.keys(template.toJSON().Resources ?? {}).length;

describe('stack splitting by counted resources', () => {
  it('counts what the check alarms and the alarm forwarder really add', () => {
    // Prepare
    const config = configWith(3);
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    // Act
    const stacks = createVigilStacks(app, config);
    // Assess: a non-primary region's first alarm stack forwards to the engine; HTTPS checks add certificate alarms
    const template = Template.fromStack(stacks.checkAlarms[0]!);
    template.resourceCountIs('AWS::Events::Rule', 1);
    expect(resources(template)).toBe(
      CheckAlarms.resourcesFor(
        resolveChecks(config),
        certificateWatches(resolveChecks(config), {
          certificate: config.checkAlarms.certificate,
          baseUrl: 'https://api.example.com',
        }).filter((watch) => watch.location === stacks.checkAlarms[0]?.region),
      ) + AlarmEventForwarder.RESOURCES,
    );
  });

  it('fills the first check-alarm stack exactly to the budget and moves the next check to a second', () => {
    // Prepare: one check (one alarm, no certificate alarms) more than fits beside the forwarder
    const fit = STACK_RESOURCE_BUDGET - AlarmEventForwarder.RESOURCES;
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });

    // Act
    const stacks = createVigilStacks(app, configWith(fit + 1, false));

    // Assess
    expect(stacks.checkAlarms.map((stack) => stack.stackName)).toEqual([
      'split-check-alarms-eu-west-1-1',
      'split-check-alarms-eu-west-1-2',
    ]);
    const [first, second] = stacks.checkAlarms.map((stack) => Template.fromStack(stack));
    expect(resources(first!)).toBe(STACK_RESOURCE_BUDGET);
    first!.resourceCountIs('AWS::CloudWatch::Alarm', fit);
    second!.resourceCountIs('AWS::CloudWatch::Alarm', 1);
    second!.resourceCountIs('AWS::Events::Rule', 0);
  });
});
