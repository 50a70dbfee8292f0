// The scale fixture (issue 5): a generated large config, its synthesis with cdk-nag and the figures of the
// assembly. Shared by test/stacks/scale.test.ts, the deploy-validity tests and `npm run bench -- scale`.
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AWS_LIMITS } from '../../functions/commons/aws-limits';
import { parseConfig } from '../../functions/commons/config/resolve-config';
import type { VigilConfig } from '../../functions/commons/config/schema';
import { assertDeployLimits } from '../../stacks/deploy-limits';
import { createVigilStacks, type VigilStacks } from '../../stacks/vigil-stacks';

/** CloudFormation's template body limit (uploaded to S3), in bytes. */
export const TEMPLATE_LIMIT_BYTES = AWS_LIMITS.templateBytes;

/** How many of each item {@link generateScaleConfig} generates. */
export interface ScaleSizes {
  /** Synthetic checks (ten per service), over four schedules; a tenth also run from eu-west-1. */
  readonly checks: number;
  /** SQL KPIs on one PostgreSQL datasource, each with all five alarms (three thresholds, a band, query failed). */
  readonly kpis: number;
  /** Rule alarms, ten per service (service down suppressing most of the others). */
  readonly alarms: number;
  /** SLOs (availability and latency, from checks, an API and a good/total metric pair). */
  readonly slos: number;
}

/** The issue-5 scale: 1,000 checks, 200 KPIs, 1,000 alarms and a handful of SLOs. */
export const ISSUE_SCALE: ScaleSizes = { checks: 1000, kpis: 200, alarms: 1000, slos: 6 };

const pad = (n: number, width = 4) => String(n).padStart(width, '0');
const checkName = (i: number) => `check_${pad(i)}`;

/** The ten rule alarms of service `s`: service down first, the others suppressed by it (most of them). */
const serviceAlarms = (s: number, checks: number): Record<string, unknown>[] => {
  const svc = `svc-${pad(s, 3)}`;
  const down = `${svc}-ServiceDown`;
  const api = { apiName: `${svc}-api`, stage: 'prod' };
  const suppressed = { suppressedBy: [down] };
  const health = [checkName((s * 10) % checks), checkName((s * 10 + 1) % checks)];
  return [
    { type: 'serviceDown', name: down, checks: [...new Set(health)], severity: 'critical', team: 'platform' },
    {
      type: 'errorRate',
      name: `${svc}-HighErrorRate`,
      api,
      thresholdPercent: 5,
      severity: 'critical',
      ...suppressed,
    },
    {
      type: 'latency',
      name: `${svc}-SlowResponses`,
      api,
      percentile: 'p99',
      thresholdMs: 1500,
      ...suppressed,
    },
    {
      type: 'databaseConnections',
      name: `${svc}-DatabaseConnectionsHigh`,
      dbInstance: `${svc}-db`,
      threshold: 80,
      team: 'database',
      ...suppressed,
    },
    {
      type: 'lambda',
      name: `${svc}-HandlerErrors`,
      functionName: `${svc}-handler`,
      metric: 'errors',
      threshold: 5,
      ...suppressed,
    },
    {
      type: 'lambda',
      name: `${svc}-HandlerThrottles`,
      functionName: `${svc}-handler`,
      metric: 'throttles',
      threshold: 1,
    },
    {
      type: 'queue',
      name: `${svc}-JobsBacklog`,
      queueName: `${svc}-jobs`,
      metric: 'age',
      threshold: 300,
      ...suppressed,
    },
    {
      type: 'failures',
      name: `${svc}-PaymentFailuresHigh`,
      failures: { namespace: 'Scale', metricName: 'PaymentFailures', dimensions: { service: svc } },
      total: { namespace: 'Scale', metricName: 'PaymentAttempts', dimensions: { service: svc } },
      thresholdPercent: 10,
      severity: 'critical',
      team: 'payments',
      ...suppressed,
    },
    {
      type: 'metricBelow',
      name: `${svc}-LowConversionRate`,
      metric: {
        namespace: 'Scale',
        metricName: 'ConversionRate',
        dimensions: { service: svc },
        statistic: 'Average',
      },
      below: 10,
      period: '5m',
      evaluationPeriods: 3,
      team: 'product',
    },
    {
      type: 'metric',
      name: `${svc}-OrdersAnomaly`,
      metric: { namespace: 'Scale', metricName: 'Orders', dimensions: { service: svc }, statistic: 'Sum' },
      comparison: 'outsideBand',
      threshold: 3,
    },
  ];
};

/**
 * A generated config at scale: `checks` checks over four schedules (a tenth in two regions, every other one
 * with latency thresholds, a twentieth critical), `kpis` SQL KPIs on a PostgreSQL datasource whose login is
 * a Secrets Manager reference (every threshold, an anomaly band, four schedules), `alarms` rule alarms (ten
 * per service: service down suppressing seven of the other nine) and `slos` SLOs.
 *
 * @example
 * generateScaleConfig({ checks: 100, kpis: 20, alarms: 100, slos: 2 });
 */
