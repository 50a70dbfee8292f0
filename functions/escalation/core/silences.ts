import type { Severity } from '../../commons/severity';
import { inWeeklyWindows } from '../../commons/weekly-windows';
import type { RuntimeSilence } from '../types/runtime-config';
import { globMatch } from './glob';
import { zonedParts } from './zoned-time';

/** What a silence is matched against. */
export interface SilenceSubject {
  readonly alarmName: string;
  readonly team: string;
  readonly severity: Severity;
  readonly tags: Readonly<Record<string, string>>;
}

const inWindow = (silence: RuntimeSilence, now: number): boolean => {
  if (silence.weekly !== undefined)
    return inWeeklyWindows(silence.weekly.windows, silence.weekly.timezone, now);
  if (silence.recurring !== undefined) {
    const local = zonedParts(now, silence.recurring.timezone);
    const minute = local.msOfDay / 60_000;
    return (
      silence.recurring.days.includes(local.weekday) &&
      minute >= silence.recurring.startMinute &&
      minute < silence.recurring.endMinute
    );
  }
  return (
    silence.startMs !== undefined &&
    silence.endMs !== undefined &&
    now >= silence.startMs &&
    now < silence.endMs
  );
};

const matches = (silence: RuntimeSilence, subject: SilenceSubject): boolean => {
  const { alarm, team, severity, tags } = silence.match;
  if (alarm !== undefined && !globMatch(alarm, subject.alarmName)) return false;
  if (team !== undefined && team !== subject.team) return false;
  if (severity !== undefined && severity !== subject.severity) return false;
  if (tags !== undefined && Object.entries(tags).some(([key, value]) => subject.tags[key] !== value))
    return false;
  return true;
};

/**
 * The first silence or maintenance window that covers `subject` at `now`, if any.
 *
 * @example
 * activeSilence(config.silences, { alarmName: 'shop-check-payments', team: 'payments', severity: 'critical', tags: {} }, Date.now());
 */
export const activeSilence = (
  silences: readonly RuntimeSilence[],
  subject: SilenceSubject,
  now: number,
): RuntimeSilence | undefined =>
  silences.find((silence) => inWindow(silence, now) && matches(silence, subject));
