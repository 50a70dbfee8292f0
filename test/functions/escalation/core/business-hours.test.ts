import {
  isBusinessHours,
  nextBusinessHoursStart,
} from '../../../../functions/escalation/core/business-hours';
import { levelDueAt } from '../../../../functions/escalation/core/level-due-at';
import type {
  RuntimeBusinessHours,
  RuntimePolicy,
} from '../../../../functions/escalation/types/runtime-config';

const weekdays = (from: number, to: number) =>
  Object.fromEntries([1, 2, 3, 4, 5].map((day) => [String(day), [[from, to] as const]]));

const london: RuntimeBusinessHours = {
  timezone: 'Europe/London',
  weekly: weekdays(9 * 60, 17 * 60),
  holidays: ['2026-12-25'],
};

describe('business hours', () => {
  it('follows the time zone, including daylight saving time', () => {
    // Prepare: 08:30 UTC is 09:30 in London in summer (BST) but 08:30 in winter (GMT).
    const summer = Date.parse('2026-07-06T08:30:00Z');
    const winter = Date.parse('2026-01-05T08:30:00Z');
    // Act / Assess
    expect(isBusinessHours(summer, london)).toBe(true);
    expect(isBusinessHours(winter, london)).toBe(false);
  });

  it('finds Monday 09:00 London time from Saturday night, and skips holidays', () => {
    // Act
    const fromSaturday = nextBusinessHoursStart(Date.parse('2026-07-04T21:00:00Z'), london);
    const fromChristmasEve = nextBusinessHoursStart(Date.parse('2026-12-24T18:00:00Z'), london);
    // Assess
    expect(new Date(fromSaturday ?? 0).toISOString()).toBe('2026-07-06T08:00:00.000Z');
    expect(new Date(fromChristmasEve ?? 0).toISOString()).toBe('2026-12-28T09:00:00.000Z');
  });

  it('returns the same instant inside business hours and undefined for an empty schedule', () => {
    // Prepare
    const inside = Date.parse('2026-01-07T12:34:56.789Z');
    // Act / Assess
    expect(nextBusinessHoursStart(inside, london)).toBe(inside);
    expect(nextBusinessHoursStart(inside, { timezone: 'UTC', weekly: {}, holidays: [] })).toBeUndefined();
  });

  it('counts a business-hours policy’s levels from the opening and defers a level that falls after closing', () => {
    // Prepare
    const policy: RuntimePolicy = {
      key: 'warning',
      levels: [
        { afterMs: 0, channels: ['slack'] },
        { afterMs: 30 * 60_000, channels: ['email'] },
      ],
      repeat: 0,
      repeatIntervalMs: 0,
      businessHoursOnly: true,
    };
    const friday1650 = Date.parse('2026-01-09T16:50:00Z');
    // Act
    const slack = levelDueAt(policy, friday1650, 0, 0, london);
    const email = levelDueAt(policy, friday1650, 1, 0, london);
    // Assess
    expect(slack).toEqual({ at: friday1650, deferred: false });
    expect(new Date(email.at).toISOString()).toBe('2026-01-12T09:00:00.000Z');
    expect(email.deferred).toBe(true);
  });
});
