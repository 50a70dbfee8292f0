import { resolveChecks } from '../../functions/commons/config/resolve-config';
import type { VigilConfig } from '../../functions/commons/config/schema';
import { runnerPlan } from '../../functions/synthetics/planning/runner-plan';
import type { SchedulePlan } from '../../functions/synthetics/planning/shard-planner';
import { type CliCommand, EXIT } from './cli-command';
import { parseConfigJsonArgs } from './config-json-args';
import { loadCliConfig } from './load-cli-config';

const USAGE = `Usage: vigil plan [--config F] [--json]

Prints how the runner of each location splits each schedule's checks into shards (one Scheduler schedule
and one invocation each): every shard's worst case (every check timing out, \`runner.concurrency\` at a
time), after its checks' starts are spread over the period, and the headroom left of the period.
  --config F  config file (default: vigil.config.ts, .js or .json in the current directory)
  --json      print { "locations": [{ "location", "schedules": [plan, ...] }] }
Exit code: 0 when every shard fits its period, 1 when one cannot (a warning names the check), 2 for
invalid config or usage.`;

/** The plans of every location's runner, as the construct deploys them. */
export interface LocationPlan {
  readonly location: string;
  readonly schedules: readonly SchedulePlan[];
}

/**
 * The shard plans of a config, one per location (a runner per location, as `SyntheticsStack` deploys).
 *
 * @example
 * planConfig(loadConfig().config)[0]?.schedules[0]?.shards.length;
 */
export const planConfig = (config: VigilConfig): LocationPlan[] => {
  const checks = resolveChecks(config);
  const locations = [...new Set(checks.flatMap((check) => check.locations))].sort();
  return locations.map((location) => ({
    location,
    schedules: [
      ...runnerPlan({
        checks: checks.filter((check) => check.locations.includes(location)),
        concurrency: config.runner.concurrency,
      }).values(),
    ],
  }));
};

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** The readable table of one location's plans. */
export const formatPlan = (plan: LocationPlan): string =>
  plan.schedules
    .map((schedule) =>
      [
        `${plan.location} ${schedule.schedule} (${schedule.expression}): ${schedule.shards.reduce((n, shard) => n + shard.checks.length, 0)} check(s) in ${schedule.shards.length} shard(s); period ${seconds(schedule.periodMs)} = starts spread + worst case + headroom + margin ${seconds(schedule.marginMs)}`,
        `  ${'shard'.padEnd(6)} ${'checks'.padStart(7)} ${'spread'.padStart(8)} ${'worst case'.padStart(11)} ${'headroom'.padStart(10)}`,
        ...schedule.shards.map(
          (shard) =>
            `  ${String(shard.index).padEnd(6)} ${String(shard.checks.length).padStart(7)} ${seconds(shard.spreadMs).padStart(8)} ${seconds(shard.worstCaseMs).padStart(11)} ${seconds(shard.headroomMs).padStart(10)}${shard.fits ? '' : '  DOES NOT FIT'}`,
        ),
      ].join('\n'),
    )
    .join('\n\n');

/** `vigil plan`: the runner's shards and how they fit their periods. */
export const planCommand: CliCommand = {
  usage: USAGE,
  async run(argv, io) {
    const values = parseConfigJsonArgs(argv, io, USAGE);
    if (!values) return EXIT.invalid;
    const loaded = loadCliConfig(io, values.config, undefined);
    if (!loaded) return EXIT.invalid;
    const plans = planConfig(loaded.config);
    if (values.json) io.stdout(`${JSON.stringify({ locations: plans }, null, 2)}\n`);
    else io.stdout(`${plans.map(formatPlan).join('\n\n')}\n`);
    const warnings = plans.flatMap((plan) =>
      plan.schedules.flatMap((schedule) => schedule.warnings.map((warning) => `${plan.location} ${warning}`)),
    );
    for (const warning of warnings) io.stderr(`warning: ${warning}\n`);
    return warnings.length > 0 ? EXIT.failed : EXIT.ok;
  },
};
