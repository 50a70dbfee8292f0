import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { GraphWidget, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { demoObservability } from '../../../examples/demo-observability';
import { logGroupLabel } from '../../../functions/commons/alarm-naming';
import { loadConfig } from '../../../functions/commons/config/load-config';
import { parseConfig } from '../../../functions/commons/config/resolve-config';
import { paginate, widgetMetricCount } from '../../../stacks/constructs/observability/dashboard-splitter';
import { RuleAlarms } from '../../../stacks/constructs/observability/rule-alarms';
import { SloAlarms } from '../../../stacks/constructs/observability/slo-alarms';
import { ObservabilityAlarmsStack } from '../../../stacks/observability-alarms-stack';
import { createObservabilityStacks } from '../../../stacks/observability-stacks';
import { cfnLint } from '../../helpers/synth-vigil';
import {
  type AlarmFacts,
  alarmFacts,
  iamGrants,
  resourceCounts,
  resourcesOfType,
} from '../../helpers/template-facts';
import { type SynthesizedObservability, synthObservability } from './synth-observability';

const { $schema: _schema, ...demoBase } = loadConfig(join(__dirname, '../../../vigil.config.ts'))
  .config as Record<string, unknown>;
const demo = parseConfig({ ...demoBase, ...demoObservability });

const minimal = (extra: Record<string, unknown> = {}) =>
  parseConfig({
    app: 'shop',
    environments: { prod: { baseUrl: 'https://shop.example.com' } },
    checks: [{ name: 'home', steps: [{ name: 'get', request: { url: '{{baseUrl}}/' } }] }],
    ...extra,
  });

describe('observability of the demo config', () => {
  let synth: SynthesizedObservability;
  let alarms: Template;
  beforeAll(() => {
    synth = synthObservability(demo);
    alarms = Template.fromStack(synth.stacks.alarms[0]!);
  });

  it('synthesizes with cdk-nag and passes cfn-lint on every template', async () => {
    // Act
    const { code, output } = await cfnLint(synth.templates);
    // Assess
    expect(output).toBe('');
    expect(code).toBe(0);
    expect(synth.stacks.all.map((stack) => stack.stackName)).toEqual([
      'flight-booking-check-degraded-eu-west-1-1',
      'flight-booking-check-degraded-us-east-1-1',
      'flight-booking-observability-alarms-1',
      'flight-booking-observability',
    ]);
  });

  it('alarms ServiceDown on the worst CheckDuration of the health checks (a failed run or no run = 0), missing data breaching, tagged critical/platform', () => {
    alarms.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'flight-booking-rule-ServiceDown',
      AlarmDescription: Match.stringLikeRegexp('Runbook: https://runbooks.flights.example.com/service-down$'),
      ComparisonOperator: 'LessThanOrEqualToThreshold',
      Threshold: 0,
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
      TreatMissingData: 'breaching',
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'MIN([FILL(c0, 0), FILL(c1, 0)])', ReturnData: true }),
        Match.objectLike({
          Id: 'c0',
          MetricStat: Match.objectLike({
            Metric: Match.objectLike({ MetricName: 'CheckDuration' }),
            // one period per one-minute run, not the expression's 5-minute default
            Period: 60,
            Stat: 'Minimum',
          }),
        }),
      ]),
      Tags: Match.arrayWith([
        { Key: 'vigil:severity', Value: 'critical' },
        { Key: 'vigil:team', Value: 'platform' },
      ]),
    });
  });

  it('makes a suppressed alarm an unrouted input plus a routed composite whose ActionsSuppressor is ServiceDown', () => {
    alarms.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'flight-booking.input.rule-HighErrorRate',
      Metrics: Match.arrayWith([Match.objectLike({ Expression: 'IF(total > 0, 100 * errors / total, 0)' })]),
      Threshold: 5,
      TreatMissingData: 'notBreaching',
    });
    const composites = alarms.findResources('AWS::CloudWatch::CompositeAlarm', {
      Properties: { AlarmName: 'flight-booking-rule-HighErrorRate' },
    });
    const [composite] = Object.values(composites) as { Properties: Record<string, unknown> }[];
    expect(JSON.stringify(composite?.Properties.AlarmRule)).toMatch(
      /^\{"Fn::Join":\["",\["ALARM\(\\"",\{"Fn::GetAtt":\["RulesHighErrorRate[0-9A-F]{8}","Arn"\]\}/,
    );
    expect(JSON.stringify(composite?.Properties.ActionsSuppressor)).toContain('RulesServiceDown');
    expect(composite?.Properties).toMatchObject({
      ActionsSuppressorWaitPeriod: 120,
      ActionsSuppressorExtensionPeriod: 300,
    });
    expect(composite?.Properties.Tags).toEqual(
      expect.arrayContaining([{ Key: 'vigil:team', Value: 'backend' }]),
    );
  });

  it('builds the rest of the rule catalog: database connections, conversion low, payment failure rate, Lambda errors, queue age', () => {
    alarms.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'flight-booking.input.rule-DatabaseConnectionsHigh',
      Namespace: 'AWS/RDS',
      MetricName: 'DatabaseConnections',
      Dimensions: [{ Name: 'DBInstanceIdentifier', Value: 'flight-booking-db' }],
      Threshold: 80,
    });
    alarms.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'flight-booking-rule-LowConversionRate',
      MetricName: 'conversion_rate',
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 10,
      Period: 300,
      EvaluationPeriods: 3,
      TreatMissingData: 'missing',
    });
    alarms.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'flight-booking.input.rule-PaymentFailuresHigh',
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'IF(total > 0, 100 * failures / total, 0)' }),
      ]),
      Threshold: 10,
    });
    alarms.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: 'flight-booking-api-handler' }],
    });
    alarms.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'flight-booking-rule-ConfirmationQueueBacklog',
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateAgeOfOldestMessage',
      Threshold: 300,
    });
  });

  it('alarms SLO burn rates with the exact metric math over 1h/5m at 14.4x and 6h/30m at 6x', () => {
    // booking_creation runs every minute: a window expects one run per minute; a failed or skipped run
    // publishes no CheckDuration, so it is a bad event; no passing run in the whole window breaches.
    const windows = [
      ['1h', 3600, 14.4, 60],
      ['5m', 300, 14.4, 5],
      ['6h', 21600, 6, 360],
      ['30m', 1800, 6, 30],
    ] as const;
    for (const [key, period, factor, expected] of windows) {
      alarms.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `flight-booking.input.slo-booking_availability-burn-${key}`,
        Threshold: factor,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'breaching',
        Metrics: Match.arrayWith([
          Match.objectLike({
            Expression: `IF(total_${key} > 0, (total_${key} - good_${key}) / total_${key} / 0.001, 0)`,
          }),
          Match.objectLike({
            Id: `good_${key}`,
            Expression: `IF(FILL(passing_${key}, 0) > ${expected}, ${expected}, FILL(passing_${key}, 0))`,
          }),
          Match.objectLike({
            Id: `passing_${key}`,
            MetricStat: Match.objectLike({
              Metric: Match.objectLike({ MetricName: 'CheckDuration' }),
              Period: period,
              Stat: 'TC(0:900000)',
            }),
          }),
          Match.objectLike({
            Id: `total_${key}`,
            Expression: `FILL(passing_${key}, 0) * 0 + ${expected}`,
          }),
        ]),
      });
    }
    alarms.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'flight-booking.input.slo-search_latency-burn-1h',
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'IF(total_1h > 0, (total_1h - good_1h) / total_1h / 0.01, 0)' }),
        Match.objectLike({ Id: 'good_1h', Expression: 'IF(FILL(fast_1h, 0) > 60, 60, FILL(fast_1h, 0))' }),
        Match.objectLike({ Id: 'fast_1h', MetricStat: Match.objectLike({ Stat: 'TC(0:1000)' }) }),
      ]),
    });
    const page = alarms.findResources('AWS::CloudWatch::CompositeAlarm', {
      Properties: { AlarmName: 'flight-booking-slo-booking_availability-page-critical' },
    });
    const rule = (
      Object.values(page)[0] as { Properties: { AlarmRule: { 'Fn::Join': [string, unknown[]] } } }
    ).Properties.AlarmRule['Fn::Join'][1];
    expect(rule).toEqual([
      '(ALARM("',
      { 'Fn::GetAtt': [expect.stringMatching(/^Slosbookingavailabilityburn1h[0-9A-F]{8}$/), 'Arn'] },
      '") AND ALARM("',
      { 'Fn::GetAtt': [expect.stringMatching(/^Slosbookingavailabilityburn5m[0-9A-F]{8}$/), 'Arn'] },
      '"))',
    ]);
  });

  it('splits alarm parts by counts that equal the resources each unit really adds', () => {
    // Prepare: what the planner counts per rule alarm, SLO and watched log group (one created by Vigil)
    const created = new Set(
      demo.errorTracking.logGroups.flatMap((g) =>
        typeof g !== 'string' && g.create ? [logGroupLabel(g.name)] : [],
      ),
    );
    const counted =
      demo.alarms.reduce((sum, alarm) => sum + RuleAlarms.resourcesFor(alarm), 0) +
      demo.slos.length * SloAlarms.resourcesPerSlo() +
      synth.stacks.alarms[0]!.watchedLogGroups.reduce(
        (sum, watched) =>
          sum + ObservabilityAlarmsStack.resourcesPerLogGroup({ create: created.has(watched.label) }),
        0,
      );
    // Assess
    expect(synth.stacks.alarms).toHaveLength(1);
    expect(Object.keys(alarms.toJSON().Resources)).toHaveLength(counted);
  });

  it('counts errors by type on the named log groups and alarms on new and rising errors', () => {
    alarms.resourceCountIs('AWS::Logs::MetricFilter', 2);
    // The demo asks Vigil to create its API's log group (`create: true`): the filters reference it.
    alarms.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/aws/lambda/flight-booking-api-handler',
      RetentionInDays: 30,
    });
    alarms.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Delete' });
    alarms.hasResourceProperties('AWS::Logs::MetricFilter', {
      LogGroupName: { Ref: Match.stringLikeRegexp('^LogGroup') },
      MetricTransformations: [
        Match.objectLike({
          MetricNamespace: 'Vigil/Errors',
          Dimensions: [{ Key: 'ErrorType', Value: '$.error.name' }],
        }),
      ],
    });
    alarms.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'flight-booking-rule-errors-aws-lambda-flight-booking-api-handler-warning',
      Threshold: 1,
      TreatMissingData: 'notBreaching',
    });
    alarms.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'flight-booking-rule-errors-rising-aws-lambda-flight-booking-api-handler-warning',
      ComparisonOperator: 'GreaterThanUpperThreshold',
      Metrics: Match.arrayWith([Match.objectLike({ Expression: 'ANOMALY_DETECTION_BAND(m0, 3)' })]),
    });
  });

  it('alarms on a check whose p95 duration stays above its degradedAfter threshold', () => {
    const template = Template.fromStack(synth.stacks.checkExtras[1]!);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 6);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'flight-booking-check-flight_search-degraded-warning',
      MetricName: 'CheckDuration',
      ExtendedStatistic: 'p95',
      Threshold: 1000,
      Period: 300,
      EvaluationPeriods: 3,
      TreatMissingData: 'notBreaching',
    });
  });

  it('creates the five dashboards and the three saved Logs Insights queries', () => {
    const template = Template.fromStack(synth.stacks.dashboards!);
    const names = Object.values(template.findResources('AWS::CloudWatch::Dashboard')).map(
      (resource) => (resource as { Properties: { DashboardName: string } }).Properties.DashboardName,
    );
    expect(names.sort()).toEqual([
      'flight-booking-control-tower',
      'flight-booking-engine-room',
      'flight-booking-slos',
      'flight-booking-synthetics',
      'flight-booking-vigil',
    ]);
    template.resourceCountIs('AWS::Logs::QueryDefinition', 3);
    template.hasResourceProperties('AWS::Logs::QueryDefinition', { Name: 'flight-booking/trace-log-lines' });
    const synthetics = synth.stacks.dashboards!.dashboards.get('synthetics')!;
    // 6 checks: success + duration + Apdex each, plus the header
    expect(synthetics.map(({ name, widgets }) => ({ name, widgets }))).toEqual([
      { name: 'flight-booking-synthetics', widgets: 19 },
    ]);
    expect(synth.stacks.dashboardParts).toEqual([]);
  });

  it('builds each observability stack from exactly these resources', () => {
    // Act
    const counts = Object.fromEntries(
      synth.stacks.all.map((stack) => [stack.stackName, resourceCounts(Template.fromStack(stack))]),
    );
    // Assess
    expect(counts).toEqual({
      'flight-booking-check-degraded-eu-west-1-1': { 'AWS::CloudWatch::Alarm': 3 },
      'flight-booking-check-degraded-us-east-1-1': { 'AWS::CloudWatch::Alarm': 6 },
      'flight-booking-observability-alarms-1': {
        'AWS::CloudWatch::Alarm': 17,
        'AWS::CloudWatch::CompositeAlarm': 8,
        'AWS::Logs::LogGroup': 1,
        'AWS::Logs::MetricFilter': 2,
      },
      'flight-booking-observability': { 'AWS::CloudWatch::Dashboard': 5, 'AWS::Logs::QueryDefinition': 3 },
    });
    for (const stack of synth.stacks.all) expect(iamGrants(Template.fromStack(stack))).toEqual({});
  });

  it('pages only through alarms under the app prefix; composite inputs sit outside it and page through their composite', () => {
    // Prepare: `on | when | missing data | severity/team` of every alarm, by name
    const line = (facts: AlarmFacts) =>
      [facts.on, facts.when, facts.missing, `${facts.tags['vigil:severity']}/${facts.tags['vigil:team']}`]
        .filter((part) => part !== undefined)
        .join(' | ');
    const all = alarmFacts(alarms);
    // Act
    const lines = Object.fromEntries(Object.entries(all).map(([name, facts]) => [name, line(facts)]));
    // Assess
    expect(lines).toEqual({
      'flight-booking-rule-ServiceDown':
        'math | LessThanOrEqualToThreshold 0 for 2/2 | breaching | critical/platform',
      'flight-booking.input.rule-HighErrorRate':
        'math | GreaterThanThreshold 5 for 1/1 | notBreaching | critical/backend',
      'flight-booking-rule-HighErrorRate': 'composite: ALARM("{RulesHighErrorRate.Arn}") | critical/backend',
      'flight-booking.input.rule-DatabaseConnectionsHigh':
        'AWS/RDS/DatabaseConnections | GreaterThanThreshold 80 for 1/1 | missing | warning/database',
      'flight-booking-rule-DatabaseConnectionsHigh':
        'composite: ALARM("{RulesDatabaseConnectionsHigh.Arn}") | warning/database',
      'flight-booking.input.rule-PaymentFailuresHigh':
        'math | GreaterThanThreshold 10 for 1/1 | notBreaching | critical/payments',
      'flight-booking-rule-PaymentFailuresHigh':
        'composite: ALARM("{RulesPaymentFailuresHigh.Arn}") | critical/payments',
      'flight-booking.input.rule-BookingHandlerErrors':
        'AWS/Lambda/Errors | GreaterThanThreshold 5 for 1/1 | notBreaching | warning/backend',
      'flight-booking-rule-BookingHandlerErrors':
        'composite: ALARM("{RulesBookingHandlerErrors.Arn}") | warning/backend',
      'flight-booking-rule-LowConversionRate':
        'Vigil/conversion_rate | LessThanThreshold 10 for 3/3 | missing | warning/product',
      'flight-booking-rule-ConfirmationQueueBacklog':
        'AWS/SQS/ApproximateAgeOfOldestMessage | GreaterThanThreshold 300 for 2/2 | notBreaching | warning/backend',
      'flight-booking.input.slo-booking_availability-burn-1h':
        'math | GreaterThanThreshold 14.4 for 1/1 | breaching | info/backend',
      'flight-booking.input.slo-booking_availability-burn-5m':
        'math | GreaterThanThreshold 14.4 for 1/1 | breaching | info/backend',
      'flight-booking-slo-booking_availability-page-critical':
        'composite: (ALARM("{Slosbookingavailabilityburn1h.Arn}") AND ALARM("{Slosbookingavailabilityburn5m.Arn}")) | critical/backend',
      'flight-booking.input.slo-booking_availability-burn-6h':
        'math | GreaterThanThreshold 6 for 1/1 | breaching | info/backend',
      'flight-booking.input.slo-booking_availability-burn-30m':
        'math | GreaterThanThreshold 6 for 1/1 | breaching | info/backend',
      'flight-booking-slo-booking_availability-ticket-warning':
        'composite: (ALARM("{Slosbookingavailabilityburn6h.Arn}") AND ALARM("{Slosbookingavailabilityburn30m.Arn}")) | warning/backend',
      'flight-booking.input.slo-search_latency-burn-1h':
        'math | GreaterThanThreshold 14.4 for 1/1 | breaching | info/backend',
      'flight-booking.input.slo-search_latency-burn-5m':
        'math | GreaterThanThreshold 14.4 for 1/1 | breaching | info/backend',
      'flight-booking-slo-search_latency-page-critical':
        'composite: (ALARM("{Slossearchlatencyburn1h.Arn}") AND ALARM("{Slossearchlatencyburn5m.Arn}")) | critical/backend',
      'flight-booking.input.slo-search_latency-burn-6h':
        'math | GreaterThanThreshold 6 for 1/1 | breaching | info/backend',
      'flight-booking.input.slo-search_latency-burn-30m':
        'math | GreaterThanThreshold 6 for 1/1 | breaching | info/backend',
      'flight-booking-slo-search_latency-ticket-warning':
        'composite: (ALARM("{Slossearchlatencyburn6h.Arn}") AND ALARM("{Slossearchlatencyburn30m.Arn}")) | warning/backend',
      'flight-booking-rule-errors-aws-lambda-flight-booking-api-handler-warning':
        'math | GreaterThanOrEqualToThreshold 1 for 1/1 | notBreaching | warning/backend',
      'flight-booking-rule-errors-rising-aws-lambda-flight-booking-api-handler-warning':
        'math | GreaterThanUpperThreshold for 2/2 | notBreaching | warning/backend',
    });
    // Routing is by EventBridge on the `flight-booking-` prefix, never by alarm actions; every input alarm
    // is read by a composite that pages in its place.
    const composites = Object.values(all)
      .map((facts) => facts.on)
      .filter((on) => on.startsWith('composite: '))
      .join(' ');
    for (const [name, facts] of Object.entries(all)) {
      expect(facts.actions).toBe(0);
      expect(facts.tags['vigil:app']).toBe('flight-booking');
      if (!name.startsWith('flight-booking-')) expect(name).toMatch(/^flight-booking\.input\./);
    }
    expect(composites.match(/\{[A-Za-z0-9]+\.Arn\}/g)).toHaveLength(
      Object.keys(all).filter((name) => name.startsWith('flight-booking.input.')).length,
    );
  });

  it('adds a degraded alarm per check and location, warning the check’s own team', () => {
    // Act
    const [eu, us] = synth.stacks.checkExtras.map((stack) => alarmFacts(Template.fromStack(stack)));
    // Assess
    const degraded = (team: string) => ({
      on: 'Vigil/CheckDuration',
      when: 'GreaterThanThreshold 1000 for 3/3',
      missing: 'notBreaching',
      actions: 0,
      tags: {
        'vigil:app': 'flight-booking',
        'vigil:kind': 'check',
        'vigil:severity': 'warning',
        'vigil:team': team,
      },
    });
    const backend = {
      'flight-booking-check-flight_search-degraded-warning': degraded('backend'),
      'flight-booking-check-user_registration-degraded-warning': degraded('backend'),
      'flight-booking-check-booking_creation-degraded-warning': degraded('backend'),
    };
    expect(eu).toEqual(backend);
    expect(us).toEqual({
      'flight-booking-check-health_live-degraded-warning': degraded('platform'),
      'flight-booking-check-health_ready-degraded-warning': degraded('platform'),
      'flight-booking-check-health_startup-degraded-warning': degraded('platform'),
      ...backend,
    });
  });

  it('lays out each dashboard with these many widgets, graphing Vigil’s, the app’s and AWS’s namespaces', () => {
    // Prepare
    const dashboards = resourcesOfType(
      Template.fromStack(synth.stacks.dashboards!),
      'AWS::CloudWatch::Dashboard',
    );
    const bodies = Object.values(dashboards).map((dashboard) => ({
      name: String(dashboard.DashboardName),
      body: JSON.parse(String(dashboard.DashboardBody)) as {
        widgets: { properties?: { metrics?: unknown[][] } }[];
      },
    }));
    // Act
    const widgets = Object.fromEntries(bodies.map(({ name, body }) => [name, body.widgets.length]));
    const namespaces = new Set(
      bodies.flatMap(({ body }) =>
        body.widgets.flatMap((widget) =>
          (widget.properties?.metrics ?? [])
            .map((metric) => metric[0])
            .filter((first): first is string => typeof first === 'string' && first !== '...'),
        ),
      ),
    );
    // Assess
    expect(widgets).toEqual({
      'flight-booking-control-tower': 8,
      'flight-booking-engine-room': 30,
      'flight-booking-synthetics': 19,
      'flight-booking-slos': 7,
      'flight-booking-vigil': 6,
    });
    // Vigil's own metrics, the app's (FlightBooking in the demo) and the AWS services it names
    expect([...namespaces].sort()).toEqual([
      'AWS/ApiGateway',
      'AWS/Lambda',
      'AWS/RDS',
      'AWS/SQS',
      'FlightBooking',
      'Vigil',
    ]);
    const synthetics = JSON.stringify(bodies.find(({ name }) => name === 'flight-booking-synthetics')!.body);
    for (const check of [
      'health_live',
      'health_ready',
      'health_startup',
      'flight_search',
      'user_registration',
      'booking_creation',
    ])
      expect(synthetics).toContain(`"${check}"`);
  });
});

