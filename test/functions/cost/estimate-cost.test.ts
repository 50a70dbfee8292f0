import { join } from 'node:path';
import { loadConfig } from '../../../functions/commons/config/load-config';
import { parseConfig, resolveChecks } from '../../../functions/commons/config/resolve-config';
import { resolveKpis } from '../../../functions/commons/config/resolve-kpis';
import { estimateCost } from '../../../functions/cost/estimate-cost';
import { PRICES, tieredMetricsUsd } from '../../../functions/cost/price-table';

const oneCheck = (schedule: string, metrics: 'essential' | 'detailed' = 'essential') =>
  parseConfig({
    app: 'one',
    environments: { prod: { baseUrl: 'http://one.example.com' } },
    runner: { metrics },
    defaults: { degradedAfter: '1s' },
    dashboards: { enabled: false },
    checks: [{ name: 'home', schedule, steps: [{ name: 'get', request: { url: '{{baseUrl}}/' } }] }],
  });

const estimateOf = (config: ReturnType<typeof parseConfig>) =>
  estimateCost(config, resolveChecks(config), resolveKpis(config));

/** `count` one-minute checks with one 10 s step each. */
const minuteChecks = (count: number) =>
  parseConfig({
    app: 'many',
    environments: { prod: { baseUrl: 'http://many.example.com' } },
    dashboards: { enabled: false },
    checks: Array.from({ length: count }, (_, i) => ({
      name: `c${i}`,
      schedule: '1m',
      timeout: '10s',
      steps: [{ name: 'get', request: { url: '{{baseUrl}}/' } }],
    })),
  });

