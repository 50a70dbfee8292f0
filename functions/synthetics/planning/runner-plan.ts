import type { RunnerConfig } from '../types/runner-config';
import { planShards, type SchedulePlan } from './shard-planner';

const plans = new WeakMap<RunnerConfig, ReadonlyMap<string, SchedulePlan>>();

/**
 * The shard plan of a runner's checks, by schedule key: the one home of the planning options, so the
 * construct (one Scheduler schedule per shard), the runner (which checks a `{schedule, shard}` event runs)
 * and `vigil plan` always agree. Computed once per config object (a Lambda container plans once).
 *
 * @example
 * runnerPlan(runnerConfig).get('every-1m')?.shards.length;
 */
export const runnerPlan = (
  config: Pick<RunnerConfig, 'checks' | 'concurrency'>,
): ReadonlyMap<string, SchedulePlan> => {
  const cached = plans.get(config as RunnerConfig);
  if (cached) return cached;
  const plan = new Map(
    planShards(config.checks, { concurrency: config.concurrency }).map((schedule) => [
      schedule.schedule,
      schedule,
    ]),
  );
  plans.set(config as RunnerConfig, plan);
  return plan;
};
