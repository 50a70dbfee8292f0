import type { ResolvedSchedule } from '../../commons/config/schedule';
import type { ResolvedCheck } from '../../commons/config/types';
import { retryDelayMs } from '../engine/retry-policy';
import { type checkOffsetMs, stableHash } from './check-offsets';

/** How the planner sizes shards. */
export interface ShardPlanOptions {
  /** Checks one shard runs at once (the runner's `concurrency`). */
  readonly concurrency: number;
  /** Time kept back in every period for start-up, publishing and clock skew. @default 10_000 */
  readonly marginMs?: number;
  /**
   * Share of the budget (period minus margin) a shard's worst case may take; the rest is the window over
   * which check starts are spread ({@link checkOffsetMs}). @default 0.5
   */
  readonly fill?: number;
  /**
   * Check starts per second a shard spreads its checks at (its spread is its check count over this, within
   * the room its period leaves): enough to keep a burst off the targets without keeping a Lambda waiting
   * long for a handful of checks. @default 20
   */
  readonly startsPerSecond?: number;
}

/** One shard: the checks one invocation runs, and its worst case. */
export interface PlannedShard {
  readonly index: number;
  /** Names of its checks, sorted. */
  readonly checks: readonly string[];
  /** Its checks' starts are spread over `[0, spreadMs)` of each run ({@link checkOffsetMs}). */
  readonly spreadMs: number;
  /** Longest the shard can take once its last check has started: see {@link shardWorstCaseMs}. */
  readonly worstCaseMs: number;
  /** What is left of the period after the start spread, the worst case and the margin (negative: overrun). */
  readonly headroomMs: number;
  /** Whether the spread plus the worst case fits the period minus the margin. */
  readonly fits: boolean;
}

/** The shards of one schedule. */
export interface SchedulePlan {
  /** The schedule key (`every-1m`). */
  readonly schedule: string;
  readonly expression: string;
  /** The shortest time between two runs (for a cron, a conservative reading of its minutes field). */
  readonly periodMs: number;
  readonly marginMs: number;
  /**
   * The most a shard of checks that fit `capacityMs` may spread its starts over (it spreads
   * `checks / startsPerSecond`, up to this; longer checks' shards have less room).
   */
  readonly spreadMs: number;
  /** What the worst case of a shard of short checks may take. */
  readonly capacityMs: number;
  readonly shards: readonly PlannedShard[];
  /** Whether every shard fits. */
  readonly fits: boolean;
  /** Why not, one line per check that cannot fit even alone. */
  readonly warnings: readonly string[];
}

const DEFAULT_MARGIN_MS = 10_000;
const DEFAULT_FILL = 0.5;
const DEFAULT_STARTS_PER_SECOND = 20;
/**
 * Shards planned beyond the fewest that fit, as a share of them (see {@link planSchedule}); and the share
 * of the budget a schedule planned as one shard keeps as headroom.
 */
const SLACK = 0.2;

/**
 * The shortest time between two runs of a schedule: `everyMs` for a rate; for a cron, the step of its
 * minutes field when the hours are `*` (`0/5` → 5 minutes, a single minute → an hour), else one minute
 * (no cron fires more often, so the plan errs on the safe side).
 *
 * @example
 * schedulePeriodMs({ key: 'every-1m', expression: 'rate(1 minute)', everyMs: 60_000 }); // 60_000
 */
export const schedulePeriodMs = (schedule: ResolvedSchedule): number => {
  if (schedule.everyMs !== undefined) return schedule.everyMs;
  const [minutes = '*', hours = '*'] = (schedule.cron ?? '').split(/\s+/);
  if (hours !== '*') return 60_000;
  if (minutes === '*') return 60_000;
  const step = /^(?:\*|\d+)\/(\d+)$/.exec(minutes)?.[1];
  if (step !== undefined) return Number(step) * 60_000;
  if (/^\d+$/.test(minutes)) return 3_600_000;
  return 60_000;
};

/**
 * The longest one check can take: every attempt timing out on every step (or its probe), plus the waits
 * between attempts, capped by the check's own `timeoutMs` (which the engine enforces over the whole check).
 *
 * @example
 * checkWorstCaseMs(check); // 10_000 for one 10 s step and one attempt
 */
export const checkWorstCaseMs = (check: ResolvedCheck): number => {
  const attemptMs = check.probe
    ? check.probe.timeoutMs
    : [...check.setup, ...check.steps, ...check.teardown].reduce((sum, step) => sum + step.timeoutMs, 0);
  const attempts = check.retry.maxAttempts;
  let total = attempts * attemptMs;
  for (let retry = 1; retry < attempts; retry += 1) total += retryDelayMs(check.retry, retry);
  return Math.min(check.timeoutMs, total);
};

