import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { failedNotifications, simulateCommand } from '../../../bin/commands/simulate-command';
import { DEMO_APP, demoEscalation } from '../../../examples/demo-escalation';
import { type HttpReceiver, startReceiver } from '../../functions/escalation/helpers/http-receiver';
import { HANG_GUARD_MS } from '../../helpers/patience';

interface Event {
  at: string;
  type: string;
  channel: string;
  level: number | null;
  detail: string;
}

const dir = mkdtempSync(join(tmpdir(), 'vigil-simulate-'));
const configFile = join(dir, 'vigil.config.json');
writeFileSync(
  configFile,
  JSON.stringify({
    app: DEMO_APP,
    environments: { local: { baseUrl: 'http://127.0.0.1:1' } },
    ...demoEscalation,
  }),
);

const simulate = async (...args: string[]) => simulateWith(configFile, ...args);

const simulateWith = async (file: string, ...args: string[]) => simulateIn({}, file, ...args);

const simulateIn = async (env: Record<string, string>, file: string, ...args: string[]) => {
  let stdout = '';
  let stderr = '';
  const code = await simulateCommand.run(['--config', file, ...args], {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    cwd: dir,
    env,
  });
  return { code, stdout, stderr };
};

const timeline = (stdout: string) =>
  (JSON.parse(stdout) as { events: Event[] }).events.map(
    (event) => `${event.at} ${event.type} ${event.channel}`,
  );

