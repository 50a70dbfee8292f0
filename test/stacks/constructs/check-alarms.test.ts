import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { certificateWatches } from '../../../functions/commons/alarm-settings';
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
  it('fires when N of the last M periods had a failed run or none (CheckDuration Minimum <= 0, missing breaching)', () => {
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
      AlarmDescription: "Synthetic check 'login': 2 of the last 5 runs failed or did not run.",
      MetricName: 'CheckDuration',
      Dimensions: [
        { Name: 'App', Value: 'shop' },
        { Name: 'Check', Value: 'login' },
      ],
      Statistic: 'Minimum',
      Threshold: 0,
      ComparisonOperator: 'LessThanOrEqualToThreshold',
      Period: 300,
      DatapointsToAlarm: 2,
      EvaluationPeriods: 5,
      TreatMissingData: 'breaching',
    });
    expect(CheckAlarms.resourcesFor(checks)).toBe(1);
  });

  it('reads CheckDuration Minimum <= 0 for a cron check, where silence between runs is normal', () => {
    // Prepare
    const checks = checksOf([
      {
        name: 'nightly',
        schedule: { cron: '0 3 * * ? *' },
        steps: [{ name: 'home', request: { url: '{{baseUrl}}/' } }],
      },
    ]);
    const stack = new Stack(new App(), 'Alarms');

    // Act
    new CheckAlarms(stack, 'Checks', { app: 'shop', checks });

    // Assess
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'shop-check-nightly',
      MetricName: 'CheckDuration',
      Statistic: 'Minimum',
      Threshold: 0,
      ComparisonOperator: 'LessThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  it('warns and pages once per host before its certificate expires, by the earliest thresholds asked', () => {
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
      { name: 'cart', steps: [{ name: 'cart', request: { url: '{{baseUrl}}/cart' } }] },
    ]);
    const stack = new Stack(new App(), 'Alarms');
    const certificates = certificateWatches(checks, { baseUrl: 'https://shop.example.com' });

    // Act
    new CheckAlarms(stack, 'Checks', { app: 'shop', checks, certificates });

    // Assess
    const template = Template.fromStack(stack);
    const facts = alarmFacts(template);
    const certificate = Object.entries(facts)
      .filter(([name]) => name.includes('-certificate-'))
      .map(([name, fact]) => [name, fact.on, fact.when, fact.tags['vigil:severity']]);
    expect(certificate.sort()).toEqual([
      [
        'shop-check-certificate-api.example.com-critical',
        'Vigil/CertificateDaysToExpiry',
        'LessThanThreshold 10 for 1/1',
        'critical',
      ],
      [
        'shop-check-certificate-api.example.com-warning',
        'Vigil/CertificateDaysToExpiry',
        'LessThanThreshold 30 for 1/1',
        'warning',
      ],
      [
        'shop-check-certificate-shop.example.com-critical',
        'Vigil/CertificateDaysToExpiry',
        'LessThanThreshold 7 for 1/1',
        'critical',
      ],
      [
        'shop-check-certificate-shop.example.com-warning',
        'Vigil/CertificateDaysToExpiry',
        'LessThanThreshold 14 for 1/1',
        'warning',
      ],
    ]);
    expect(facts['shop-check-certificate-shop.example.com-warning']?.missing).toBe('notBreaching');
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'shop-check-certificate-shop.example.com-warning',
      Dimensions: [
        { Name: 'App', Value: 'shop' },
        { Name: 'Host', Value: 'shop.example.com' },
      ],
    });
    template.resourceCountIs('AWS::CloudWatch::Alarm', CheckAlarms.resourcesFor(checks, certificates));
    expect(CheckAlarms.resourcesFor(checks, certificates)).toBe(4 + 4);
  });

  it('makes no certificate alarms when they are turned off', () => {
    // Prepare
    const checks = checksOf([
      { name: 'shop', steps: [{ name: 'home', request: { url: 'https://shop.example.com/' } }] },
    ]);
    const stack = new Stack(new App(), 'Alarms');
    // Act
    const certificates = certificateWatches(checks, { certificate: false });
    new CheckAlarms(stack, 'Checks', { app: 'shop', checks, certificates });
    // Assess
    Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::Alarm', 1);
    expect(CheckAlarms.resourcesFor(checks, certificates)).toBe(1);
  });
});