/**
 * The worst case of a shard whose checks take at most `worstMs` each, run `concurrency` at a time once
 * they have all started: the smaller of two sound bounds, `ceil(n / c) × max` (equal checks in waves) and
 * `sum / c + max` (Graham's bound for any list schedule).
 *
 * @example
 * shardWorstCaseMs([10_000, 10_000, 10_000], 2); // 20_000
 */
export const shardWorstCaseMs = (worstMs: readonly number[], concurrency: number): number => {
  if (worstMs.length === 0) return 0;
  let sum = 0;
  let max = 0;
  for (const ms of worstMs) {
    sum += ms;
    max = Math.max(max, ms);
  }
  return Math.ceil(Math.min(Math.ceil(worstMs.length / concurrency) * max, sum / concurrency + max));
};

interface Sized {
  readonly name: string;
  readonly worstMs: number;
  readonly rank: number;
}

/** Adds a check to a shard if it still fits; the running sums make this O(1). */
class ShardBin {
  public readonly names: string[] = [];
  private sum = 0;
  private max = 0;

  public constructor(private readonly concurrency: number) {}

  public worstWith(ms: number): number {
    const count = this.names.length + 1;
    const max = Math.max(this.max, ms);
    return Math.min(Math.ceil(count / this.concurrency) * max, (this.sum + ms) / this.concurrency + max);
  }

  public add(check: Sized): void {
    this.names.push(check.name);
    this.sum += check.worstMs;
    this.max = Math.max(this.max, check.worstMs);
  }
}

/** Rendezvous assignment of `checks` to `count` shards with capacity; `undefined` when one does not fit. */
const assign = (
  checks: readonly Sized[],
  count: number,
  capacityMs: number,
  concurrency: number,
  salt: string,
): ShardBin[] | undefined => {
  const bins = Array.from({ length: count }, () => new ShardBin(concurrency));
  for (const check of checks) {
    const ranked = bins
      .map((bin, index) => ({ bin, score: stableHash(`${check.name}#${salt}${index}`) }))
      .sort((a, b) => b.score - a.score);
    const home = ranked.find(({ bin }) => bin.worstWith(check.worstMs) <= capacityMs);
    if (!home) return undefined;
    home.bin.add(check);
  }
  return bins;
};

/**
 * Rendezvous-packs checks into the fewest shards of `capacityMs` they fit (from a lower bound, one more
 * at a time, at most one per check), plus a fifth more: shards with room absorb a new check where
 * rendezvous puts it instead of pushing others along, and the count only changes when the schedule grows
 * by about a fifth. `salt` keeps two packings of one schedule independent.
 */
const pack = (
  checks: readonly Sized[],
  capacityMs: number,
  concurrency: number,
  salt: string,
): string[][] => {
  if (checks.length === 0) return [];
  const totalMs = checks.reduce((sum, check) => sum + check.worstMs, 0);
  let fewest = Math.max(1, Math.ceil(totalMs / concurrency / Math.max(1, capacityMs)));
  while (fewest < checks.length && assign(checks, fewest, capacityMs, concurrency, salt) === undefined)
    fewest += 1;
  const bins =
    assign(checks, fewest + Math.floor(fewest * SLACK), capacityMs, concurrency, salt) ??
    assign(checks, fewest, capacityMs, concurrency, salt) ??
    [];
  return bins.map((bin) => bin.names).filter((names) => names.length > 0);
};

/**
 * The whole schedule as one shard, when that shard fits its budget with room to spare: its worst case
 * plus its start spread leave at least a fifth of the budget (the {@link SLACK} packed plans keep) as
 * headroom. A handful of checks, one of them long, then take one invocation instead of a shard for the
 * short ones and another for the long one. `undefined` when a check cannot fit alone, or the schedule
 * has outgrown one shard (it is then packed, and grows shard by shard from there).
 */
const singleShard = (
  sized: readonly Sized[],
  budgetMs: number,
  spacingMs: number,
  worstOf: (names: readonly string[]) => number,
): { names: string[]; spreadMs: number } | undefined => {
  if (sized.some((check) => check.worstMs > budgetMs)) return undefined;
  const names = sized.map((check) => check.name);
  const worstMs = worstOf(names);
  const spreadMs = Math.max(0, Math.min(budgetMs - worstMs, Math.round(names.length * spacingMs)));
  return budgetMs - spreadMs - worstMs >= budgetMs * SLACK ? { names, spreadMs } : undefined;
};