describe('vigil simulate', () => {
  it('shows the seeds’ critical matrix for ServiceDown: Slack + PagerDuty at once, SMS at +5m, email at +15m', async () => {
    // Act
    const result = await simulate('--alarm', 'ServiceDown', '--json');
    // Assess
    expect(result.code).toBe(0);
    expect(timeline(result.stdout)).toEqual([
      '+0s notify oncall-pagerduty',
      '+0s notify oncall-slack',
      '+5m notify oncall-sms',
      '+15m notify oncall-email',
    ]);
    const first = (JSON.parse(result.stdout) as { events: Event[] }).events[0];
    expect(first).toEqual({
      at: '+0s',
      type: 'notify',
      channel: 'oncall-pagerduty',
      level: 1,
      detail: expect.any(String),
    });
  });

  it('stops after an acknowledgement at +3m: nothing is sent after the ack', async () => {
    // Act
    const result = await simulate('--alarm', 'ServiceDown', '--ack-after', '3m', '--json');
    // Assess
    expect(timeline(result.stdout)).toEqual([
      '+0s notify oncall-pagerduty',
      '+0s notify oncall-slack',
      '+3m ack link',
      '+3m ack oncall-pagerduty',
      '+3m ack oncall-slack',
    ]);
  });

  it(
    'after an acknowledgement keeps watching, and resolves the notified channels when the alarm clears',
    async () => {
      // Act
      const result = await simulate(
        '--alarm',
        'ServiceDown',
        '--ack-after',
        '3m',
        '--resolve-after',
        '7m',
        '--json',
      );
      // Assess
      expect(timeline(result.stdout)).toEqual([
        '+0s notify oncall-pagerduty',
        '+0s notify oncall-slack',
        '+3m ack link',
        '+3m ack oncall-pagerduty',
        '+3m ack oncall-slack',
        '+7m resolve oncall-pagerduty',
        '+7m resolve oncall-slack',
      ]);
    },
    HANG_GUARD_MS,
  );

  it('resolves the notified channels when the alarm clears at +7m, and never sends the email', async () => {
    // Act
    const result = await simulate('--alarm', 'ServiceDown', '--resolve-after', '7m', '--json');
    // Assess
    expect(timeline(result.stdout)).toEqual([
      '+0s notify oncall-pagerduty',
      '+0s notify oncall-slack',
      '+5m notify oncall-sms',
      '+7m resolve oncall-pagerduty',
      '+7m resolve oncall-slack',
      '+7m resolve oncall-sms',
    ]);
  });

  it('defers a warning fired on Saturday night to Monday business hours in London', async () => {
    // Act
    const result = await simulate(
      '--alarm',
      'LowConversionRate',
      '--at',
      '2026-11-21T22:00:00Z',
      '--resolve-after',
      '36h',
      '--json',
    );
    // Assess
    expect(timeline(result.stdout)).toEqual([
      '+0s suppressed oncall-slack',
      '+35h notify oncall-slack',
      '+35h30m notify oncall-email',
      '+36h resolve oncall-email',
      '+36h resolve oncall-slack',
    ]);
  });

  it(
    'reports "printed", never an HTTP status, for the sends it did not make',
    async () => {
      // Prepare
      const receiver = await startReceiver();
      try {
        // Act: the VIGIL_* URL is set, but without --deliver nothing is sent
        const result = await simulateIn(
          { VIGIL_SLACK_WEBHOOK_URL: receiver.url },
          configFile,
          '--alarm',
          'ServiceDown',
          '--resolve-after',
          '7m',
          '--json',
        );
        // Assess
        const events = (JSON.parse(result.stdout) as { events: Event[] }).events;
        expect(events.map((event) => event.detail)).toEqual(events.map(() => 'printed after 1 attempt'));
        expect(receiver.requests).toEqual([]);
      } finally {
        await receiver.close();
      }
    },
    HANG_GUARD_MS,
  );

  describe('--deliver', () => {
    let configured: HttpReceiver;
    let byType: HttpReceiver;

    beforeAll(async () => {
      [configured, byType] = await Promise.all([startReceiver(), startReceiver()]);
    });

    afterAll(async () => {
      await Promise.all([configured?.close(), byType?.close()]);
    });

    beforeEach(() => {
      configured.reset();
      byType.reset();
    });

    it(
      'sends the trigger and the resolve to the VIGIL_SLACK_WEBHOOK_URL receiver and reports its status',
      async () => {
        // Prepare
        byType.fallback = { status: 200, body: 'ok' };
        // Act
        const result = await simulateIn(
          { VIGIL_SLACK_WEBHOOK_URL: byType.url },
          configFile,
          '--alarm',
          'ServiceDown',
          '--resolve-after',
          '7m',
          '--deliver',
          '--json',
        );
        // Assess
        const events = (JSON.parse(result.stdout) as { events: Event[] }).events;
        expect(result.code).toBe(0);
        expect(byType.requests.map((request) => request.json.text)).toEqual([
          expect.stringContaining('CRITICAL'),
          expect.stringContaining('RESOLVED'),
        ]);
        expect(
          events.filter((event) => event.channel === 'oncall-slack').map((event) => event.detail),
        ).toEqual(['HTTP 200 after 1 attempt', 'HTTP 200 after 1 attempt']);
        expect(
          events.filter((event) => event.channel === 'oncall-pagerduty').map((event) => event.detail),
        ).toEqual(['printed after 1 attempt', 'printed after 1 attempt']);
      },
      HANG_GUARD_MS,
    );

    it(
      'prefers the channel’s configured secret supplied as VIGIL_SECRET_<REF>, and shows a failing webhook as failed',
      async () => {
        // Prepare
        configured.fallback = { status: 404, body: 'no_service' };
        // Act
        const result = await simulateIn(
          {
            VIGIL_SECRET_FLIGHT_BOOKING_SLACK_ONCALL_WEBHOOK: configured.url,
            VIGIL_SLACK_WEBHOOK_URL: byType.url,
          },
          configFile,
          '--alarm',
          'ServiceDown',
          '--deliver',
          '--json',
        );
        // Assess
        const events = (JSON.parse(result.stdout) as { events: Event[] }).events;
        expect(configured.requests.length).toBe(1);
        expect(byType.requests).toEqual([]);
        expect(events.find((event) => event.channel === 'oncall-slack')).toMatchObject({
          type: 'failed',
          detail: expect.stringContaining('HTTP 404: no_service'),
        });
      },
      HANG_GUARD_MS,
    );
  });

  it('prints a readable timeline without --json', async () => {
    // Act
    const result = await simulate('--alarm', 'PaymentFailuresHigh', '--resolve-after', '1m');
    // Assess
    expect(result.stdout).toContain('Simulated escalation of flight-booking-rule-PaymentFailuresHigh');
    expect(result.stdout).toMatch(/\+0s\s+notify\s+oncall-slack\s+L1/);
    expect(result.stdout).toMatch(/\+1m\s+resolve\s+oncall-pagerduty/);
  });

  it('rejects bad usage and invalid config with exit code 2 and a clear message', async () => {
    // Prepare
    const bad = join(dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({
        app: DEMO_APP,
        environments: { local: { baseUrl: 'http://127.0.0.1:1' } },
        ...demoEscalation,
        escalation: {
          ...demoEscalation.escalation,
          critical: {
            levels: [
              { after: '5m', channels: ['oncall-slack'] },
              { after: '1m', channels: ['nope'] },
            ],
          },
        },
      }),
    );
    // Act
    const missing = await simulate();
    const duration = await simulate('--alarm', 'ServiceDown', '--ack-after', 'soon');
    const invalid = await simulateWith(bad, '--alarm', 'ServiceDown');
    // Assess
    expect(missing).toMatchObject({ code: 2, stderr: expect.stringContaining('--alarm NAME is required') });
    expect(duration).toMatchObject({ code: 2, stderr: expect.stringContaining("invalid duration 'soon'") });
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain("escalation.critical.levels[1].channels[0]: unknown channel 'nope'");
    expect(invalid.stderr).toContain(
      'escalation.critical.levels[1].after: levels must be ordered by strictly increasing `after`',
    );
  });

  it('rejects a level channel named constructor at validation (exit 2) instead of failing the level at run time', async () => {
    // Prepare
    const file = join(dir, 'prototype-channel.json');
    writeFileSync(
      file,
      JSON.stringify({
        app: DEMO_APP,
        environments: { local: { baseUrl: 'http://127.0.0.1:1' } },
        ...demoEscalation,
        escalation: {
          ...demoEscalation.escalation,
          critical: { levels: [{ after: '0s', channels: ['constructor'] }] },
        },
      }),
    );
    // Act
    const result = await simulateWith(file, '--alarm', 'ServiceDown');
    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "escalation.critical.levels[0].channels[0]: unknown channel 'constructor'",
    );
    expect(result.stdout).toBe('');
  });
});

