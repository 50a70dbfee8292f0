import type { OnCallScheduleConfig } from '../../commons/config/oncall-schema';
import type { Interval } from '../../commons/weekly-windows';
import type { ScheduleOverride } from '../types/override';
import { layerBoundaries } from './layer-rotation';
import { type OnCall, type PreparedSchedule, prepareSchedule, resolveOnCall } from './resolve-on-call';

/** A span of time with one answer to "who is on call", `[start, end)` in epoch ms. */
export interface Shift extends Interval {
  readonly onCall: OnCall;
}

/** The longest span {@link shifts} answers for in one call (two years), so a typo cannot loop for ages. */
export const MAX_SHIFTS_SPAN_MS = 2 * 366 * 86_400_000;

const sameOnCall = (a: OnCall, b: OnCall): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * The shifts of a schedule between two instants: consecutive spans, each with who is on call and why,
 * clipped to `[from, to)`. A span starts wherever the answer changes: a handoff, a restriction's edge, an
 * override's start or end. Every span is resolved by {@link resolveOnCall}, so both always agree.
 *
 * @param overrides the run-time overrides of this schedule
 * @example
 * shifts(config.schedules['flight-primary'], [], Date.parse('2027-03-22T00:00Z'), Date.parse('2027-04-05T00:00Z'));
 */
export const shifts = (
  schedule: OnCallScheduleConfig | PreparedSchedule,
  overrides: readonly ScheduleOverride[],
  from: number,
  to: number,
): Shift[] => {
  if (!(to > from)) return [];
  if (to - from > MAX_SHIFTS_SPAN_MS) throw new RangeError('shifts: ask for at most two years at a time');
  const ready = Object.hasOwn(schedule, 'configOverrides')
    ? (schedule as PreparedSchedule)
    : prepareSchedule(schedule as OnCallScheduleConfig);
  const edges = new Set<number>([from]);
  for (const layer of ready.layers) for (const at of layerBoundaries(layer, from, to)) edges.add(at);
  for (const override of [...ready.configOverrides, ...overrides]) {
    if (override.start > from && override.start < to) edges.add(override.start);
    if (override.end > from && override.end < to) edges.add(override.end);
  }
  const starts = [...edges].sort((a, b) => a - b);
  const result: Shift[] = [];
  starts.forEach((start, index) => {
    const end = starts[index + 1] ?? to;
    const onCall = resolveOnCall(ready, overrides, start);
    const last = result[result.length - 1];
    if (last !== undefined && sameOnCall(last.onCall, onCall)) result[result.length - 1] = { ...last, end };
    else result.push({ start, end, onCall });
  });
  return result;
};

/** The spans in `[from, to)` where nobody is on call (no override, no layer, no fallback). */
export const emptySlots = (
  schedule: OnCallScheduleConfig | PreparedSchedule,
  overrides: readonly ScheduleOverride[],
  from: number,
  to: number,
): Interval[] =>
  shifts(schedule, overrides, from, to)
    .filter((shift) => shift.onCall.kind === 'nobody')
    .map(({ start, end }) => ({ start, end }));