/**
 * Splits one schedule's checks into shards whose worst case fits the period: the start spread, then every
 * check timing out, `concurrency` at a time, within the period minus a margin. A schedule whose checks all
 * fit one shard with a fifth of the budget to spare is one shard. Otherwise assignment is rendezvous
 * hashing with capacity, checks taken in the order of their own hash: adding a check moves few others, and
 * input order never matters. A check longer than the period minus the margin gets its own shard and a
 * warning.
 *
 * @throws {RangeError} when `concurrency` is not an integer >= 1 or `fill` is not in (0, 1]
 * @example
 * planSchedule(checks, { concurrency: 20 }).shards.length;
 */
export const planSchedule = (checks: readonly ResolvedCheck[], options: ShardPlanOptions): SchedulePlan => {
  const { concurrency } = options;
  const marginMs = options.marginMs ?? DEFAULT_MARGIN_MS;
  const fill = options.fill ?? DEFAULT_FILL;
  const spacingMs = 1000 / (options.startsPerSecond ?? DEFAULT_STARTS_PER_SECOND);
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new RangeError(`concurrency must be an integer >= 1, got ${concurrency}`);
  if (!(fill > 0 && fill <= 1)) throw new RangeError(`fill must be in (0, 1], got ${fill}`);
  const first = checks[0];
  if (!first) throw new RangeError('a schedule plan needs at least one check');
  const periodMs = schedulePeriodMs(first.schedule);
  const budgetMs = Math.max(0, periodMs - marginMs);
  const capacityMs = Math.floor(budgetMs * fill);
  const spreadMs = budgetMs - capacityMs;
  const sized = checks
    .map((check) => ({ name: check.name, worstMs: checkWorstCaseMs(check), rank: stableHash(check.name) }))
    .sort((a, b) => a.rank - b.rank || (a.name < b.name ? -1 : 1));
  // Most checks share shards of `capacityMs`, their starts spread over `spreadMs`; checks too long for that
  // but within the budget share shards of the whole budget, starting as late as their worst case allows;
  // a check longer than the budget gets a shard of its own and a warning.
  const small = sized.filter((check) => check.worstMs <= capacityMs);
  const large = sized.filter((check) => check.worstMs > capacityMs && check.worstMs <= budgetMs);
  const tooLong = sized.filter((check) => check.worstMs > budgetMs);
  const worstByName = new Map(sized.map((check) => [check.name, check.worstMs]));
  const worstOf = (names: readonly string[]) =>
    shardWorstCaseMs(
      names.map((name) => worstByName.get(name) ?? 0),
      concurrency,
    );
  const single = singleShard(sized, budgetMs, spacingMs, worstOf);
  const groups = single
    ? [single]
    : [
        ...pack(small, capacityMs, concurrency, 'small').map((names) => ({
          names,
          spreadMs: Math.min(spreadMs, Math.round(names.length * spacingMs)),
        })),
        ...pack(large, budgetMs, concurrency, 'large').map((names) => ({
          names,
          spreadMs: Math.min(budgetMs - worstOf(names), Math.round(names.length * spacingMs)),
        })),
        ...tooLong.map((check) => ({ names: [check.name], spreadMs: 0 })),
      ];
  const shards = groups.map(({ names, spreadMs: shardSpreadMs }, index): PlannedShard => {
    const worstCaseMs = worstOf(names);
    const headroomMs = budgetMs - shardSpreadMs - worstCaseMs;
    return {
      index,
      checks: [...names].sort(),
      spreadMs: shardSpreadMs,
      worstCaseMs,
      headroomMs,
      fits: headroomMs >= 0,
    };
  });
  const warnings = tooLong.map(
    (check) =>
      `${first.schedule.key}: check ${check.name} can take ${check.worstMs} ms, more than the ${budgetMs} ms its ${periodMs} ms period leaves after a ${marginMs} ms margin: lower its timeout or retries, or run it less often`,
  );
  return {
    schedule: first.schedule.key,
    expression: first.schedule.expression,
    periodMs,
    marginMs,
    spreadMs,
    capacityMs,
    shards,
    fits: warnings.length === 0,
    warnings,
  };
};

/**
 * Plans every schedule of a runner's checks, in order of schedule key.
 *
 * @example
 * planShards(runnerConfig.checks, { concurrency: runnerConfig.concurrency });
 */
export const planShards = (checks: readonly ResolvedCheck[], options: ShardPlanOptions): SchedulePlan[] => {
  const bySchedule = new Map<string, ResolvedCheck[]>();
  for (const check of checks) {
    const list = bySchedule.get(check.schedule.key) ?? [];
    list.push(check);
    bySchedule.set(check.schedule.key, list);
  }
  return [...bySchedule.keys()].sort().map((key) => planSchedule(bySchedule.get(key) ?? [], options));
};
