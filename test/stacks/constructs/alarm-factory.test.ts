import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AlarmRule, AlarmState } from 'aws-cdk-lib/aws-cloudwatch';
import { AlarmFactory } from '../../../stacks/constructs/alarm-factory';
import { checkMetric } from '../../../stacks/constructs/observability/metric-sources';
import { alarmFacts } from '../../helpers/template-facts';

const metric = checkMetric({ app: 'shop', namespace: 'Vigil' }, 'login', 'CheckDuration', {
  statistic: 'Minimum',
  periodMs: 60_000,
});

const newFactory = () => {
  const stack = new Stack(new App(), 'Alarms');
  return { stack, factory: new AlarmFactory(stack, { app: 'shop' }) };
};

describe('AlarmFactory', () => {
  it('names, describes with the runbook and tags every alarm it makes', () => {
    // Prepare
    const { stack, factory } = newFactory();

    // Act
    factory.addAlarm('Login', {
      kind: 'check',
      name: 'login',
      severity: 'critical',
      team: 'web',
      description: "Synthetic check 'login' failed.",
      runbookUrl: 'https://runbooks.example.com/login',
      metric,
      threshold: 1,
      comparison: '<',
    });

    // Assess
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'shop-check-login',
      AlarmDescription: "Synthetic check 'login' failed. Runbook: https://runbooks.example.com/login",
      ComparisonOperator: 'LessThanThreshold',
    });
    expect(alarmFacts(template)['shop-check-login']?.tags).toEqual({
      'vigil:app': 'shop',
      'vigil:kind': 'check',
      'vigil:severity': 'critical',
      'vigil:team': 'web',
    });
  });

  it('applies the missing-data default of each kind unless the alarm says otherwise', () => {
    // Prepare
    const { stack, factory } = newFactory();
    const common = { severity: 'warning', team: 't', description: 'd', metric, threshold: 1 } as const;

    // Act
    factory.addAlarm('Check', { ...common, kind: 'check', name: 'a', comparison: '<' });
    factory.addAlarm('Vigil', { ...common, kind: 'vigil', name: 'b', comparison: '>=' });
    factory.addAlarm('Rule', { ...common, kind: 'rule', name: 'c', comparison: '>' });
    factory.addAlarm('Override', {
      ...common,
      kind: 'check',
      name: 'd',
      comparison: '<=',
      missingData: 'ignore',
    });

    // Assess
    const facts = alarmFacts(Template.fromStack(stack));
    expect(facts['shop-check-a']?.missing).toBe('breaching');
    expect(facts['shop-vigil-b']?.missing).toBe('notBreaching');
    expect(facts['shop-rule-c']?.missing).toBe('missing');
    expect(facts['shop-check-d']?.missing).toBe('ignore');
    expect(facts['shop-check-d']?.when).toBe('LessThanOrEqualToThreshold 1 for 1/1');
  });

  it('names an unrouted input outside the app prefix and ends names with the severity when asked', () => {
    // Prepare
    const { stack, factory } = newFactory();
    const common = { team: 't', description: 'd', metric, threshold: 1, comparison: '>' } as const;

    // Act
    const input = factory.addAlarm('Input', {
      ...common,
      kind: 'slo',
      name: 'checkout-burn-1h',
      severity: 'info',
      routed: false,
    });
    factory.addComposite('Page', {
      kind: 'slo',
      name: 'checkout-page',
      severity: 'critical',
      severityInName: true,
      team: 't',
      description: 'burning',
      alarmRule: AlarmRule.fromAlarm(input, AlarmState.ALARM),
    });

    // Assess
    const facts = alarmFacts(Template.fromStack(stack));
    expect(Object.keys(facts).sort()).toEqual([
      'shop-slo-checkout-page-critical',
      'shop.input.slo-checkout-burn-1h',
    ]);
    expect(facts['shop-slo-checkout-page-critical']?.tags['vigil:severity']).toBe('critical');
  });
});
