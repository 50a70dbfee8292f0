import type { ResolvedHeartbeat } from '../commons/config/heartbeat-schema';
import { HOURS_PER_MONTH, PRICES, tieredMetricsUsd } from './price-table';

/** Usage assumptions of the heartbeat estimate; each can be overridden. */
export interface HeartbeatCostAssumptions {
  /** Runs per month of a cron heartbeat (its frequency is not derived). @default 730 (hourly) */
  readonly cronRunsPerMonth: number;
  /** Pings per run: `/start` and success. @default 2 */
  readonly pingsPerRun: number;
  /** Ping handler time per ping, ms (a DynamoDB update; tokens cached). @default 30 */
  readonly pingMs: number;
  /** Evaluator time per run, ms (one scan, one EMF record per heartbeat). @default 150 */
  readonly evaluatorMs: number;
  /** Bytes logged per evaluator run and heartbeat (its EMF record). @default 400 */
  readonly logBytesPerHeartbeatEvaluation: number;
  /** Custom metrics already in the account before the heartbeats' (tiered pricing). @default 0 */
  readonly metricsBefore: number;
}

/** The defaults of {@link HeartbeatCostAssumptions}. */
export const DEFAULT_HEARTBEAT_ASSUMPTIONS: HeartbeatCostAssumptions = {
  cronRunsPerMonth: HOURS_PER_MONTH,
  pingsPerRun: 2,
  pingMs: 30,
  evaluatorMs: 150,
  logBytesPerHeartbeatEvaluation: 400,
  metricsBefore: 0,
};

/** One line of the heartbeat bill (the shape of the cost estimate's lines). */
export interface HeartbeatCostLine {
  readonly item: string;
  readonly quantity: number;
  readonly unit: string;
  readonly usd: number;
}

const MINUTES_PER_MONTH = HOURS_PER_MONTH * 60;
const MEMORY_GB = 256 / 1024;
const GB = 1024 ** 3;

/**
 * The monthly cost of the heartbeats: pings through the Function URL (Lambda requests and duration; the URL
 * itself adds nothing), the DynamoDB writes they make, the evaluator every minute (Scheduler, Lambda, its
 * scan and EMF logs), the metrics and alarms, and one Secrets Manager secret per token (its reads at most
 * once per 5 minutes per warm ping function). Each price is in {@link PRICES} with its source.
 *
 * @example
 * heartbeatCostLines(resolveHeartbeats(config)).reduce((sum, line) => sum + line.usd, 0);
 */
export const heartbeatCostLines = (
  heartbeats: readonly ResolvedHeartbeat[],
  overrides: Partial<HeartbeatCostAssumptions> = {},
): HeartbeatCostLine[] => {
  if (heartbeats.length === 0) return [];
  const a = { ...DEFAULT_HEARTBEAT_ASSUMPTIONS, ...overrides };
  const runs = heartbeats.reduce(
    (sum, heartbeat) =>
      sum +
      ('everyMs' in heartbeat.expect
        ? (MINUTES_PER_MONTH * 60_000) / heartbeat.expect.everyMs
        : a.cronRunsPerMonth),
    0,
  );
  const pings = runs * a.pingsPerRun;
  const evaluations = MINUTES_PER_MONTH;
  const requests = pings + evaluations;
  const gbSeconds = ((pings * a.pingMs + evaluations * a.evaluatorMs) / 1000) * MEMORY_GB;
  const metrics = heartbeats.length * 2 + heartbeats.filter((h) => h.degradedAfterMs !== undefined).length;
  const alarms = metrics;
  // Token reads: every heartbeat's secret each 5 minutes while the ping function is warm (an upper bound).
  const secretCalls = heartbeats.length * (MINUTES_PER_MONTH / 5);
  const logGb = (evaluations * heartbeats.length * a.logBytesPerHeartbeatEvaluation) / GB;
  return [
    {
      item: 'heartbeat Lambda requests + duration (pings via Function URL, evaluator)',
      quantity: requests,
      unit: 'requests',
      usd:
        (requests / 1e6) * PRICES.lambdaRequestsPerMillionUsd +
        gbSeconds * PRICES.lambdaArmGbSecondUsd +
        pings * PRICES.functionUrlRequestUsd,
    },
    {
      item: 'heartbeat evaluator Scheduler invocations',
      quantity: evaluations,
      unit: 'invocations',
      usd: evaluations * PRICES.schedulerInvocationUsd,
    },
    {
      item: 'heartbeat DynamoDB requests (a write per ping, a scan per evaluation)',
      quantity: pings + evaluations,
      unit: 'requests',
      usd:
        (pings / 1e6) * PRICES.dynamoDbWritePerMillionUsd +
        ((evaluations * Math.max(1, Math.ceil(heartbeats.length / 4))) / 1e6) *
          PRICES.dynamoDbReadPerMillionUsd,
    },
    {
      item: 'heartbeat evaluator logs (EMF)',
      quantity: logGb,
      unit: 'GB',
      usd: logGb * PRICES.logsIngestionPerGbUsd,
    },
    {
      item: 'heartbeat metrics',
      quantity: metrics,
      unit: 'metrics',
      usd: tieredMetricsUsd(metrics, a.metricsBefore),
    },
    { item: 'heartbeat alarms', quantity: alarms, unit: 'alarms', usd: alarms * PRICES.alarmStandardUsd },
    {
      item: 'heartbeat token secrets',
      quantity: heartbeats.length,
      unit: 'secrets',
      usd: heartbeats.length * PRICES.secretMonthUsd + (secretCalls / 10_000) * PRICES.secretsPer10kCallsUsd,
    },
  ];
};
