import { alarmDescription } from '../../../../functions/commons/alarm-settings';
import { AWS_LIMITS } from '../../../../functions/commons/aws-limits';
import { parseConfig } from '../../../../functions/commons/config/resolve-config';
import { configIssueLines } from '../../../helpers/config-issues';

const checks = Array.from({ length: 12 }, (_, i) => ({
  name: `c${i}`,
  steps: [{ name: 'get', request: { url: '{{baseUrl}}/' } }],
}));
const base = {
  app: 'shop',
  environments: { prod: { baseUrl: 'https://shop.example.com' } },
  checks,
};
const datasources = { db: { type: 'postgres', secret: { secretsManager: 'shop/reader' } } };
const kpi = { datasource: 'db', sql: 'SELECT 1 AS v', values: ['v'], thresholds: { critical: { below: 1 } } };

const issuesOf = (extra: Record<string, unknown>) => configIssueLines({ ...base, ...extra });

describe('AWS limits at config validation', () => {
  it('rejects period x evaluationPeriods over a day for periods under an hour, and over seven days otherwise', () => {
    // Act
    const issues = issuesOf({
      datasources,
      kpis: [
        { ...kpi, name: 'short', schedule: '15m', evaluationPeriods: 100 },
        { ...kpi, name: 'long', schedule: '1d', evaluationPeriods: 8 },
        { ...kpi, name: 'fits', schedule: '1h', evaluationPeriods: 100 },
      ],
      alarms: [
        {
          type: 'queue',
          name: 'Backlog',
          queueName: 'jobs',
          metric: 'age',
          threshold: 60,
          period: '15m',
          evaluationPeriods: 97,
          datapointsToAlarm: 1,
        },
      ],
    });

    // Assess
    expect(issues).toEqual([
      "kpis[0].evaluationPeriods: KPI 'short': period (900 s) x evaluationPeriods (100) = 90,000 s; CloudWatch allows at most 86,400 s (1 day for periods under an hour)",
      "kpis[1].evaluationPeriods: KPI 'long': period (86,400 s) x evaluationPeriods (8) = 691,200 s; CloudWatch allows at most 604,800 s (7 days)",
      "alarms[0].evaluationPeriods: alarm 'Backlog': period (900 s) x evaluationPeriods (97) = 87,300 s; CloudWatch allows at most 86,400 s (1 day for periods under an hour)",
    ]);
  });

  it("rejects a check whose failure alarm's period or range CloudWatch refuses", () => {
    // Act
    const issues = configIssueLines({
      ...base,
      checks: [
        { ...checks[0], schedule: '2d' },
        { ...checks[1], schedule: '1d' },
      ],
      checkAlarms: { failuresToAlarm: 2, outOf: 8 },
    });

    // Assess
    expect(issues).toEqual([
      "checks[0].schedule: the failure alarm of check 'c0' (failWhen: 2 of the last 8 runs): its alarm period is 172,800 s; CloudWatch alarm periods are at most 86,400 s (1d)",
      "checks[1].schedule: the failure alarm of check 'c1' (failWhen: 2 of the last 8 runs): period (86,400 s) x evaluationPeriods (8) = 691,200 s; CloudWatch allows at most 604,800 s (7 days)",
    ]);
  });

  it('rejects a serviceDown alarm over more checks than one metric-math alarm may retrieve', () => {
    // Act
    const over = issuesOf({
      alarms: [{ type: 'serviceDown', name: 'Down', checks: checks.slice(0, 11).map((c) => c.name) }],
    });
    const at = issuesOf({
      alarms: [{ type: 'serviceDown', name: 'Down', checks: checks.slice(0, 10).map((c) => c.name) }],
    });

    // Assess
    expect(over).toEqual([
      'alarms[0].checks: a serviceDown alarm over 11 checks needs 11 metrics; a CloudWatch metric-math alarm retrieves at most 10: split it into several serviceDown alarms',
    ]);
    expect(at).toEqual([]);
  });

  it('rejects a description and runbook URL that would not fit an alarm description', () => {
    // Prepare
    const runbookUrl = `https://runbooks.example.com/${'r'.repeat(300)}`;
    const description = 'd'.repeat(600);

    // Act
    const issues = issuesOf({
      checks: [{ ...checks[0], description, runbookUrl }],
      datasources,
      kpis: [{ ...kpi, name: 'k', runbookUrl: `https://runbooks.example.com/${'k'.repeat(800)}` }],
      alarms: [
        {
          type: 'lambda',
          name: 'Errs',
          functionName: 'f',
          metric: 'errors',
          threshold: 1,
          description,
          runbookUrl,
        },
      ],
    });

    // Assess
    expect(issues).toEqual([
      'checks[0].description: description and runbookUrl take 929 characters; CloudWatch alarm descriptions hold 1,024 characters, of which Vigil keeps 224 for what fired: keep both within 800 characters',
      'kpis[0].runbookUrl: description and runbookUrl take 829 characters; CloudWatch alarm descriptions hold 1,024 characters, of which Vigil keeps 224 for what fired: keep both within 800 characters',
      'alarms[0].description: description and runbookUrl take 929 characters; CloudWatch alarm descriptions hold 1,024 characters, of which Vigil keeps 224 for what fired: keep both within 800 characters',
    ]);
  });

  it('composes descriptions within 1,024 characters, cutting the text and keeping the runbook URL whole', () => {
    // Prepare
    const runbook = `https://runbooks.example.com/${'x'.repeat(100)}`;

    // Act
    const description = alarmDescription('t'.repeat(2_000), runbook);

    // Assess
    expect(description).toHaveLength(AWS_LIMITS.alarmDescription);
    expect(description.endsWith(`... Runbook: ${runbook}`)).toBe(true);
    expect(alarmDescription('short', runbook)).toBe(`short Runbook: ${runbook}`);
  });

  it('rejects an app name that cannot name stacks, schedule groups or dashboards', () => {
    // Act
    const dotted = configIssueLines({ ...base, app: 'shop.eu' });
    const long = configIssueLines({ ...base, app: `a${'b'.repeat(50)}` });

    // Assess
    expect(dotted).toEqual([
      "app: 'shop.eu' cannot name CloudFormation stacks (a letter, then letters, digits and '-') or CloudWatch dashboards (letters, digits, '-' and '_'): use e.g. 'shop-eu'",
    ]);
    expect(long).toEqual([
      `app: 'a${'b'.repeat(50)}' is 51 characters; at most 47, so '<app>-synthetics' and '<app>-kpis' stay within EventBridge Scheduler's 64-character schedule group names and '<app>-control-tower-2' within CloudWatch's dashboard names`,
    ]);
  });

  it('rejects suppressors whose composite rule would pass 10,240 characters', () => {
    // Prepare: 60 suppressors named at 100 characters each
    const name = (i: number) => `S${String(i).padStart(3, '0')}${'x'.repeat(96)}`;
    const suppressors = Array.from({ length: 60 }, (_, i) => ({
      type: 'lambda',
      name: name(i),
      functionName: 'f',
      metric: 'errors',
      threshold: 1,
    }));

    // Act
    const issues = issuesOf({
      alarms: [
        ...suppressors,
        {
          type: 'lambda',
          name: 'Dependent',
          functionName: 'g',
          metric: 'errors',
          threshold: 1,
          suppressedBy: suppressors.map((s) => s.name),
        },
      ],
    });

    // Assess
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(
      /^alarms\[60\]\.suppressedBy: the composite alarm ORing 60 suppressors has a rule of up to 1[0-9],[0-9]{3} characters; CloudWatch composite alarm rules hold 10,240 characters/,
    );
  });

  it('rejects error-tracking log groups whose labels collide or whose alarm names would pass 255 characters', () => {
    // Act
    const issues = configIssueLines({
      ...base,
      app: 'shop-observability-platform-europe',
      errorTracking: {
        logGroups: ['/aws/lambda/a', 'aws/lambda/a', `/aws/${'l'.repeat(240)}`, `/aws/${'m'.repeat(150)}`],
      },
    });

    // Assess
    expect(issues).toEqual([
      "errorTracking.logGroups[1]: log group 'aws/lambda/a' gets the metric and alarm label 'aws-lambda-a', like errorTracking.logGroups[0]: watch each log group once",
      `errorTracking.logGroups[2]: its alarm 'shop-observability-platform-europe-rule-errors-rising-aws-${'l'.repeat(196)}-<severity>' would be 263 characters; CloudWatch alarm names hold 255: watch a log group with a shorter name`,
    ]);
  });

  it('rejects a host whose certificate alarm names would pass 255 characters, where the config names it', () => {
    // Prepare: a legal DNS name of 247 characters (four 60-character labels)
    const host = `${Array.from({ length: 4 }, () => 'a'.repeat(60)).join('.')}.com`;
    const config = {
      app: 'shop',
      environments: { prod: { baseUrl: `https://${host}` } },
      checks: [
        { name: 'home', steps: [{ name: 'get', request: { url: '{{baseUrl}}/' } }] },
        { name: 'api', steps: [{ name: 'get', request: { url: `https://${host}/health` } }] },
        { type: 'tls', name: 'cert', host },
        { type: 'tcp', name: 'plain', host, port: 25 },
      ],
    };
    const message = `the certificate alarms of host '${host}' ('shop-check-certificate-<host>-<severity>') would be 279 characters; CloudWatch alarm names hold 255: use a shorter app name or turn certificate alarms off (checkAlarms.certificate: false)`;

    // Act
    const issues = configIssueLines(config);
    const off = configIssueLines({ ...config, checkAlarms: { certificate: false } });

    // Assess: the base URL, the step URL and the tls check; not the plain tcp check (no certificate)
    expect(issues).toEqual([
      `checks[1].steps[0].request.url: ${message}`,
      `checks[2].host: ${message}`,
      `environments.prod.baseUrl: ${message}`,
    ]);
    expect(off).toEqual([]);
  });

  it('accepts log groups declared external (a name) or created on request', () => {
    // Act
    const config = parseConfig({
      ...base,
      errorTracking: { logGroups: ['/aws/lambda/existing', { name: '/aws/lambda/new', create: true }] },
    });

    // Assess
    expect(config.errorTracking.logGroups).toEqual([
      '/aws/lambda/existing',
      { name: '/aws/lambda/new', create: true },
    ]);
  });
});
