import { resolveHeartbeats } from '../../../functions/commons/config/heartbeat-schema';
import { parseConfig } from '../../../functions/commons/config/resolve-config';
import { estimateCost } from '../../../functions/cost/estimate-cost';
import { heartbeatCostLines } from '../../../functions/cost/heartbeat-cost';

const base = { app: 'shop', environments: { local: { baseUrl: 'http://127.0.0.1:4010' } } };

describe('heartbeat cost', () => {
  it('prices an hourly heartbeat line by line from the price table', () => {
    // Prepare
    const config = parseConfig({
      ...base,
      heartbeats: [{ name: 'hourly', every: '1h', degradedAfter: '5m' }],
    });

    // Act
    const lines = heartbeatCostLines(resolveHeartbeats(config));

    // Assess: 730 runs × 2 pings = 1,460 pings; 43,800 evaluations a month.
    const byItem = Object.fromEntries(lines.map((line) => [line.item.split(' (')[0], line]));
    expect(byItem['heartbeat Lambda requests + duration']).toMatchObject({ quantity: 45_260 });
    // 45,260 requests × $0.20/M + (1,460 × 0.03 s + 43,800 × 0.15 s) × 0.25 GB × $0.0000133334
    expect(byItem['heartbeat Lambda requests + duration']?.usd).toBeCloseTo(0.009052 + 0.022046, 5);
    expect(byItem['heartbeat evaluator Scheduler invocations']?.usd).toBeCloseTo(0.0438, 6);
    // 1,460 writes × $0.625/M + 43,800 scans of 1 RRU × $0.125/M
    expect(byItem['heartbeat DynamoDB requests']?.usd).toBeCloseTo(0.0009125 + 0.005475, 7);
    // late + failed + degraded
    expect(byItem['heartbeat metrics']?.quantity).toBe(3);
    expect(byItem['heartbeat metrics']?.usd).toBeCloseTo(0.9, 6);
    expect(byItem['heartbeat alarms']?.usd).toBeCloseTo(0.3, 6);
    // $0.40 a secret + 8,760 token reads × $0.05 / 10,000
    expect(byItem['heartbeat token secrets']?.usd).toBeCloseTo(0.4 + 0.0438, 6);
  });

  it('adds heartbeats to the estimate of the config under their own categories, and nothing without them', () => {
    // Prepare
    const withHeartbeats = parseConfig({ ...base, heartbeats: [{ name: 'nightly', cron: '0 2 * * *' }] });
    const without = parseConfig(base);

    // Act
    const estimate = estimateCost(withHeartbeats, [], []);
    const none = estimateCost(without, [], []);

    // Assess
    expect(estimate.breakdown.secrets).toBeCloseTo(0.44, 2);
    expect(estimate.breakdown.dynamodb).toBeGreaterThan(0);
    expect(estimate.monthlyUsd).toBeGreaterThan(none.monthlyUsd + 0.6);
    expect(none.lines.some((line) => line.item.startsWith('heartbeat'))).toBe(false);
  });
});