describe('observability without alarms', () => {
  it('creates no rule, SLO or error-tracking alarms and only the dashboards for a config with none', () => {
    // Prepare
    const config = minimal({ errorTracking: { vigilFunctions: false } });
    // Act
    const synth = synthObservability(config);
    // Assess
    expect(synth.stacks.alarms).toHaveLength(0);
    expect(synth.stacks.checkExtras).toHaveLength(0);
    Template.fromStack(synth.stacks.dashboards!).resourceCountIs('AWS::CloudWatch::Alarm', 0);
  });

  it('refuses a serviceDown alarm on a check that does not run in the alarm region', () => {
    const config = minimal({ alarms: [{ type: 'serviceDown', name: 'Down', checks: ['home'] }] });
    expect(() => synthObservability(config, { primaryRegion: 'eu-west-1' })).toThrow(
      /check 'home' does not run in eu-west-1/,
    );
  });
});

describe('dashboard splitting', () => {
  const graph = (metrics: number) =>
    new GraphWidget({
      left: Array.from({ length: metrics }, (_, i) => new Metric({ namespace: 'N', metricName: `m${i}` })),
    });

  it('counts every metric of a widget', () => {
    expect(widgetMetricCount(graph(7))).toBe(7);
  });

  it('splits pages under 500 widgets and keeps sections whole', () => {
    // Prepare: 300 sections of 3 one-metric widgets = 900 widgets
    const sections = Array.from({ length: 300 }, () => [graph(1), graph(1), graph(1)]);
    // Act
    const pages = paginate(sections, { maxWidgets: 500, maxMetrics: 2500 }, 1);
    // Assess
    expect(pages.map((page) => page.length)).toEqual([498, 402]);
  });

  it('splits pages under 2,500 metrics', () => {
    const sections = Array.from({ length: 30 }, () => [graph(100)]);
    const pages = paginate(sections, { maxWidgets: 500, maxMetrics: 2500 });
    expect(pages.map((page) => page.length)).toEqual([25, 5]);
  });
});