describe('failedNotifications (what makes vigil simulate exit 1)', () => {
  it('lists every failed notification of a timeline and nothing else', () => {
    // Prepare
    const events = [
      { at: '+0s', type: 'notify', channel: 'oncall-slack', detail: 'delivered' },
      { at: '+5m', type: 'failed', channel: 'oncall-sms', detail: 'TypeError: x is not a function' },
    ] as const;
    // Act
    const failed = failedNotifications(events);
    // Assess
    expect(failed).toEqual(['notification failed: +5m oncall-sms: TypeError: x is not a function']);
    expect(failedNotifications(events.slice(0, 1))).toEqual([]);
  });
});

describe('vigil simulate with people on call', () => {
  const pagingFile = join(dir, 'vigil.paging.config.json');
  beforeAll(async () => {
    const { demoOnCall } = await import('../../../examples/demo-oncall');
    writeFileSync(
      pagingFile,
      JSON.stringify({
        app: DEMO_APP,
        environments: { local: { baseUrl: 'http://127.0.0.1:1' } },
        ...demoEscalation,
        ...demoOnCall,
      }),
    );
  });

  it(
    'shows who is paged at a local instant, by which method and when, and reads a time in a DST gap as after it',
    async () => {
      // Act: 01:30 on 28 March 2027 does not exist in London (clocks go from 01:00 GMT to 02:00 BST).
      const args = [
        '--alarm',
        'ServiceDown',
        '--at',
        '2027-03-28T01:30',
        '--tz',
        'Europe/London',
        '--ack-after',
        '3m',
      ];
      const text = await simulateWith(pagingFile, ...args);
      const json = await simulateWith(pagingFile, ...args, '--json');
      // Assess: Carol is on call that Sunday (weekly rotation alice, bob, carol from 2 Nov 2026); her rule is
      // SMS at once and email after 5 min, so the ack at +3m leaves the email unsent.
      expect(text.code).toBe(0);
      expect(text.stdout).toContain(
        '2027-03-28T01:30 does not exist in Europe/London (clocks go forward): simulating 2027-03-28T01:30:00.000Z',
      );
      expect(text.stdout).toMatch(/\+0s {5}notify {5}Carol Singh \(sms\) +L1 {2}printed/);
      expect(timeline(json.stdout)).toEqual([
        '+0s notify @carol/sms',
        '+0s notify oncall-pagerduty',
        '+0s notify oncall-slack',
        '+3m ack @carol/sms',
        '+3m ack link',
        '+3m ack oncall-pagerduty',
        '+3m ack oncall-slack',
      ]);
      expect((JSON.parse(json.stdout) as { events: { person?: string }[] }).events[0]?.person).toBe(
        'Carol Singh (sms)',
      );
    },
    HANG_GUARD_MS,
  );

  it('refuses a local --at without --tz, and an unknown zone, before running anything', async () => {
    // Act
    const localAt = ['--alarm', 'ServiceDown', '--at', '2027-03-28T01:30'];
    const noZone = await simulateWith(pagingFile, ...localAt);
    const badZone = await simulateWith(pagingFile, ...localAt, '--tz', 'Mars/Base');
    // Assess
    expect(noZone.code).toBe(2);
    expect(noZone.stderr).toContain(
      "--at: '2027-03-28T01:30' has no offset: add one (Z, +01:00) or --tz ZONE",
    );
    expect(badZone.stderr).toContain("--tz: unknown IANA time zone 'Mars/Base'");
  });
});
