/**
 * AWS list prices Vigil's cost estimate uses: US East (N. Virginia), on-demand, free tiers ignored (so the
 * estimate is an upper bound and comparable across accounts). One table, each price with its source page.
 * Compiled 2026-11-22 from the pages below; update them together when AWS changes a price.
 */
export const PRICES = {
  asOf: '2026-11-22',
  region: 'us-east-1',
  /** Custom metrics per metric-month, tiered over the account's total. */
  metricTiers: [
    { upTo: 10_000, usd: 0.3 },
    { upTo: 250_000, usd: 0.1 },
    { upTo: 1_000_000, usd: 0.05 },
    { upTo: Number.POSITIVE_INFINITY, usd: 0.02 },
  ],
  /** Standard-resolution alarm, per alarm metric-month (metric-math alarms pay per metric in the expression). */
  alarmStandardUsd: 0.1,
  /** High-resolution alarm (10 s / 30 s), per alarm metric-month. */
  alarmHighResolutionUsd: 0.3,
  /** Anomaly-detection alarm: three alarm metrics (the metric and the band's upper and lower bounds). */
  alarmAnomalyUsd: 0.3,
  /** Composite alarm, per alarm-month. */
  alarmCompositeUsd: 0.5,
  /** Dashboard, per dashboard-month. */
  dashboardUsd: 3,
  /** CloudWatch Logs ingestion (standard class), per GB; EMF records are logs. */
  logsIngestionPerGbUsd: 0.5,
  /** Lambda requests, per million. */
  lambdaRequestsPerMillionUsd: 0.2,
  /** Lambda duration on arm64, per GB-second. */
  lambdaArmGbSecondUsd: 0.0000133334,
  /** Step Functions Standard workflows, per state transition. */
  stepFunctionsTransitionUsd: 0.000025,
  /** EventBridge Scheduler, per invocation ($1.00 per million). */
  schedulerInvocationUsd: 0.000001,
  /** X-Ray traces recorded, per trace ($5.00 per million). */
  xrayTraceRecordedUsd: 0.000005,
  /** X-Ray traces retrieved or scanned, per trace ($0.50 per million). */
  xrayTraceRetrievedUsd: 0.0000005,
  /** CloudWatch Synthetics, per canary run. */
  canaryRunUsd: 0.0012,
  /** Secrets Manager, per secret-month (heartbeat ping tokens). Source: sources.secretsManager, 2026-12-01. */
  secretMonthUsd: 0.4,
  /** Secrets Manager API calls, per 10,000 ($0.05). Source: sources.secretsManager, 2026-12-01. */
  secretsPer10kCallsUsd: 0.05,
  /** DynamoDB on-demand, per million write request units. Source: sources.dynamodb, 2026-12-01. */
  dynamoDbWritePerMillionUsd: 0.625,
  /** DynamoDB on-demand, per million read request units. Source: sources.dynamodb, 2026-12-01. */
  dynamoDbReadPerMillionUsd: 0.125,
  /**
   * Lambda Function URL, per request on top of the function's own requests and duration: none (Function URLs
   * are billed as Lambda invocations). Source: sources.lambda, 2026-12-01.
   */
  functionUrlRequestUsd: 0,
  sources: {
    cloudwatch: 'https://aws.amazon.com/cloudwatch/pricing/',
    lambda: 'https://aws.amazon.com/lambda/pricing/',
    stepFunctions: 'https://aws.amazon.com/step-functions/pricing/',
    scheduler: 'https://aws.amazon.com/eventbridge/pricing/',
    xray: 'https://aws.amazon.com/xray/pricing/',
    secretsManager: 'https://aws.amazon.com/secrets-manager/pricing/',
    dynamodb: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
  },
} as const;

/** Hours AWS bills a month as. */
export const HOURS_PER_MONTH = 730;

/**
 * The monthly price of `count` custom metrics under the tiered rate, starting at metric number `from`
 * (so a share of the account's metrics can be priced at the tiers it actually falls in).
 *
 * @example
 * tieredMetricsUsd(10_001); // 10_000 * 0.30 + 1 * 0.10 = 3000.1
 */
export const tieredMetricsUsd = (count: number, from = 0): number => {
  let usd = 0;
  let lower = 0;
  for (const tier of PRICES.metricTiers) {
    const start = Math.max(lower, from);
    const end = Math.min(tier.upTo, from + count);
    if (end > start) usd += (end - start) * tier.usd;
    lower = tier.upTo;
  }
  return usd;
};