describe('error-tracking log groups Vigil does not own', () => {
  const lookups = (account: string | undefined, logGroups: unknown[]) => {
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'vigil-lookup-')) });
    createObservabilityStacks(
      app,
      minimal({ errorTracking: { logGroups }, dashboards: { enabled: false } }),
      {
        primaryRegion: 'us-east-1',
        ...(account !== undefined ? { account } : {}),
      },
    );
    return (app.synth().manifest.missing ?? []).map((missing) => ({
      provider: missing.provider,
      props: missing.props as { typeName?: string; exactIdentifier?: string; account?: string },
    }));
  };

  it('are looked up in the account at synth, so a missing one fails the synth instead of the deploy', () => {
    // Act
    const missing = lookups('123456789012', [
      '/aws/lambda/existing',
      { name: '/aws/lambda/new', create: true },
    ]);
    // Assess: one Cloud Control lookup, for the declared-external group only
    expect(missing).toEqual([
      {
        provider: 'cc-api-provider',
        props: expect.objectContaining({
          typeName: 'AWS::Logs::LogGroup',
          exactIdentifier: '/aws/lambda/existing',
          account: '123456789012',
        }),
      },
    ]);
  });

  it('are not looked up when the account is not known (an environment-agnostic synth)', () => {
    // Assess
    expect(lookups(undefined, ['/aws/lambda/existing'])).toEqual([]);
  });
});
