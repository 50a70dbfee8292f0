import { type Clock, realClock } from '../../functions/commons/clock';
import { MemoryNoticeLog } from '../../functions/oncall/adapters/memory-notice-log';
import {
  type ShiftNoticeRun,
  type ShiftNoticeSender,
  sendShiftNotices,
} from '../../functions/oncall/core/send-shift-notices';
import {
  GAP_WARNING_AHEAD_MS,
  NOTICE_METHODS,
  type ShiftNoticeConfig,
} from '../../functions/oncall/core/shift-notices';
import type { ScheduleOverride } from '../../functions/oncall/types/override';

/** Options of {@link startLocalShiftNotices}. */
export interface LocalShiftNoticesOptions {
  readonly config: ShiftNoticeConfig;
  /** Run-time overrides of a schedule (`.vigil/oncall-overrides.json` in `npm start`). */
  readonly overrides: (schedule: string) => Promise<readonly ScheduleOverride[]>;
  /** Lines for the console. */
  readonly print: (line: string) => void;
  /** @default realClock */
  readonly clock?: Pick<Clock, 'now'>;
  /** How often handoffs are looked for. @default 30000 */
  readonly everyMs?: number;
}

/** The running local shift notifier. */
export interface LocalShiftNotices {
  /** Sends the notices of the handoffs since the previous run (the first run: the stints going on now). */
  run(): Promise<ShiftNoticeRun>;
  /** Starts the timer (a first run at once). */
  start(): void;
  stop(): void;
}

const LABEL = { sms: 'SMS', email: 'Email', slack: 'Slack DM' } as const;
/** How far back the first run looks: the person on call when `npm start` starts gets the notice of their handoff. */
const FIRST_LOOK_BACK_MS = 7 * 86_400_000;

/**
 * Shift notices without AWS (`npm start`): the deployed notifier's core on a timer, each notice printed
 * (`NOTICE [SMS to Alice Martin (+447700900101)] Vigil: you are on call for …`) instead of sent, once per
 * handoff, and each empty slot of the next 7 days printed as a warning when first seen.
 */
export const startLocalShiftNotices = (options: LocalShiftNoticesOptions): LocalShiftNotices => {
  const clock = options.clock ?? realClock;
  const log = new MemoryNoticeLog();
  const warned = new Set<string>();
  const send: ShiftNoticeSender = async (method, recipient, notice) => {
    options.print(`NOTICE [${LABEL[method]} to ${recipient.name} (${recipient.to})] ${notice.text}`);
    return 'printed';
  };
  let since: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  const run = async () => {
    const now = clock.now();
    const result = await sendShiftNotices(
      options.config,
      { overrides: options.overrides, log, send, methods: new Set(NOTICE_METHODS) },
      since ?? now - FIRST_LOOK_BACK_MS,
      now,
    );
    since = now;
    for (const gap of result.gaps) {
      // A gap's edges at `now` and at the 7-day horizon move with the clock: they are not the gap's identity.
      const start = gap.start <= now ? 'now' : gap.start;
      const end = gap.end >= now + GAP_WARNING_AHEAD_MS ? 'later' : gap.end;
      const key = `${gap.schedule}#${start}#${end}`;
      if (!warned.has(key)) options.print(`WARN  ${gap.text}`);
      warned.add(key);
    }
    return result;
  };
  const report = (error: unknown) => options.print(`shift notices failed: ${(error as Error).message}`);
  return {
    run,
    start() {
      if (timer !== undefined) return;
      void run().catch(report);
      timer = setInterval(() => void run().catch(report), options.everyMs ?? 30_000);
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
    },
  };
};
