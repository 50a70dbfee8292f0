/**
 * "Who is on call" resolution: 50 schedules of 4 layers each (weekly, daily, every 12 hours, weekday office
 * hours; London, New York, Sydney and Kolkata handing off on their own wall clocks) with 500 run-time
 * overrides per schedule, resolved at instants spread over the 60 days after the layers start; against a
 * naive resolver in the same run that finds each layer's turn by walking the wall clock minute by minute
 * from the layer's start (same overrides scan, same restrictions, same precedence).
 *
 * Before timing, both resolvers answer the same instants and must agree (handoffs and restriction edges
 * are kept out of DST gaps, where the naive walk cannot tell a moved handoff). Every loop is bounded.
 *
 * Run: npm run bench -- oncall
 */
import { performance } from 'node:perf_hooks';
import { type OnCallScheduleConfig, oncallScheduleSchema } from '../functions/commons/config/oncall-schema';
import { inWeeklyWindows } from '../functions/commons/weekly-windows';
import { parseWallClock, wallClock } from '../functions/commons/zoned-time';
import { rotationLength } from '../functions/oncall/core/layer-rotation';
import { type OnCall, prepareSchedule, resolveOnCall } from '../functions/oncall/core/resolve-on-call';
import type { ScheduleOverride } from '../functions/oncall/types/override';
import { emit, median, round } from './_report';

const SCHEDULES = 50;
const OVERRIDES_PER_SCHEDULE = 500;
const ZONES = ['Europe/London', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata'] as const;
const LAYER_START = '2027-01-04T09:00';
const WINDOW_START = Date.parse('2027-01-10T00:00:00Z');
const WINDOW_MS = 60 * 86_400_000;
const CORE_RESOLUTIONS_PER_ROUND = 20_000;
const NAIVE_RESOLUTIONS = 100;
const ROUNDS = 5;
const MINUTE = 60_000;

/** A deterministic pseudo-random sequence (so every run measures the same work). */
const sequence = (seed: number) => {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
};

const makeSchedule = (index: number): OnCallScheduleConfig =>
  oncallScheduleSchema.parse({
    timezone: ZONES[index % ZONES.length],
    layers: [
      { name: 'weekly', members: ['p0', 'p1', 'p2', 'p3', 'p4'], start: LAYER_START, rotation: 'weekly' },
      {
        name: 'daily',
        members: ['p5', 'p6', 'p7'],
        start: '2027-01-04T18:00',
        timezone: ZONES[(index + 1) % ZONES.length],
        rotation: 'daily',
      },
      {
        name: 'half-days',
        members: ['p8', 'p9'],
        start: '2027-01-04T08:00',
        timezone: ZONES[(index + 2) % ZONES.length],
        rotation: { every: '12h' },
        restrictions: [{ days: ['sat', 'sun'], time: '08:00-20:00' }],
      },
      {
        name: 'office',
        members: ['p10', 'p11', 'p12', 'p13'],
        start: LAYER_START,
        timezone: ZONES[(index + 3) % ZONES.length],
        rotation: 'weekly',
        restrictions: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], time: '09:00-17:00' }],
      },
    ],
  });

const makeOverrides = (schedule: number): ScheduleOverride[] => {
  const random = sequence(schedule + 1);
  return Array.from({ length: OVERRIDES_PER_SCHEDULE }, (_, index) => {
    // Spread over a year around the window, 1 to 12 hours each, so few cover any one instant.
    const start = WINDOW_START - 150 * 86_400_000 + Math.floor(random() * 365 * 24) * 3_600_000;
    return {
      id: `ov-${schedule}-${index}`,
      schedule: `s${schedule}`,
      person: `p${index % 14}`,
      start,
      end: start + (1 + Math.floor(random() * 12)) * 3_600_000,
      createdAt: index,
      createdBy: 'bench',
    };
  });
};

