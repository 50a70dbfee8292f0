import { DEFAULT_CERTIFICATE_THRESHOLDS } from '../commons/alarm-settings';
import type { ResolvedKpi } from '../commons/config/kpi-schema';
import type { VigilConfig } from '../commons/config/schema';
import type { ResolvedCheck } from '../commons/config/types';
import { type CostAssumptions, type CostEstimate, estimateCost } from './estimate-cost';

/** What one setting changes in the bill, against the config as it is. */
export interface CostChoice {
  /** The setting, as the config spells it. */
  readonly choice: string;
  /** Custom metrics added (negative: removed). */
  readonly metrics: number;
  /** Alarms added (negative: removed). */
  readonly alarms: number;
  /** Monthly USD added to the whole bill (negative: saved). */
  readonly usd: number;
  /** The checks' ratio to Synthetics canaries with this choice. */
  readonly ratio: number;
}

const sumOf = (estimate: CostEstimate, unit: string): number =>
  estimate.lines.filter((line) => line.unit === unit).reduce((sum, line) => sum + line.quantity, 0);

/** A region name no config uses: "one more location" without naming a real one. */
const EXTRA_LOCATION = 'one-more-location';

/**
 * What each metrics and alarm choice would change in the estimate of a config: `runner.metrics` switched
 * (essential ↔ detailed), one more location for every check, checks every 2 minutes or more twice as often
 * (EventBridge Scheduler runs a check at most once a minute), degraded alarms switched, and certificate
 * alarms switched (off, or on at their defaults). Each is the full estimate rerun with that one change, so
 * every price and assumption stays the one {@link estimateCost} uses. Pure: no AWS calls.
 *
 * @example
 * costChoices(config, resolveChecks(config), resolveKpis(config)).map((choice) => choice.usd);
 */
export const costChoices = (
  config: VigilConfig,
  checks: readonly ResolvedCheck[],
  kpis: readonly ResolvedKpi[],
  overrides: Partial<CostAssumptions> = {},
): CostChoice[] => {
  const base = estimateCost(config, checks, kpis, overrides);
  const against = (choice: string, other: CostEstimate): CostChoice => ({
    choice,
    metrics: Math.round(sumOf(other, 'metrics') - sumOf(base, 'metrics')),
    alarms: Math.round(sumOf(other, 'alarms') - sumOf(base, 'alarms')),
    usd: Number((other.monthlyUsd - base.monthlyUsd).toFixed(2)),
    ratio: other.ratio,
  });
  const level = config.runner.metrics === 'detailed' ? 'essential' : 'detailed';
  const degraded = !config.checkAlarms.degraded;
  const { certificate } = config.checkAlarms;
  return [
    against(
      `runner.metrics: '${level}'`,
      estimateCost({ ...config, runner: { ...config.runner, metrics: level } }, checks, kpis, overrides),
    ),
    against(
      'one more location for every check',
      estimateCost(
        config,
        checks.map((check) => ({ ...check, locations: [...check.locations, EXTRA_LOCATION] })),
        kpis,
        overrides,
      ),
    ),
    against(
      'checks every 2 minutes or more run twice as often',
      estimateCost(
        config,
        checks.map((check) =>
          check.schedule.everyMs === undefined || check.schedule.everyMs < 120_000
            ? check
            : { ...check, schedule: { ...check.schedule, everyMs: check.schedule.everyMs / 2 } },
        ),
        kpis,
        overrides,
      ),
    ),
    against(
      `checkAlarms.degraded: ${degraded}`,
      estimateCost({ ...config, checkAlarms: { ...config.checkAlarms, degraded } }, checks, kpis, overrides),
    ),
    certificate === false
      ? against(
          `checkAlarms.certificate: { warning: ${DEFAULT_CERTIFICATE_THRESHOLDS.warning}, critical: ${DEFAULT_CERTIFICATE_THRESHOLDS.critical} }`,
          estimateCost(
            {
              ...config,
              checkAlarms: { ...config.checkAlarms, certificate: DEFAULT_CERTIFICATE_THRESHOLDS },
            },
            checks,
            kpis,
            overrides,
          ),
        )
      : against(
          'checkAlarms.certificate: false (certificate alarms off)',
          estimateCost(
            { ...config, checkAlarms: { ...config.checkAlarms, certificate: false } },
            checks,
            kpis,
            overrides,
          ),
        ),
  ];
};
