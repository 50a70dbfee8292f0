import {
  type OnCallScheduleConfig,
  oncallScheduleSchema,
} from '../../../../functions/commons/config/oncall-schema';
import { zonedParts } from '../../../../functions/commons/zoned-time';
import { resolveOnCall } from '../../../../functions/oncall/core/resolve-on-call';
import { emptySlots, shifts } from '../../../../functions/oncall/core/shifts';
import type { ScheduleOverride } from '../../../../functions/oncall/types/override';

const schedule = (input: unknown): OnCallScheduleConfig => oncallScheduleSchema.parse(input);
const at = (iso: string) => Date.parse(iso);
const HOUR = 3_600_000;

/** A daily rotation of a, b, c handing off at `time` local, starting the day before `day`. */
const daily = (timezone: string, start: string) =>
  schedule({ timezone, layers: [{ members: ['a', 'b', 'c'], start, rotation: 'daily' }] });

const override = (partial: Partial<ScheduleOverride> & Pick<ScheduleOverride, 'id' | 'person'>) => ({
  schedule: 's',
  start: 0,
  end: 0,
  createdAt: 1,
  createdBy: 'test',
  ...partial,
});

describe('resolveOnCall across daylight-saving changes', () => {
  // Each row: a daily rotation (a, b, c) starting the day before `day` at `time`, and the UTC instant at
  // which b hands over to c on `day`. Derived from the zones' published rules, never from fixed offsets.
  const table = [
    // London skips 01:00-02:00 on 2027-03-28: 01:30 does not exist, so the handoff moves to 02:30 BST.
    { zone: 'Europe/London', time: '01:30', day: '2027-03-28', handoff: '2027-03-28T01:30:00Z' },
    { zone: 'Europe/London', time: '09:00', day: '2027-03-28', handoff: '2027-03-28T08:00:00Z' },
    // London repeats 01:00-02:00 on 2026-10-25: 01:30 happens twice, the handoff is at the first.
    { zone: 'Europe/London', time: '01:30', day: '2026-10-25', handoff: '2026-10-25T00:30:00Z' },
    { zone: 'Europe/London', time: '09:00', day: '2026-10-25', handoff: '2026-10-25T09:00:00Z' },
    // New York skips 02:00-03:00 on 2027-03-14: 02:30 becomes 03:30 EDT.
    { zone: 'America/New_York', time: '02:30', day: '2027-03-14', handoff: '2027-03-14T07:30:00Z' },
    { zone: 'America/New_York', time: '01:30', day: '2026-11-01', handoff: '2026-11-01T05:30:00Z' },
    { zone: 'America/New_York', time: '02:30', day: '2026-11-01', handoff: '2026-11-01T07:30:00Z' },
    // Sydney skips 02:00-03:00 on 2026-10-04 and repeats it on 2027-04-04.
    { zone: 'Australia/Sydney', time: '02:30', day: '2026-10-04', handoff: '2026-10-03T16:30:00Z' },
    { zone: 'Australia/Sydney', time: '02:30', day: '2027-04-04', handoff: '2027-04-03T15:30:00Z' },
    // Kolkata has no DST and a half-hour offset.
    { zone: 'Asia/Kolkata', time: '09:00', day: '2027-03-28', handoff: '2027-03-28T03:30:00Z' },
  ];

  it.each(table)('$zone: the $time handoff on $day is at $handoff', ({ zone, time, day, handoff }) => {
    // Prepare
    const previous = new Date(Date.parse(`${day}T12:00:00Z`) - 2 * 86_400_000).toISOString().slice(0, 10);
    const s = daily(zone, `${previous}T${time}`);
    // Act
    const before = resolveOnCall(s, [], at(handoff) - 1);
    const after = resolveOnCall(s, [], at(handoff));
    // Assess
    expect(before).toMatchObject({ kind: 'layer', person: 'b' });
    expect(after).toMatchObject({ kind: 'layer', person: 'c' });
  });

  it('gives 23-hour and 25-hour shifts on the days London changes its clocks', () => {
    // Prepare
    const s = daily('Europe/London', '2027-03-26T09:00');
    const autumn = daily('Europe/London', '2026-10-23T09:00');
    // Act
    const spring = shifts(s, [], at('2027-03-27T12:00:00Z'), at('2027-03-29T12:00:00Z'));
    const fall = shifts(autumn, [], at('2026-10-24T12:00:00Z'), at('2026-10-26T12:00:00Z'));
    // Assess: the whole shift from Sat 09:00 GMT to Sun 09:00 BST, and from Sat 09:00 BST to Sun 09:00 GMT
    const springShift = spring.find((shift) => shift.start === at('2027-03-27T09:00:00Z'));
    expect(springShift).toBeUndefined(); // clipped: the query starts at 12:00Z
    expect(spring.map((shift) => new Date(shift.start).toISOString())).toEqual([
      '2027-03-27T12:00:00.000Z',
      '2027-03-28T08:00:00.000Z',
      '2027-03-29T08:00:00.000Z',
    ]);
    expect(spring[1]!.end - spring[1]!.start).toBe(24 * HOUR);
    expect(at('2027-03-28T08:00:00Z') - at('2027-03-27T09:00:00Z')).toBe(23 * HOUR);
    expect(fall.map((shift) => new Date(shift.start).toISOString())).toEqual([
      '2026-10-24T12:00:00.000Z',
      '2026-10-25T09:00:00.000Z',
      '2026-10-26T09:00:00.000Z',
    ]);
    const full = shifts(autumn, [], at('2026-10-24T00:00:00Z'), at('2026-10-26T00:00:00Z'));
    expect(full.map((shift) => (shift.end - shift.start) / HOUR)).toEqual([8, 25, 15]);
  });

  it('keeps a year of weekly handoffs at Monday 09:00 London time without drift', () => {
    // Prepare
    const s = schedule({
      timezone: 'Europe/London',
      layers: [{ members: ['a', 'b', 'c'], start: '2026-01-05T09:00', rotation: 'weekly' }],
    });
    // Act
    const year = shifts(s, [], at('2026-01-05T09:00:00Z'), at('2027-01-04T09:00:00Z'));
    // Assess
    expect(year).toHaveLength(52);
    year.forEach((shift, index) => {
      const local = zonedParts(shift.start, 'Europe/London');
      expect({ weekday: local.weekday, msOfDay: local.msOfDay }).toEqual({ weekday: 1, msOfDay: 9 * HOUR });
      expect(shift.onCall).toMatchObject({ kind: 'layer', person: ['a', 'b', 'c'][index % 3] });
    });
    expect(new Set(year.map((shift) => (shift.end - shift.start) / HOUR))).toEqual(new Set([168, 167, 169]));
  });

  it('agrees with shifts() at every sampled instant of a year with restrictions and overrides', () => {
    // Prepare
    const s = schedule({
      timezone: 'America/New_York',
      layers: [
        { name: 'base', members: ['a', 'b'], start: '2026-01-01T02:30', rotation: { every: '36h' } },
        {
          name: 'sun',
          members: ['c', 'd'],
          start: '2026-01-01T08:00',
          timezone: 'Australia/Sydney',
          rotation: 'daily',
          restrictions: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], time: '22:00-02:30' }],
        },
      ],
      overrides: [{ person: 'e', from: '2026-03-08T00:00:00-05:00', to: '2026-03-09T00:00:00-04:00' }],
    });
    const runtime = [
      override({ id: 'x', person: 'f', start: at('2026-11-01T05:00:00Z'), end: at('2026-11-01T07:00:00Z') }),
    ];
    const from = at('2026-01-01T00:00:00Z');
    const to = at('2027-01-01T00:00:00Z');
    // Act
    const year = shifts(s, runtime, from, to);
    // Assess
    for (let index = 0; index < 2_000; index += 1) {
      const instant = from + Math.floor(((index * 7919) % 2_000) * ((to - from) / 2_000)) + index * 1_013;
      const shift = year.find((candidate) => candidate.start <= instant && instant < candidate.end);
      expect(shift?.onCall).toEqual(resolveOnCall(s, runtime, instant));
    }
    expect(year[0]!.start).toBe(from);
    expect(year.slice(1).map((shift) => shift.start)).toEqual(year.slice(0, -1).map((shift) => shift.end));
  });
});

