import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { demoKpis } from '../../../examples/demo-kpis';
import { parseConfig } from '../../../functions/commons/config/resolve-config';
import { resolveDatasources, resolveKpis } from '../../../functions/commons/config/resolve-kpis';
import { KpiMonitors } from '../../../stacks/constructs/kpi-monitors';

const ACCOUNT = '123456789012';
const CLUSTER = `arn:aws:rds:us-east-1:${ACCOUNT}:cluster:analytics`;
const DATA_API_SECRET = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:analytics-reader-AbCdEf`;

const fixtureConfig = () =>
  parseConfig({
    app: 'flight-booking',
    environments: { local: { baseUrl: 'http://127.0.0.1:4010' } },
    datasources: {
      ...demoKpis.datasources,
      private: {
        type: 'postgres',
        secret: { secretsManager: 'flight-booking/private-reader' },
        vpc: { vpcId: 'vpc-0abc', subnetIds: ['subnet-0a1', 'subnet-0b2'], securityGroupIds: ['sg-0c3'] },
      },
      analytics: {
        type: 'aurora-data-api',
        clusterArn: CLUSTER,
        secretArn: DATA_API_SECRET,
        database: 'app',
      },
    },
    kpis: [
      ...demoKpis.kpis,
      {
        name: 'refunds',
        datasource: 'private',
        schedule: '5m',
        sql: 'SELECT count(*) AS refunds FROM payments WHERE status = :status',
        parameters: { status: 'refunded' },
        values: ['refunds'],
        thresholds: { critical: { above: 100 } },
        team: 'payments',
      },
      {
        name: 'active_users',
        datasource: 'analytics',
        schedule: '1h',
        sql: 'SELECT count(DISTINCT user_id) AS users FROM searches WHERE created_at >= :window_start',
        window: '1h',
        values: [{ column: 'users', unit: 'Count' }],
        anomalyBand: { severity: 'warning', direction: 'below', width: 3 },
      },
    ],
  });

const synth = () => {
  const config = fixtureConfig();
  const stack = new Stack(new App(), 'Kpis', { env: { account: ACCOUNT, region: 'us-east-1' } });
  const monitors = new KpiMonitors(stack, 'Kpis', {
    app: config.app,
    kpis: resolveKpis(config),
    datasources: resolveDatasources(config),
  });
  return { template: Template.fromStack(stack), monitors };
};

/** The fixture's KPIs, resolved (the same config {@link synth} builds its monitors from). */
const fixtureKpis = () => resolveKpis(fixtureConfig());

describe('KpiMonitors', () => {
  const { template, monitors } = synth();

  it('creates one runner and one schedule per schedule group and VPC placement, not per KPI', () => {
    // Assess: every-5m (conversion), every-1h (revenue, satisfaction, active_users), every-5m in the VPC (refunds)
    template.resourceCountIs('AWS::Lambda::Function', 3);
    template.resourceCountIs('AWS::Scheduler::Schedule', 3);
    expect([...monitors.schedules.keys()].sort()).toEqual([
      'every-1h',
      'every-5m',
      expect.stringMatching(/^every-5m-vpc0abc-/),
    ]);
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 hour)',
      Target: Match.objectLike({ Input: JSON.stringify({ group: 'every-1h' }) }),
    });
  });

  it('creates one alarm per KPI severity threshold plus a query-failed alarm, tagged for routing', () => {
    // Assess: thresholds 2 + 2 + 1 + 1 + 0, one anomaly band, query-failed 5
    template.resourceCountIs('AWS::CloudWatch::Alarm', 12);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'flight-booking-kpi-daily_revenue-critical',
      MetricName: 'revenue',
      Namespace: 'Vigil',
      Statistic: 'Minimum',
      Threshold: 30_000,
      ComparisonOperator: 'LessThanThreshold',
      Dimensions: [
        { Name: 'App', Value: 'flight-booking' },
        { Name: 'Kpi', Value: 'daily_revenue' },
      ],
      Tags: Match.arrayWith([
        { Key: 'vigil:app', Value: 'flight-booking' },
        { Key: 'vigil:kind', Value: 'kpi' },
        { Key: 'vigil:severity', Value: 'critical' },
        { Key: 'vigil:team', Value: 'payments' },
      ]),
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'flight-booking-kpi-conversion_rate-warning',
      Threshold: 15,
      DatapointsToAlarm: 3,
      EvaluationPeriods: 3,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'flight-booking-kpi-refunds-critical',
      ComparisonOperator: 'GreaterThanThreshold',
      Statistic: 'Maximum',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'flight-booking-kpi-active_users-query-failed-warning',
      MetricName: 'QueryFailed',
      TreatMissingData: 'breaching',
    });
  });

  it('adds an anomaly-detection band alarm when a KPI asks for one', () => {
    // Assess: the band is a metric-math ANOMALY_DETECTION_BAND on the KPI's value, alarming below it
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'flight-booking-kpi-active_users-anomaly-warning',
      ComparisonOperator: 'LessThanLowerThreshold',
      ThresholdMetricId: 'expr_1',
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'ANOMALY_DETECTION_BAND(m0, 3)', Id: 'expr_1' }),
        Match.objectLike({
          Id: 'm0',
          MetricStat: Match.objectLike({
            Metric: Match.objectLike({ MetricName: 'users', Namespace: 'Vigil' }),
            Stat: 'Average',
          }),
        }),
      ]),
      Tags: Match.arrayWith([{ Key: 'vigil:severity', Value: 'warning' }]),
    });
  });

  it('places the runner of a private datasource in its subnets and security group', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      VpcConfig: { SubnetIds: ['subnet-0a1', 'subnet-0b2'], SecurityGroupIds: ['sg-0c3'] },
    });
    const inVpc = Object.values(template.findResources('AWS::Lambda::Function')).filter(
      (resource) => resource.Properties.VpcConfig !== undefined,
    );
    expect(inVpc).toHaveLength(1);
  });

  it('grants GetSecretValue on exactly the referenced secrets and Data API calls on exactly the cluster', () => {
    // Assess
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (policy) =>
        policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
    );
    const secretResources = statements
      .filter((statement) => statement.Action === 'secretsmanager:GetSecretValue')
      .flatMap((statement) =>
        Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource],
      );
    const rendered = JSON.stringify(secretResources);
    expect(rendered).toContain('secret:flight-booking/kpi-reader-??????');
    expect(rendered).toContain('secret:flight-booking/private-reader-??????');
    expect(rendered).toContain(DATA_API_SECRET);
    expect(rendered).not.toContain('"*"');
    const dataApi = statements.filter((statement) => JSON.stringify(statement.Action).includes('rds-data:'));
    expect(dataApi).toHaveLength(1);
    expect(dataApi[0]!.Resource).toBe(CLUSTER);
    expect(dataApi[0]!.Action).toEqual(
      expect.arrayContaining(['rds-data:ExecuteStatement', 'rds-data:BeginTransaction']),
    );
  });

  it('ships the KPIs as JSON in the bundle, never a password in the template', () => {
    // Assess
    const text = JSON.stringify(template.toJSON());
    expect(text).not.toContain('SELECT');
    expect(text).not.toMatch(/password/i);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ NODE_EXTRA_CA_CERTS: '/var/runtime/ca-cert.pem' }) },
    });
  });

  it('reports per KPI exactly the alarm resources the synthesized template holds for it', () => {
    // Prepare: the fixture's KPIs plus one with all five alarms, alarms only (no runners)
    const config = parseConfig({
      app: 'shop',
      environments: { local: { baseUrl: 'http://127.0.0.1:4010' } },
      datasources: { db: { type: 'postgres', secret: { secretsManager: 'shop/reader' } } },
      kpis: [
        {
          name: 'orders',
          datasource: 'db',
          sql: 'SELECT count(*) AS n FROM orders',
          values: ['n'],
          thresholds: { critical: { below: 1 }, warning: { below: 10 }, info: { below: 20 } },
          anomalyBand: { severity: 'warning', direction: 'below' },
        },
      ],
    });
    const kpis = [...fixtureKpis(), ...resolveKpis(config)];
    const stack = new Stack(new App(), 'Alarms', { env: { account: ACCOUNT, region: 'us-east-1' } });
    // Act
    const alarmsOnly = new KpiMonitors(stack, 'Kpis', {
      app: 'shop',
      kpis: [],
      alarmKpis: kpis,
      datasources: {},
    });
    const synthesized = Template.fromStack(stack).toJSON() as { Resources: Record<string, { Type: string }> };
    // Assess
    expect(KpiMonitors.resourcesPerKpi(resolveKpis(config)[0]!)).toBe(5);
    expect(Object.keys(synthesized.Resources)).toHaveLength(
      kpis.reduce((sum, kpi) => sum + KpiMonitors.resourcesPerKpi(kpi), 0),
    );
    expect(alarmsOnly.functions.size).toBe(0);
    expect(alarmsOnly.scheduleGroup).toBeUndefined();
  });

  it('creates the schedule group once, deleted with its stack, and makes every schedule depend on it', () => {
    // Prepare
    const synthesized = template.toJSON() as {
      Resources: Record<string, { Type: string; DependsOn?: string[]; DeletionPolicy?: string }>;
    };
    const groups = Object.entries(synthesized.Resources).filter(
      ([, r]) => r.Type === 'AWS::Scheduler::ScheduleGroup',
    );
    const schedules = Object.values(synthesized.Resources).filter(
      (r) => r.Type === 'AWS::Scheduler::Schedule',
    );
    // Assess
    expect(groups).toHaveLength(1);
    expect(groups[0]![1].DeletionPolicy).toBe('Delete');
    for (const schedule of schedules)
      expect(schedule.DependsOn).toEqual(expect.arrayContaining([groups[0]![0]]));
  });
});
