import { activeSilence } from '../../../../functions/escalation/core/silences';
import type { RuntimeSilence } from '../../../../functions/escalation/types/runtime-config';

const subject = {
  alarmName: 'shop-check-payments',
  team: 'payments',
  severity: 'critical' as const,
  tags: { env: 'prod' },
};

describe('silences and maintenance windows', () => {
  it('matches a one-off window by alarm pattern only while it is open', () => {
    // Prepare
    const silence: RuntimeSilence = {
      name: 'switch',
      match: { alarm: 'shop-*payment*' },
      startMs: Date.parse('2026-03-01T22:00:00Z'),
      endMs: Date.parse('2026-03-01T23:00:00Z'),
    };
    // Act / Assess
    expect(activeSilence([silence], subject, Date.parse('2026-03-01T22:30:00Z'))?.name).toBe('switch');
    expect(activeSilence([silence], subject, Date.parse('2026-03-01T23:00:00Z'))).toBeUndefined();
    expect(
      activeSilence(
        [silence],
        { ...subject, alarmName: 'shop-check-login' },
        Date.parse('2026-03-01T22:30:00Z'),
      ),
    ).toBeUndefined();
  });

  it('matches a weekly window in its own time zone, and requires every given field', () => {
    // Prepare: Sunday 02:00-04:00 in New York.
    const weekly: RuntimeSilence = {
      name: 'db',
      match: { team: 'payments', tags: { env: 'prod' } },
      recurring: { timezone: 'America/New_York', days: [0], startMinute: 120, endMinute: 240 },
    };
    const sunday0300NewYork = Date.parse('2026-03-01T08:00:00Z');
    // Act / Assess
    expect(activeSilence([weekly], subject, sunday0300NewYork)?.name).toBe('db');
    expect(
      activeSilence([weekly], { ...subject, tags: { env: 'staging' } }, sunday0300NewYork),
    ).toBeUndefined();
    expect(activeSilence([weekly], subject, sunday0300NewYork + 2 * 3_600_000)).toBeUndefined();
  });

  it('matches a maintenance window that crosses midnight on the day after it starts, in its own time zone', () => {
    // Prepare: Sundays 22:00 to Monday 02:00, London (2026-03-01 is a Sunday, GMT).
    const maintenance: RuntimeSilence = {
      name: 'maintenance-check-payments',
      match: { alarm: 'shop-check-payments' },
      weekly: { timezone: 'Europe/London', windows: [{ days: ['sun'], time: '22:00-02:00' }] },
    };
    // Act / Assess
    expect(activeSilence([maintenance], subject, Date.parse('2026-03-02T01:30:00Z'))?.name).toBe(
      'maintenance-check-payments',
    );
    expect(activeSilence([maintenance], subject, Date.parse('2026-03-02T02:00:00Z'))).toBeUndefined();
    // Monday 22:00 is not a window start.
    expect(activeSilence([maintenance], subject, Date.parse('2026-03-02T22:30:00Z'))).toBeUndefined();
    expect(
      activeSilence(
        [maintenance],
        { ...subject, alarmName: 'shop-check-payments-eu' },
        Date.parse('2026-03-02T01:30:00Z'),
      ),
    ).toBeUndefined();
  });
});