describe('resolveOnCall precedence', () => {
  const layered = schedule({
    timezone: 'Europe/London',
    layers: [
      { name: 'week', members: ['a', 'b'], start: '2027-01-04T09:00', rotation: 'weekly' },
      {
        name: 'office',
        members: ['c'],
        start: '2027-01-04T09:00',
        rotation: 'weekly',
        restrictions: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], time: '09:00-17:00' }],
      },
    ],
    overrides: [{ person: 'd', from: '2027-01-05T10:00:00Z', to: '2027-01-05T14:00:00Z' }],
    fallback: { person: 'z' },
  });

  it('lets the later layer win inside its restrictions and the earlier one outside them', () => {
    // Act + Assess
    expect(resolveOnCall(layered, [], at('2027-01-04T10:00:00Z'))).toEqual({
      kind: 'layer',
      person: 'c',
      layer: 'office',
      layerIndex: 1,
    });
    expect(resolveOnCall(layered, [], at('2027-01-04T17:00:00Z'))).toMatchObject({
      layer: 'week',
      person: 'a',
    });
    expect(resolveOnCall(layered, [], at('2027-01-09T12:00:00Z'))).toMatchObject({
      layer: 'week',
      person: 'a',
    });
  });

  it('puts overrides above layers, the one made last winning where they overlap', () => {
    // Prepare
    const runtime = [
      override({
        id: 'first',
        person: 'e',
        start: at('2027-01-05T12:00:00Z'),
        end: at('2027-01-05T16:00:00Z'),
        createdAt: 10,
      }),
      override({
        id: 'second',
        person: 'f',
        start: at('2027-01-05T13:00:00Z'),
        end: at('2027-01-05T15:00:00Z'),
        createdAt: 20,
      }),
    ];
    // Act
    const day = shifts(layered, runtime, at('2027-01-05T09:00:00Z'), at('2027-01-05T18:00:00Z'));
    // Assess
    expect(day.map((shift) => [new Date(shift.start).toISOString().slice(11, 16), shift.onCall])).toEqual([
      ['09:00', { kind: 'layer', person: 'c', layer: 'office', layerIndex: 1 }],
      ['10:00', { kind: 'override', person: 'd', overrideId: 'config-0' }],
      ['12:00', { kind: 'override', person: 'e', overrideId: 'first' }],
      ['13:00', { kind: 'override', person: 'f', overrideId: 'second' }],
      ['15:00', { kind: 'override', person: 'e', overrideId: 'first' }],
      ['16:00', { kind: 'layer', person: 'c', layer: 'office', layerIndex: 1 }],
      ['17:00', { kind: 'layer', person: 'a', layer: 'week', layerIndex: 0 }],
    ]);
  });

  it('hands empty slots to the fallback, and says nobody when there is none', () => {
    // Prepare
    const officeOnly = {
      timezone: 'Asia/Kolkata',
      layers: [
        {
          members: ['c'],
          start: '2027-01-04T09:00',
          rotation: 'daily',
          restrictions: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], time: '09:00-17:00' }],
        },
      ],
    };
    const withTeam = schedule({ ...officeOnly, fallback: { team: 'platform' } });
    const without = schedule(officeOnly);
    const saturday = at('2027-01-09T06:00:00Z');
    // Act + Assess
    expect(resolveOnCall(withTeam, [], saturday)).toEqual({ kind: 'fallback', team: 'platform' });
    expect(resolveOnCall(without, [], saturday)).toEqual({ kind: 'nobody' });
    expect(resolveOnCall(without, [], at('2027-01-04T03:30:00Z'))).toMatchObject({
      kind: 'layer',
      person: 'c',
    });
    expect(resolveOnCall(without, [], at('2027-01-04T11:29:59Z'))).toMatchObject({ kind: 'layer' });
    expect(resolveOnCall(without, [], at('2027-01-04T11:30:00Z'))).toEqual({ kind: 'nobody' });
    expect(emptySlots(without, [], at('2027-01-08T00:00:00Z'), at('2027-01-11T00:00:00Z'))).toEqual([
      { start: at('2027-01-08T00:00:00Z'), end: at('2027-01-08T03:30:00Z') },
      { start: at('2027-01-08T11:30:00Z'), end: at('2027-01-11T00:00:00Z') },
    ]);
  });

  it('has nobody on call before the first layer starts', () => {
    // Act
    const result = resolveOnCall(layered, [], at('2027-01-04T08:59:59Z'));
    // Assess
    expect(result).toEqual({ kind: 'fallback', person: 'z' });
  });

  it('follows the sun: each region covers its own office hours in its own zone', () => {
    // Prepare
    const sun = schedule({
      timezone: 'UTC',
      layers: ['Europe/London', 'America/New_York', 'Australia/Sydney'].map((timezone, index) => ({
        name: timezone.split('/')[1]!.toLowerCase(),
        members: [`p${index}`],
        start: '2027-01-01T08:00',
        timezone,
        rotation: 'weekly',
        restrictions: [{ time: '08:00-20:00' }],
      })),
    });
    // Act + Assess: 10:00Z in July is London (11:00 BST), 16:00Z is New York (12:00 EDT, later layer), 23:00Z is Sydney
    expect(resolveOnCall(sun, [], at('2027-07-01T10:00:00Z'))).toMatchObject({ layer: 'london' });
    expect(resolveOnCall(sun, [], at('2027-07-01T16:00:00Z'))).toMatchObject({ layer: 'new_york' });
    expect(resolveOnCall(sun, [], at('2027-07-01T23:00:00Z'))).toMatchObject({ layer: 'sydney' });
    expect(emptySlots(sun, [], at('2027-01-02T00:00:00Z'), at('2028-01-01T00:00:00Z'))).toEqual([]);
  });
});
