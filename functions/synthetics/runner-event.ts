// zod/mini: tree-shaken to a few KiB in the runner's bundle (zod's classic API pulls in every locale).
import * as z from 'zod/mini';
import { formatPath } from '../commons/config/errors';
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
 * `shardCounts` (shards per schedule) bounds `shard`. Every problem is reported at once, each with its field.
 *
 * @throws {SyntheticsEventError} naming each field that is wrong and the accepted values
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
  const given = (event as Record<string, unknown>).schedule;
  // The shard is checked against the schedule's shard count, once the schedule is one of this runner's.
  const shards =
    typeof given === 'string' && schedules.has(given) ? (shardCounts.get(given) ?? 1) : undefined;
  const schema = z.object({
    schedule: z.custom<string>((value) => typeof value === 'string' && schedules.has(value), {
      error: (issue) =>
        `must be one of ${[...schedules].join(', ') || '(no schedules)'}, got ${JSON.stringify(issue.input)}`,
    }),
    shard: z.optional(
      z.custom<number>(
        (value) =>
          shards === undefined ||
          (Number.isInteger(value) && (value as number) >= 0 && (value as number) < shards),
        {
          error: (issue) =>
            `must be an integer from 0 to ${(shards ?? 1) - 1} (schedule ${String(given)} has ${shards} shard(s)), got ${JSON.stringify(issue.input)}`,
        },
      ),
    ),
    only: z.optional(
      z
        .custom<string[]>(
          (value) => Array.isArray(value) && value.every((name) => typeof name === 'string'),
          {
            error: 'must be an array of check names',
          },
        )
        .check(
          z.refine((names: string[]) => names.every((name) => checkNames.has(name)), {
            error: (issue) =>
              `names unknown checks: ${(issue.input as string[]).filter((name) => !checkNames.has(name)).join(', ')}`,
          }),
        ),
    ),
  });
  const parsed = schema.safeParse(event);
  if (!parsed.success)
    throw new SyntheticsEventError(
      parsed.error.issues.map((issue) => `event.${formatPath(issue.path)} ${issue.message}`).join('; '),
    );
  const { schedule, shard, only } = parsed.data;
  return { schedule, ...(shard === undefined ? {} : { shard }), ...(only === undefined ? {} : { only }) };
};
