import type { ScheduleOverride } from '../types/override';
import type { ShiftNoticeLog, ShiftNoticeRecord } from '../types/ports';
import {
  dueShiftNotices,
  GAP_WARNING_AHEAD_MS,
  gapMinutes,
  type NoticeMethod,
  noticeMethods,
  type ScheduleGap,
  type ShiftNotice,
  type ShiftNoticeConfig,
  scheduleGaps,
} from './shift-notices';

/** Who a notice goes to through one method: the person, their name and the number, address or member id. */
export interface NoticeRecipient {
  readonly person: string;
  readonly name: string;
  readonly to: string;
}

/** Sends one notice through one method; resolves to the provider's message id, throws when it failed. */
export type ShiftNoticeSender = (
  method: NoticeMethod,
  recipient: NoticeRecipient,
  notice: ShiftNotice,
) => Promise<string>;

/** Ports of {@link sendShiftNotices}. */
export interface ShiftNoticePorts {
  /** The run-time overrides of a schedule. */
  readonly overrides: (schedule: string) => Promise<readonly ScheduleOverride[]>;
  readonly log: ShiftNoticeLog;
  readonly send: ShiftNoticeSender;
  /** The methods with a delivery configured (`paging.sms`, `paging.email`, `paging.slack`). */
  readonly methods: ReadonlySet<NoticeMethod>;
  /** Receives the minutes nobody is on call in the next 7 days, per schedule (the `OnCallGapMinutes` metric). */
  readonly gapMinutes?: (minutes: Readonly<Record<string, number>>, gaps: readonly ScheduleGap[]) => void;
}

/** What one run did. */
export interface ShiftNoticeRun {
  /** Notices this run claimed, with their delivery outcomes. */
  readonly sent: readonly ShiftNoticeRecord[];
  /** Keys of due notices another run had already claimed (nothing sent again). */
  readonly alreadySent: readonly string[];
  /** Empty slots in the next 7 days. */
  readonly gaps: readonly ScheduleGap[];
}

/**
 * One run of the shift notifier: sends a notice to each person who came on call in `(since, now]` through
 * each of their contact methods but a call (once per handoff: the log's conditional claim decides), records
 * each delivery's outcome, and reports the empty slots of the next 7 days. A failed delivery is recorded,
 * not retried: the notice is informational and the next handoff sends a new one.
 *
 * @example
 * await sendShiftNotices(config, ports, Date.now() - 3_600_000, Date.now());
 */
export const sendShiftNotices = async (
  config: ShiftNoticeConfig,
  ports: ShiftNoticePorts,
  since: number,
  now: number,
): Promise<ShiftNoticeRun> => {
  const ids = Object.keys(config.schedules);
  const overrides = Object.fromEntries(
    await Promise.all(ids.map(async (id) => [id, await ports.overrides(id)] as const)),
  );
  const gaps = scheduleGaps(config, overrides, now, GAP_WARNING_AHEAD_MS);
  ports.gapMinutes?.(gapMinutes(config, gaps), gaps);
  const sent: ShiftNoticeRecord[] = [];
  const alreadySent: string[] = [];
  for (const notice of dueShiftNotices(config, overrides, since, now)) {
    const person = config.people[notice.person];
    if (person === undefined) continue;
    const claimed: ShiftNoticeRecord = {
      key: notice.key,
      schedule: notice.schedule,
      person: notice.person,
      start: notice.start,
      end: notice.end,
      at: now,
      deliveries: [],
    };
    if (!(await ports.log.claim(claimed))) {
      alreadySent.push(notice.key);
      continue;
    }
    const deliveries = await Promise.all(
      noticeMethods(person, ports.methods).map(async ({ method, to }) => {
        try {
          const id = await ports.send(method, { person: notice.person, name: person.name, to }, notice);
          return { method, outcome: 'sent' as const, detail: id };
        } catch (error) {
          const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
          return { method, outcome: 'failed' as const, detail: detail.slice(0, 300) };
        }
      }),
    );
    const record = { ...claimed, deliveries };
    await ports.log.complete(record);
    sent.push(record);
  }
  return { sent, alreadySent, gaps };
};
