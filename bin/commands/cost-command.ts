import { resolveChecks } from '../../functions/commons/config/resolve-config';
import { resolveKpis } from '../../functions/commons/config/resolve-kpis';
import { estimateConfigCost } from '../../functions/cost/config-cost';
import { type CostChoice, costChoices } from '../../functions/cost/cost-choices';
import type { CostEstimate } from '../../functions/cost/estimate-cost';
import {
  formatPagingCost,
  PAGING_COST_USAGE,
  PAGING_PRICES,
  pagingCostLines,
  takePagingCostArgs,
} from '../../functions/cost/paging-cost';
import { PRICES } from '../../functions/cost/price-table';
import { type CliCommand, EXIT } from './cli-command';
import { parseConfigJsonArgs } from './config-json-args';
import { loadCliConfig } from './load-cli-config';

const USAGE = `Usage: vigil cost [--config F] [--json]

Estimates the monthly AWS bill of the deployed config from list prices (${PRICES.region}, ${PRICES.asOf}),
beside the cost of the same checks as CloudWatch Synthetics canaries.
  --config F  config file (default: vigil.config.ts, .js or .json in the current directory)
  --json      print { "monthlyUsd", "checksMonthlyUsd", "breakdown", "canaryEquivalentUsd", "ratio",
              "lines", "pricesAsOf", "choices" }
Exit code: 0, or 2 for invalid config or usage.`;

const usd = (value: number): string => `$${value.toFixed(2)}`;

/** The readable table of an estimate. */
export const formatCostTable = (estimate: CostEstimate): string => {
  const rows = estimate.lines.filter((line) => line.quantity > 0 || line.usd > 0);
  const width = Math.max(...rows.map((line) => line.item.length), 10);
  return [
    `${'item'.padEnd(width)}  ${'quantity'.padStart(14)}  ${'USD/month'.padStart(10)}  checks`,
    ...rows.map(
      (line) =>
        `${line.item.padEnd(width)}  ${`${line.quantity.toLocaleString('en-US')} ${line.unit}`.padStart(14)}  ${usd(line.usd).padStart(10)}  ${line.checks ? 'yes' : ''}`,
    ),
    '',
    `Total:                 ${usd(estimate.monthlyUsd)}/month`,
    `Checks' own share:     ${usd(estimate.checksMonthlyUsd)}/month`,
    `Same checks as canaries: ${usd(estimate.canaryEquivalentUsd)}/month (${PRICES.canaryRunUsd} USD per run): ${estimate.ratio}x`,
    `Prices: ${PRICES.region}, list prices of ${PRICES.asOf}, free tiers ignored (${Object.values(PRICES.sources).join(', ')})`,
  ].join('\n');
};

const signed = (value: number, text: string): string => `${value >= 0 ? '+' : '-'}${text}`;

/** What each metrics and alarm choice changes ({@link costChoices}), one line each. */
export const formatCostChoices = (choices: readonly CostChoice[]): string => {
  const width = Math.max(...choices.map((choice) => choice.choice.length), 10);
  return [
    'What each choice changes (the whole bill, same prices):',
    ...choices.map(
      (choice) =>
        `  ${choice.choice.padEnd(width)}  ${signed(choice.metrics, `${Math.abs(choice.metrics)} metrics`).padStart(13)}  ${signed(choice.alarms, `${Math.abs(choice.alarms)} alarms`).padStart(11)}  ${signed(choice.usd, usd(Math.abs(choice.usd))).padStart(10)}/month  checks ${choice.ratio}x cheaper than canaries`,
    ),
  ].join('\n');
};

/** `vigil cost`: the monthly cost estimate of the config. */
export const costCommand: CliCommand = {
  usage: `${USAGE}\n${PAGING_COST_USAGE}`,
  async run(argv, io) {
    // Paging people (SMS, voice, email): functions/cost/paging-cost.ts, its own section of the estimate.
    const paging = takePagingCostArgs(argv);
    if (typeof paging === 'string') {
      io.stderr(`${paging}\n\n${USAGE}\n${PAGING_COST_USAGE}\n`);
      return EXIT.invalid;
    }
    const values = parseConfigJsonArgs(paging.rest, io, `${USAGE}\n${PAGING_COST_USAGE}`);
    if (!values) return EXIT.invalid;
    const loaded = loadCliConfig(io, values.config, undefined);
    if (!loaded) return EXIT.invalid;
    const estimate = estimateConfigCost(loaded.config);
    const pagingLines = pagingCostLines(loaded.config, { incidentsPerMonth: paging.incidentsPerMonth });
    const pagingJson = {
      incidentsPerMonth: paging.incidentsPerMonth,
      monthlyUsd: pagingLines.reduce((sum, line) => sum + line.usd, 0),
      lines: pagingLines,
      pricesAsOf: PAGING_PRICES.asOf,
    };
    const choices = costChoices(loaded.config, resolveChecks(loaded.config), resolveKpis(loaded.config));
    if (values.json) {
      const { monthlyUsd, checksMonthlyUsd, breakdown, canaryEquivalentUsd, ratio, lines, pricesAsOf } =
        estimate;
      io.stdout(
        `${JSON.stringify({ monthlyUsd, checksMonthlyUsd, breakdown, canaryEquivalentUsd, ratio, lines, pricesAsOf, choices, paging: pagingJson }, null, 2)}\n`,
      );
    } else {
      const pagingText = formatPagingCost(pagingLines, paging.incidentsPerMonth);
      io.stdout(
        `${formatCostTable(estimate)}\n\n${formatCostChoices(choices)}\n${pagingText === '' ? '' : `\n${pagingText}\n`}`,
      );
    }
    return EXIT.ok;
  },
};