/** The naive resolver: each layer's turn found by walking its wall clock minute by minute from its start. */
const naiveResolve = (
  schedule: OnCallScheduleConfig,
  overrides: readonly ScheduleOverride[],
  at: number,
): OnCall => {
  let found: ScheduleOverride | undefined;
  for (const override of overrides) {
    if (
      override.start <= at &&
      at < override.end &&
      (found === undefined || override.createdAt >= found.createdAt)
    )
      found = override;
  }
  if (found !== undefined) return { kind: 'override', person: found.person, overrideId: found.id };
  for (let index = schedule.layers.length - 1; index >= 0; index -= 1) {
    const layer = schedule.layers[index]!;
    const zone = layer.timezone ?? schedule.timezone;
    const startWall = parseWallClock(layer.start)!;
    const period = rotationLength(layer.rotation);
    // Walk from the minute the wall clock first reads the start, counting each time it reaches the next handoff.
    let minute = startWall - 14 * 3_600_000;
    const maxSteps = Math.ceil((at - minute) / MINUTE) + 1;
    let turn = -1;
    for (let step = 0; step < maxSteps && minute <= at; step += 1, minute += MINUTE) {
      while (wallClock(minute, zone) >= startWall + (turn + 1) * period) turn += 1;
    }
    if (turn < 0) continue;
    if (layer.restrictions !== undefined && !inWeeklyWindows(layer.restrictions, zone, at)) continue;
    const person = layer.members[turn % layer.members.length]!;
    return { kind: 'layer', person, layer: layer.name ?? `layer-${index + 1}`, layerIndex: index };
  }
  return { kind: 'nobody' };
};

const main = () => {
  const schedules = Array.from({ length: SCHEDULES }, (_, index) => prepareSchedule(makeSchedule(index)));
  const overrides = Array.from({ length: SCHEDULES }, (_, index) => makeOverrides(index));
  const random = sequence(42);
  const instant = () => WINDOW_START + Math.floor(random() * WINDOW_MS);

  // Agreement first: the same instants through both resolvers.
  const naiveCases = Array.from({ length: NAIVE_RESOLUTIONS }, (_, index) => ({
    schedule: index % SCHEDULES,
    at: instant(),
  }));
  let mismatches = 0;
  for (const { schedule, at } of naiveCases) {
    const core = JSON.stringify(resolveOnCall(schedules[schedule]!, overrides[schedule]!, at));
    const naive = JSON.stringify(naiveResolve(schedules[schedule]!.config, overrides[schedule]!, at));
    if (core !== naive) mismatches += 1;
  }
  emit({ bench: 'oncall', event: 'agreement', cases: naiveCases.length, mismatches });
  if (mismatches > 0) {
    process.exitCode = 1;
    return;
  }

  const coreCases = Array.from({ length: CORE_RESOLUTIONS_PER_ROUND }, (_, index) => ({
    schedule: index % SCHEDULES,
    at: instant(),
  }));
  const coreUs: number[] = [];
  const naiveUs: number[] = [];
  let sink = 0;
  for (let round_ = 0; round_ < ROUNDS; round_ += 1) {
    let started = performance.now();
    for (const { schedule, at } of coreCases) {
      sink += resolveOnCall(schedules[schedule]!, overrides[schedule]!, at).kind.length;
    }
    coreUs.push(((performance.now() - started) * 1000) / coreCases.length);
    started = performance.now();
    for (const { schedule, at } of naiveCases) {
      sink += naiveResolve(schedules[schedule]!.config, overrides[schedule]!, at).kind.length;
    }
    naiveUs.push(((performance.now() - started) * 1000) / naiveCases.length);
    emit({
      bench: 'oncall',
      event: 'round',
      round: round_,
      core_us: round(coreUs[round_]!, 2),
      naive_us: round(naiveUs[round_]!, 1),
    });
  }
  const core = median(coreUs);
  const naive = median(naiveUs);
  emit({
    bench: 'oncall',
    metric: 'resolve_us_50_schedules_4_layers_500_overrides',
    value: round(core, 2),
    unit: 'us',
    baseline: round(naive, 1),
    ratio: round(core / naive, 5),
    sink: sink > 0,
  });
};

main();
