import type { RunnerEvent } from './types/runner-config';

/** Thrown when the runner receives an event it cannot act on. */
export class SyntheticsEventError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'SyntheticsEventError';
  }
}

/**
 * Validates the runner's invocation event: `{ "schedule": "every-1m", "shard"?: 0, "only"?: ["check", ...] }`.
 * `shardCounts` (shards per schedule) bounds `shard`.
 *
 * @throws {SyntheticsEventError} naming the field that is wrong and the accepted values
 */
export const parseRunnerEvent = (
  event: unknown,
  schedules: ReadonlySet<string>,
  checkNames: ReadonlySet<string>,
  shardCounts: ReadonlyMap<string, number> = new Map(),
): RunnerEvent => {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    throw new SyntheticsEventError(
      `event must be an object like { "schedule": "every-1m" }, got ${typeof event}`,
    );
  }
  const { schedule, shard, only } = event as Record<string, unknown>;
  if (typeof schedule !== 'string' || !schedules.has(schedule)) {
    throw new SyntheticsEventError(
      `event.schedule must be one of ${[...schedules].join(', ') || '(no schedules)'}, got ${JSON.stringify(schedule)}`,
    );
  }
  const shards = shardCounts.get(schedule) ?? 1;
  if (
    shard !== undefined &&
    !(Number.isInteger(shard) && (shard as number) >= 0 && (shard as number) < shards)
  ) {
    throw new SyntheticsEventError(
      `event.shard must be an integer from 0 to ${shards - 1} (schedule ${schedule} has ${shards} shard(s)), got ${JSON.stringify(shard)}`,
    );
  }
  const sharded = shard === undefined ? {} : { shard: shard as number };
  if (only === undefined) return { schedule, ...sharded };
  if (!Array.isArray(only) || !only.every((name): name is string => typeof name === 'string')) {
    throw new SyntheticsEventError('event.only must be an array of check names');
  }
  const unknown = only.filter((name) => !checkNames.has(name));
  if (unknown.length > 0)
    throw new SyntheticsEventError(`event.only names unknown checks: ${unknown.join(', ')}`);
  return { schedule, ...sharded, only };
};