export const generateScaleConfig = (sizes: Partial<ScaleSizes> = {}): VigilConfig => {
  const { checks, kpis, alarms, slos } = { ...ISSUE_SCALE, ...sizes };
  const services = Math.ceil(alarms / 10);
  return parseConfig({
    app: 'scale',
    environments: { prod: { baseUrl: 'https://api.example.com' } },
    defaults: { locations: ['us-east-1'] },
    checks: Array.from({ length: checks }, (_, i) => ({
      name: checkName(i),
      schedule: ['1m', '5m', '15m', '1h'][i % 4],
      ...(i % 10 === 0 ? { locations: ['us-east-1', 'eu-west-1'] } : {}),
      ...(i % 2 === 0 ? { degradedAfter: '800ms', failedAfter: '3s' } : {}),
      ...(i % 20 === 0 ? { severity: 'critical' } : {}),
      steps: [
        {
          name: 'get',
          request: { url: `{{baseUrl}}/items/${i}` },
          assert: [
            { type: 'status', value: 200 },
            { type: 'responseTime', value: '1s' },
          ],
        },
      ],
    })),
    datasources: {
      warehouse: { type: 'postgres', secret: { secretsManager: 'scale/kpi-reader' }, ssl: 'verify-full' },
    },
    kpis: Array.from({ length: kpis }, (_, i) => ({
      name: `kpi_${pad(i, 3)}`,
      description: `Orders of region ${i % 20} in the window`,
      datasource: 'warehouse',
      schedule: ['5m', '15m', '1h', '1d'][i % 4],
      window: ['5m', '15m', '1h', '1d'][i % 4],
      sql: `SELECT COUNT(*) AS orders, COALESCE(SUM(amount), 0) AS revenue FROM orders WHERE region_id = :region AND created_at >= :window_start AND created_at < :window_end`,
      parameters: { region: i % 20 },
      values: [{ column: 'orders', unit: 'Count' }, 'revenue'],
      // Every alarm a KPI can have: three thresholds, an anomaly band and the query-failed alarm.
      thresholds: { info: { below: 200 }, warning: { below: 100 }, critical: { below: 10 } },
      anomalyBand: { severity: 'warning', direction: 'below', width: 3 },
      team: 'product',
    })),
    alarms: Array.from({ length: services }, (_, s) => serviceAlarms(s, checks))
      .flat()
      .slice(0, alarms),
    slos: Array.from({ length: slos }, (_, i) => {
      const base = { name: `slo_${i}`, target: 99.5, window: '30d' };
      switch (i % 4) {
        case 0:
          return { ...base, source: { check: checkName(i * 4) } };
        case 1:
          return { ...base, objective: 'latency', thresholdMs: 1000, source: { check: checkName(i * 4) } };
        case 2:
          return { ...base, source: { api: { apiName: `svc-${pad(i, 3)}-api`, stage: 'prod' } } };
        default:
          return {
            ...base,
            source: {
              good: { namespace: 'Scale', metricName: 'GoodOrders', dimensions: { slo: String(i) } },
              total: { namespace: 'Scale', metricName: 'Orders', dimensions: { slo: String(i) } },
            },
          };
      }
    }),
  });
};

/** One synthesized template's figures. */
export interface StackFigures {
  readonly stack: string;
  readonly resources: number;
  readonly bytes: number;
}

/** One synthesized dashboard's figures, counted from its DashboardBody. */
export interface DashboardFigures {
  readonly stack: string;
  readonly dashboard: string;
  readonly widgets: number;
  readonly metrics: number;
}

type Resource = { Type?: string; Properties?: Record<string, unknown> };

/**
 * The JSON text of a DashboardBody: a string, or an `Fn::Join` whose tokens (Ref, GetAtt, ImportValue) sit
 * inside JSON strings, so each is replaced by a placeholder string.
 */
const bodyText = (body: unknown): string => {
  if (typeof body === 'string') return body;
  const join = (body as { 'Fn::Join'?: [string, unknown[]] } | undefined)?.['Fn::Join'];
  if (join === undefined) throw new Error(`unexpected DashboardBody: ${JSON.stringify(body).slice(0, 200)}`);
  return join[1].map((part) => (typeof part === 'string' ? part : 'TOKEN')).join(join[0]);
};

/**
 * Counts a dashboard's widgets and metrics from its synthesized body: every widget, and every entry of a
 * widget's `metrics` array (metrics and expressions alike, as CloudWatch counts toward its 2,500 limit).
 */
export const countDashboard = (body: unknown): { widgets: number; metrics: number } => {
  const parsed = JSON.parse(bodyText(body)) as { widgets?: { properties?: { metrics?: unknown[] } }[] };
  const widgets = parsed.widgets ?? [];
  return {
    widgets: widgets.length,
    metrics: widgets.reduce((sum, widget) => sum + (widget.properties?.metrics?.length ?? 0), 0),
  };
};

/** Reads every template of a cloud assembly directory: per stack resources and bytes, per dashboard counts. */
export const measureAssembly = (
  outdir: string,
): { stacks: StackFigures[]; dashboards: DashboardFigures[] } => {
  const stacks: StackFigures[] = [];
  const dashboards: DashboardFigures[] = [];
  for (const file of readdirSync(outdir)
    .filter((name) => name.endsWith('.template.json'))
    .sort()) {
    const path = join(outdir, file);
    const stack = file.replace('.template.json', '');
    const template = JSON.parse(readFileSync(path, 'utf8')) as { Resources?: Record<string, Resource> };
    const resources = Object.values(template.Resources ?? {});
    stacks.push({ stack, resources: resources.length, bytes: statSync(path).size });
    for (const resource of resources) {
      if (resource.Type !== 'AWS::CloudWatch::Dashboard') continue;
      dashboards.push({
        stack,
        dashboard: String(resource.Properties?.DashboardName),
        ...countDashboard(resource.Properties?.DashboardBody),
      });
    }
  }
  return { stacks, dashboards };
};

/** Synthesizes every Vigil stack of a config into a fresh directory, with cdk-nag's AWS Solutions checks. */
export const synthesizeScale = (
  config: VigilConfig,
): { outdir: string; synthMs: number; stacks: VigilStacks } => {
  const outdir = mkdtempSync(join(tmpdir(), 'vigil-scale-'));
  const started = performance.now();
  const app = new App({ outdir });
  const stacks = createVigilStacks(app, config);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  assertDeployLimits(app.synth());
  return { outdir, synthMs: performance.now() - started, stacks };
};
