import { resolveChecks } from '../commons/config/resolve-config';
import { resolveKpis } from '../commons/config/resolve-kpis';
import type { VigilConfig } from '../commons/config/schema';
import { type CostEstimate, costSummaryLine, estimateCost } from './estimate-cost';

/**
 * The estimate of a config (checks and KPIs resolved), for `vigil cost` and the synth summary.
 *
 * @example
 * estimateConfigCost(loadConfig().config).monthlyUsd;
 */
export const estimateConfigCost = (config: VigilConfig): CostEstimate =>
  estimateCost(config, resolveChecks(config), resolveKpis(config));

/**
 * The one-line summary the CDK app (`bin/app.ts`) prints at synth (to stderr, so `cdk synth` output stays a
 * template).
 *
 * @example
 * process.stderr.write(`${synthCostSummary(config)}\n`);
 */
export const synthCostSummary = (config: VigilConfig): string => costSummaryLine(estimateConfigCost(config));
