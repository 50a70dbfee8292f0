import type { LayerConfig, OnCallScheduleConfig, RotationConfig } from '../../commons/config/oncall-schema';
import { type Interval, inWeeklyWindows, weeklyIntervals } from '../../commons/weekly-windows';
import { instantOf, parseWallClock, wallClock } from '../../commons/zoned-time';

const DAY_MS = 86_400_000;

/** Wall-clock length of one rotation turn: `daily` is a calendar day (23 or 25 hours on a DST day). */
export const rotationLength = (rotation: RotationConfig): number =>
  rotation === 'daily' ? DAY_MS : rotation === 'weekly' ? 7 * DAY_MS : rotation.every;

/** A layer with its start parsed and its zone settled, ready for repeated questions. */
export interface PreparedLayer {
  readonly name: string;
  readonly index: number;
  readonly members: readonly string[];
  readonly timezone: string;
  /** Wall-clock (naive timeline) reading of the first handoff. */
  readonly startWall: number;
  /** Instant of the first handoff. */
  readonly startAt: number;
  /** Wall-clock length of one turn. */
  readonly period: number;
  readonly restrictions: LayerConfig['restrictions'];
}

/** One turn of a layer's rotation: member `person` holds it from `start` to `end` (before restrictions). */
export interface RotationTurn extends Interval {
  /** Turn number from the layer's start (0 = the first member's first turn). */
  readonly turn: number;
  readonly person: string;
}

/** Settles a layer's name, zone and start; expects a validated config. */
export const prepareLayer = (
  layer: LayerConfig,
  index: number,
  schedule: OnCallScheduleConfig,
): PreparedLayer => {
  const timezone = layer.timezone ?? schedule.timezone;
  const startWall = parseWallClock(layer.start);
  if (startWall === undefined) throw new RangeError(`layer start '${layer.start}' is not YYYY-MM-DDTHH:MM`);
  return {
    name: layer.name ?? `layer-${index + 1}`,
    index,
    members: layer.members,
    timezone,
    startWall,
    startAt: instantOf(startWall, timezone),
    period: rotationLength(layer.rotation),
    restrictions: layer.restrictions,
  };
};

/** Instant of the handoff that starts turn `turn`: the start's wall-clock time, `turn` periods later, in the zone. */
export const handoffAt = (layer: PreparedLayer, turn: number): number =>
  instantOf(layer.startWall + turn * layer.period, layer.timezone);

const memberOf = (layer: PreparedLayer, turn: number): string => {
  const count = layer.members.length;
  return layer.members[((turn % count) + count) % count] as string;
};

/**
 * The turn of the rotation in force at an instant, or undefined before the layer starts (or for a layer
 * without members). Computed directly from the wall clock, so it costs the same a day or ten years on.
 */
export const turnAt = (layer: PreparedLayer, at: number): RotationTurn | undefined => {
  if (layer.members.length === 0 || at < layer.startAt) return undefined;
  let turn = Math.max(0, Math.floor((wallClock(at, layer.timezone) - layer.startWall) / layer.period));
  // The wall-clock estimate can be one turn off next to a transition; each step moves one turn (bounded).
  for (let step = 0; step < 4 && turn > 0 && handoffAt(layer, turn) > at; step += 1) turn -= 1;
  for (let step = 0; step < 4 && handoffAt(layer, turn + 1) <= at; step += 1) turn += 1;
  const start = handoffAt(layer, turn);
  return { turn, person: memberOf(layer, turn), start, end: handoffAt(layer, turn + 1) };
};

/** Whether the layer has someone on call at the instant (started, and inside one of its restrictions if any). */
export const layerActiveAt = (layer: PreparedLayer, at: number): boolean =>
  at >= layer.startAt &&
  layer.members.length > 0 &&
  (layer.restrictions === undefined || inWeeklyWindows(layer.restrictions, layer.timezone, at));

/** Every instant in `[from, to)` where what the layer says can change: handoffs and restriction edges. */
export const layerBoundaries = (layer: PreparedLayer, from: number, to: number): number[] => {
  const edges: number[] = [];
  if (layer.startAt > from && layer.startAt < to) edges.push(layer.startAt);
  const first = turnAt(layer, Math.max(from, layer.startAt));
  if (first !== undefined) {
    // Turns last a wall-clock period give or take a transition's hour, so this bound is never the one that stops.
    const last = first.turn + Math.ceil((to - from) / layer.period) + 8;
    for (let turn = first.turn + 1; turn <= last; turn += 1) {
      const at = handoffAt(layer, turn);
      if (at >= to) break;
      if (at > from) edges.push(at);
    }
  }
  if (layer.restrictions !== undefined) {
    for (const window of weeklyIntervals(layer.restrictions, layer.timezone, from, to)) {
      edges.push(window.start, window.end);
    }
  }
  return edges;
};
