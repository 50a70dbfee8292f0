import type { OnCallScheduleConfig } from '../../commons/config/oncall-schema';
import type { ScheduleOverride } from '../types/override';
import { layerActiveAt, type PreparedLayer, prepareLayer, turnAt } from './layer-rotation';

/** Who is on call at an instant, and why: an override, a layer's rotation, the fallback, or nobody. */
export type OnCall =
  | { readonly kind: 'override'; readonly person: string; readonly overrideId: string }
  | { readonly kind: 'layer'; readonly person: string; readonly layer: string; readonly layerIndex: number }
  | { readonly kind: 'fallback'; readonly person: string; readonly team?: undefined }
  | { readonly kind: 'fallback'; readonly team: string; readonly person?: undefined }
  | { readonly kind: 'nobody' };

/** A schedule with its layers prepared and its config overrides turned into {@link ScheduleOverride}s. */
export interface PreparedSchedule {
  readonly config: OnCallScheduleConfig;
  readonly layers: readonly PreparedLayer[];
  readonly configOverrides: readonly ScheduleOverride[];
}

const prepared = new WeakMap<OnCallScheduleConfig, PreparedSchedule>();

/**
 * Prepares a validated schedule once (parsed starts, settled zones); cached per schedule object, so calling
 * the resolvers again and again with the same config costs nothing more.
 */
export const prepareSchedule = (schedule: OnCallScheduleConfig): PreparedSchedule => {
  const cached = prepared.get(schedule);
  if (cached !== undefined) return cached;
  const result: PreparedSchedule = {
    config: schedule,
    layers: schedule.layers.map((layer, index) => prepareLayer(layer, index, schedule)),
    // Config overrides rank below every run-time one (made "before time"), later in the list winning.
    configOverrides: schedule.overrides.map((override, index) => ({
      id: `config-${index}`,
      // The schedule they are written in; its id is the caller's to know.
      schedule: '',
      person: override.person,
      start: Date.parse(override.from),
      end: Date.parse(override.to),
      ...(override.reason !== undefined ? { reason: override.reason } : {}),
      createdAt: Number.MIN_SAFE_INTEGER + index,
      createdBy: 'config',
    })),
  };
  prepared.set(schedule, result);
  return result;
};

const isPrepared = (schedule: OnCallScheduleConfig | PreparedSchedule): schedule is PreparedSchedule =>
  Object.hasOwn(schedule, 'configOverrides');

/** The override in force at an instant: of those covering it, the one made last (the later listed on a tie). */
const overrideAt = (
  overrides: readonly ScheduleOverride[],
  at: number,
  best: ScheduleOverride | undefined,
): ScheduleOverride | undefined => {
  let found = best;
  for (const override of overrides) {
    if (
      override.start <= at &&
      at < override.end &&
      (found === undefined || override.createdAt >= found.createdAt)
    )
      found = override;
  }
  return found;
};

/**
 * Who is on call for a schedule at an instant: the override made last that covers it, else the last layer
 * (highest precedence) with someone on call then, else the fallback, else nobody. Exact across daylight-saving
 * changes: handoffs follow each layer's wall clock in its own time zone.
 *
 * @param overrides the run-time overrides of this schedule (config overrides are read from the schedule)
 * @example
 * resolveOnCall(config.schedules['flight-primary'], await store.listOverrides('flight-primary'), Date.now());
 * // { kind: 'layer', person: 'alice', layer: 'weekly', layerIndex: 0 }
 */
export const resolveOnCall = (
  schedule: OnCallScheduleConfig | PreparedSchedule,
  overrides: readonly ScheduleOverride[],
  at: number,
): OnCall => {
  const ready = isPrepared(schedule) ? schedule : prepareSchedule(schedule);
  const override = overrideAt(overrides, at, overrideAt(ready.configOverrides, at, undefined));
  if (override !== undefined) return { kind: 'override', person: override.person, overrideId: override.id };
  for (let index = ready.layers.length - 1; index >= 0; index -= 1) {
    const layer = ready.layers[index] as PreparedLayer;
    if (!layerActiveAt(layer, at)) continue;
    const turn = turnAt(layer, at);
    if (turn !== undefined)
      return { kind: 'layer', person: turn.person, layer: layer.name, layerIndex: index };
  }
  const fallback = ready.config.fallback;
  if (fallback === undefined) return { kind: 'nobody' };
  if (fallback.person !== undefined) return { kind: 'fallback', person: fallback.person };
  return fallback.team !== undefined ? { kind: 'fallback', team: fallback.team } : { kind: 'nobody' };
};
