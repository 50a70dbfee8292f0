import { CronExpressionParser } from 'cron-parser';
import { type ResolvedSchedule, toStandardCron } from '../../functions/commons/config/schedule';

/** A job the local scheduler runs: what EventBridge Scheduler does in AWS. */
export interface LocalJob {
  readonly name: string;
  readonly schedule: ResolvedSchedule;
  /** Runs once; a rejection is reported through `onError`, never stops the scheduler. */
  readonly run: (signal: AbortSignal) => Promise<void>;
}

/** Options for {@link startLocalScheduler}. */
export interface LocalSchedulerOptions {
  /** Run every job once right away, then on its schedule. @default true */
  readonly runImmediately?: boolean;
  readonly onError: (job: LocalJob, error: unknown) => void;
  /**
   * Told of every tick skipped because the job's previous run is still going (deployed, that run never
   * happens either: its period has no data). @default nothing
   */
  readonly onSkip?: (job: LocalJob) => void;
  /** Wall clock. @default Date.now */
  readonly now?: () => number;
}

/** A running scheduler. */
export interface LocalScheduler {
  /** Stops timers, aborts running jobs and waits for them to settle. */
  stop(): Promise<void>;
}

/** Milliseconds until the next run of a schedule after `now`. */
export const nextDelayMs = (schedule: ResolvedSchedule, now: number): number => {
  if (schedule.everyMs !== undefined) return schedule.everyMs;
  const cron = CronExpressionParser.parse(toStandardCron(schedule.cron ?? '* * * * *'), {
    currentDate: new Date(now),
    tz: 'UTC',
  });
  return Math.max(1, cron.next().getTime() - now);
};

/**
 * Runs jobs on their schedules in this process, like EventBridge Scheduler does in AWS. A job whose
 * previous run is still going is skipped for that tick (never overlapping itself).
 */
export const startLocalScheduler = (
  jobs: readonly LocalJob[],
  options: LocalSchedulerOptions,
): LocalScheduler => {
  const now = options.now ?? Date.now;
  const controller = new AbortController();
  const timers = new Set<NodeJS.Timeout>();
  const running = new Set<Promise<void>>();
  const busy = new Set<string>();

  const fire = (job: LocalJob) => {
    if (controller.signal.aborted) return;
    if (busy.has(job.name)) {
      options.onSkip?.(job);
      return;
    }
    busy.add(job.name);
    const run = job
      .run(controller.signal)
      .catch((error: unknown) => options.onError(job, error))
      .finally(() => {
        busy.delete(job.name);
        running.delete(run);
      });
    running.add(run);
  };
  const plan = (job: LocalJob) => {
    if (controller.signal.aborted) return;
    const timer = setTimeout(
      () => {
        timers.delete(timer);
        fire(job);
        plan(job);
      },
      nextDelayMs(job.schedule, now()),
    );
    timers.add(timer);
  };

  for (const job of jobs) {
    if (options.runImmediately ?? true) fire(job);
    plan(job);
  }
  return {
    async stop() {
      controller.abort();
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await Promise.allSettled([...running]);
    },
  };
};