describe('estimateCost', () => {
  it('counts one runner invocation per shard of a schedule, as deployed', () => {
    // Act: 3 checks fit one shard; 80 need two (see vigil plan)
    const requests = (count: number) =>
      estimateOf(minuteChecks(count)).lines.find((line) => line.item === 'runner Lambda requests')?.quantity;

    // Assess
    expect(requests(80)).toBe(2 * (requests(3) ?? 0));
  });

  it('makes a one-minute check at least 20x cheaper than the same Synthetics canary, all its own costs included', () => {
    // Act
    const estimate = estimateOf(oneCheck('1m'));
    // Assess: 730 h × 60 runs at $0.0012
    expect(estimate.canaryEquivalentUsd).toBe(52.56);
    expect(estimate.checksMonthlyUsd).toBeGreaterThan(0.3); // at least its metric
    expect(estimate.ratio).toBeGreaterThanOrEqual(20);
    expect(estimate.monthlyUsd).toBe(estimate.checksMonthlyUsd);
  });

  it("counts the run lease's two DynamoDB writes in every run, as a cost of the checks", () => {
    // Act
    const estimate = estimateOf(oneCheck('1m'));
    const runs = estimate.lines.find((line) => line.item === 'runner Lambda requests')?.quantity ?? 0;
    const lease = estimate.lines.find((line) => line.item.startsWith('runner run lease DynamoDB writes'));
    // Assess: a conditional put to take the lease, a conditional delete to give it back
    expect(runs).toBe(43_800);
    expect(lease).toMatchObject({ quantity: 2 * runs, checks: true });
    expect(lease?.usd).toBeCloseTo((2 * runs * PRICES.dynamoDbWritePerMillionUsd) / 1e6, 3);
  });

  it('charges 1 metric per check at essential, rate or cron, and 3 + 8 per step at detailed', () => {
    const essential = estimateOf(oneCheck('5m')).lines.find((line) => line.item === 'check metrics');
    const detailed = estimateOf(oneCheck('5m', 'detailed')).lines.find(
      (line) => line.item === 'check metrics',
    );
    const cron = estimateOf(
      parseConfig({
        app: 'cron',
        environments: { prod: { baseUrl: 'http://shop.example' } },
        dashboards: { enabled: false },
        checks: [
          {
            name: 'nightly',
            schedule: { cron: '0 3 * * ? *' },
            steps: [{ name: 'get', request: { url: '{{baseUrl}}/' } }],
          },
        ],
      }),
    ).lines.find((line) => line.item === 'check metrics');
    expect(essential).toMatchObject({ quantity: 1, usd: 0.3 });
    expect(cron).toMatchObject({ quantity: 1, usd: 0.3 });
    expect(detailed).toMatchObject({ quantity: 11, usd: 3.3 });
  });

  it('prices custom metrics by tier', () => {
    expect(tieredMetricsUsd(10_000)).toBeCloseTo(3000, 6);
    expect(tieredMetricsUsd(10_001)).toBeCloseTo(3000.1, 6);
    expect(tieredMetricsUsd(250_000)).toBeCloseTo(3000 + 24_000, 6);
    expect(tieredMetricsUsd(1_000_001)).toBeCloseTo(3000 + 24_000 + 37_500 + 0.02, 6);
    expect(tieredMetricsUsd(5, 9_998)).toBeCloseTo(2 * 0.3 + 3 * 0.1, 6);
  });

  it('gives the demo config its numbers: checks, KPIs, alarms and dashboards', () => {
    // Prepare
    const demo = loadConfig(join(__dirname, '../../../vigil.config.ts')).config;
    // Act
    const estimate = estimateOf(demo);
    // Assess: 6 checks, 3 of them in two regions = 9 check-locations × 1 metric, + one certificate
    // metric: prod is HTTPS and every check calls api.flights.example.com
    expect(estimate.lines.find((line) => line.item === 'check metrics')).toMatchObject({
      quantity: 9,
      usd: 2.7,
    });
    expect(
      estimate.lines.find(
        (line) => line.item === 'check certificate metrics (CertificateDaysToExpiry, one per host)',
      ),
    ).toMatchObject({ quantity: 1, usd: 0.3 });
    expect(estimate.lines.find((line) => line.item === 'check failure alarms')).toMatchObject({
      quantity: 9,
    });
    expect(
      estimate.lines.find((line) => line.item === 'check certificate alarms (warning, critical, per host)'),
    ).toMatchObject({ quantity: 2, usd: 0.2 });
    // 60x (BENCHMARKS.md, cost): the issue-16 goal is 50x below canaries
    expect(estimate.ratio).toBeGreaterThanOrEqual(50);
    expect(estimate.ratio).toBeCloseTo(60, 1);
    expect(estimate.monthlyUsd).toBeCloseTo(
      Object.values(estimate.breakdown).reduce((sum, usd) => sum + usd, 0),
      1,
    );
    expect(Object.keys(estimate.breakdown)).toEqual(
      expect.arrayContaining(['metrics', 'alarms', 'lambda', 'scheduler', 'logs', 'xray']),
    );
    expect(estimate.pricesAsOf).toBe(PRICES.asOf);
  });

  describe('certificate alarms', () => {
    const httpsCheck = (checkAlarms: Record<string, unknown> = {}) =>
      parseConfig({
        app: 'tls',
        environments: { prod: { baseUrl: 'https://shop.example' } },
        dashboards: { enabled: false },
        checkAlarms,
        checks: [
          {
            name: 'home',
            locations: ['us-east-1', 'eu-west-1'],
            steps: [{ name: 'get', request: { url: '{{baseUrl}}/' } }],
          },
          { name: 'cart', steps: [{ name: 'get', request: { url: '{{baseUrl}}/cart' } }] },
        ],
      });
    const certificateLine = (config: ReturnType<typeof parseConfig>) =>
      estimateOf(config).lines.find(
        (line) => line.item === 'check certificate alarms (warning, critical, per host)',
      );

    it('prices a warning and a critical alarm per host, however many checks and locations see it', () => {
      // Act
      const line = certificateLine(httpsCheck());

      // Assess: 2 checks, 3 check-locations, 1 host: 2 alarms × $0.10
      expect(line).toMatchObject({ quantity: 2, unit: 'alarms', usd: 0.2, checks: true });
    });

    it('prices no certificate alarms when checkAlarms.certificate is false, and keeps the certificate metric', () => {
      // Prepare
      const on = estimateOf(httpsCheck());

      // Act
      const off = estimateOf(httpsCheck({ certificate: false }));

      // Assess
      expect(certificateLine(httpsCheck({ certificate: false }))).toMatchObject({ quantity: 0, usd: 0 });
      expect(on.monthlyUsd - off.monthlyUsd).toBeCloseTo(0.2, 6);
      const metric = (estimate: typeof on) =>
        estimate.lines.find(
          (line) => line.item === 'check certificate metrics (CertificateDaysToExpiry, one per host)',
        );
      expect(metric(off)).toEqual(metric(on));
    });
  });

  describe('tcp, dns and tls checks', () => {
    const withChecks = (checks: unknown[], baseUrl = 'http://shop.example') =>
      parseConfig({
        app: 'net',
        environments: { prod: { baseUrl } },
        dashboards: { enabled: false },
        checks,
      });
    const line = (config: ReturnType<typeof parseConfig>, item: string) =>
      estimateOf(config).lines.find((entry) => entry.item === item);

    it('bills each network check the Lambda time of one step, like a one-step HTTP check', () => {
      // Prepare
      const http = withChecks([{ name: 'home', steps: [{ name: 'get', request: { url: '{{baseUrl}}/' } }] }]);
      const network = (type: string, extra: Record<string, unknown>) =>
        withChecks([{ type, name: 'net', ...extra }]);

      // Act
      const httpSeconds = line(http, 'runner Lambda duration (arm64)')?.quantity;
      const seconds = [
        network('tcp', { host: 'db.example', port: 5432 }),
        network('dns', { query: 'shop.example' }),
        network('tls', { host: 'shop.example' }),
      ].map((config) => line(config, 'runner Lambda duration (arm64)')?.quantity);

      // Assess
      expect(httpSeconds).toBeGreaterThan(0);
      expect(seconds).toEqual([httpSeconds, httpSeconds, httpSeconds]);
    });

    it('counts the certificate metric per host, for tls checks, TLS tcp checks and HTTPS steps only', () => {
      // Act
      const metrics = (checks: unknown[], baseUrl?: string) =>
        line(withChecks(checks, baseUrl), 'check certificate metrics (CertificateDaysToExpiry, one per host)')
          ?.quantity;

      // Assess
      expect(metrics([{ type: 'tls', name: 'c', host: 'shop.example' }])).toBe(1);
      expect(metrics([{ type: 'tcp', name: 'c', host: 'db.example', port: 993, tls: true }])).toBe(1);
      expect(metrics([{ type: 'tcp', name: 'c', host: 'db.example', port: 5432 }])).toBe(0);
      expect(metrics([{ type: 'dns', name: 'c', query: 'shop.example' }])).toBe(0);
      expect(
        metrics([{ type: 'health', name: 'c', url: '{{baseUrl}}/health' }], 'https://shop.example'),
      ).toBe(1);
      expect(metrics([{ type: 'health', name: 'c', url: '{{baseUrl}}/health' }])).toBe(0);
      expect(
        metrics(
          [
            { type: 'tls', name: 'c', host: 'shop.example', locations: ['us-east-1', 'eu-west-1'] },
            { type: 'health', name: 'h', url: '{{baseUrl}}/health' },
            { type: 'health', name: 'o', url: 'https://other.example/health' },
          ],
          'https://shop.example',
        ),
      ).toBe(2);
    });
  });
});
