import { startLocalShiftNotices } from '../../../bin/local/local-shift-notices';
import { parseConfig } from '../../../functions/commons/config/resolve-config';
import { config as demoConfig } from '../../../vigil.config';

const config = parseConfig(demoConfig);
const at = (iso: string) => Date.parse(iso);

describe('local shift notices (npm start)', () => {
  it('prints the notice of the demo schedule at its handoff, once, with the person and each method', async () => {
    // Prepare: Monday 7 December 2026, the weekly handoff at 09:00 London (Bob -> Carol); a virtual clock.
    const lines: string[] = [];
    let now = at('2026-12-07T08:58:00Z');
    const local = startLocalShiftNotices({
      config,
      overrides: async () => [],
      print: (line) => lines.push(line),
      clock: { now: () => now },
    });
    await local.run(); // the stint going on at start
    const atStart = lines.splice(0);

    // Act
    now = at('2026-12-07T08:59:30Z');
    await local.run();
    const beforeHandoff = lines.splice(0);
    now = at('2026-12-07T09:00:30Z');
    await local.run();
    const atHandoff = lines.splice(0);
    now = at('2026-12-07T09:01:00Z');
    await local.run();

    // Assess
    expect(atStart).toEqual([
      'NOTICE [SMS to Bob Chen (+12025550142)] Vigil: you are on call for flight-primary until Mon 2026-12-07 04:00 America/New_York.',
      expect.stringMatching(/^NOTICE \[Email to Bob Chen \(bob@example.com\)\] /),
      expect.stringMatching(/^NOTICE \[Slack DM to Bob Chen \(U0DEMOBOB\)\] /),
    ]);
    expect(beforeHandoff).toEqual([]);
    // Carol holds it until Bob's New York office hours start at 09:00 EST (14:00 London, 19:30 in Kolkata).
    expect(atHandoff).toEqual([
      'NOTICE [SMS to Carol Singh (+447700900303)] Vigil: you are on call for flight-primary until Mon 2026-12-07 19:30 Asia/Kolkata.',
      'NOTICE [Email to Carol Singh (carol@example.com)] Vigil: you are on call for flight-primary until Mon 2026-12-07 19:30 Asia/Kolkata.',
      'NOTICE [Slack DM to Carol Singh (U0DEMOCAROL)] Vigil: you are on call for flight-primary until Mon 2026-12-07 19:30 Asia/Kolkata.',
    ]);
    expect(lines).toEqual([]);
  });

  it('warns once about an empty slot in the next 7 days, naming the schedule and the slot in its zone', async () => {
    // Prepare: a schedule whose only layer starts in two days, without a fallback.
    const gappy = parseConfig({
      app: 'gappy',
      environments: { local: { baseUrl: 'http://127.0.0.1:1' } },
      people: {
        alice: { name: 'Alice', timezone: 'Europe/London', contact: { email: 'alice@example.com' } },
      },
      schedules: {
        'payments-primary': {
          timezone: 'Europe/London',
          layers: [{ members: ['alice'], start: '2026-12-09T09:00', rotation: 'weekly' }],
        },
      },
    });
    const lines: string[] = [];
    let now = at('2026-12-07T12:00:00Z');
    const local = startLocalShiftNotices({
      config: gappy,
      overrides: async () => [],
      print: (line) => lines.push(line),
      clock: { now: () => now },
    });
    // Act
    await local.run();
    now += 30_000;
    await local.run();
    // Assess
    expect(lines).toEqual([
      "WARN  schedule 'payments-primary' has nobody on call from Mon 2026-12-07 12:00 to Wed 2026-12-09 09:00 Europe/London (no layer, override or fallback covers it)",
    ]);
  });
});
