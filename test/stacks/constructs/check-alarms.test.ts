import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { parseConfig, resolveChecks } from '../../../functions/commons/config/resolve-config';
import { CheckAlarms } from '../../../stacks/constructs/check-alarms';
import { alarmFacts } from '../../helpers/template-facts';

const checksOf = (checks: unknown[]) =>
  resolveChecks(
    parseConfig({
      app: 'shop',
      environments: { prod: { baseUrl: 'https://shop.example.com' } },
      checks,
    }),
  );

describe('CheckAlarms', () => {
  it('fires when N of the last M runs failed, and says so in the description', () => {
    // Prepare
    const checks = checksOf([
      {
        name: 'login',
        schedule: '5m',
        failWhen: { failures: 2, outOf: 5 },
        steps: [{ name: 'home', request: { url: '{{baseUrl}}/' } }],
      },
    ]);
    const stack = new Stack(new App(), 'Alarms');

    // Act
    new CheckAlarms(stack, 'Checks', { app: 'shop', checks });

    // Assess
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'shop-check-login',
      AlarmDescription: "Synthetic check 'login': 2 of the last 5 runs failed.",
      MetricName: 'CheckSuccess',
      Period: 300,
      DatapointsToAlarm: 2,
      EvaluationPeriods: 5,
      TreatMissingData: 'breaching',
    });
    expect(CheckAlarms.resourcesFor(checks)).toBe(1);
  });

  it('warns and pages before a certificate a check sees expires, by the thresholds of each kind', () => {
    // Prepare: an HTTPS journey, a tls check with its own thresholds, a plain-HTTP check
    const checks = checksOf([
      { name: 'shop', steps: [{ name: 'home', request: { url: 'https://shop.example.com/' } }] },
      {
        type: 'tls',
        name: 'api_cert',
        host: 'api.example.com',
        daysBeforeExpiry: { warning: 30, critical: 10 },
      },
      { name: 'intranet', steps: [{ name: 'home', request: { url: 'http://10.0.0.1/' } }] },
    ]);
    const stack = new Stack(new App(), 'Alarms');

    // Act
    new CheckAlarms(stack, 'Checks', { app: 'shop', checks });

    // Assess
    const template = Template.fromStack(stack);
    const facts = alarmFacts(template);
    const certificate = Object.entries(facts)
      .filter(([name]) => name.includes('-certificate-'))
      .map(([name, fact]) => [name, fact.on, fact.when, fact.tags['vigil:severity']]);
    expect(certificate.sort()).toEqual([
      [
        'shop-check-api_cert-certificate-critical',
        'Vigil/CertificateDaysToExpiry',
        'LessThanThreshold 10 for 1/1',
        'critical',
      ],
      [
        'shop-check-api_cert-certificate-warning',
        'Vigil/CertificateDaysToExpiry',
        'LessThanThreshold 30 for 1/1',
        'warning',
      ],
      [
        'shop-check-shop-certificate-critical',
        'Vigil/CertificateDaysToExpiry',
        'LessThanThreshold 7 for 1/1',
        'critical',
      ],
      [
        'shop-check-shop-certificate-warning',
        'Vigil/CertificateDaysToExpiry',
        'LessThanThreshold 14 for 1/1',
        'warning',
      ],
    ]);
    expect(facts['shop-check-shop-certificate-warning']?.missing).toBe('notBreaching');
    template.resourceCountIs('AWS::CloudWatch::Alarm', CheckAlarms.resourcesFor(checks));
    expect(CheckAlarms.resourcesFor(checks)).toBe(3 + 4);
  });

  it('makes no certificate alarms when they are turned off', () => {
    // Prepare
    const checks = checksOf([
      { name: 'shop', steps: [{ name: 'home', request: { url: 'https://shop.example.com/' } }] },
    ]);
    const stack = new Stack(new App(), 'Alarms');
    // Act
    new CheckAlarms(stack, 'Checks', { app: 'shop', checks, certificate: false });
    // Assess
    Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::Alarm', 1);
    expect(CheckAlarms.resourcesFor(checks, { certificate: false })).toBe(1);
  });
});
