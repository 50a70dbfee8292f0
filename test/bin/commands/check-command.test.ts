import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkCommand } from '../../../bin/commands/check-command';
import { type FlightApi, startFlightApi } from '../../../examples/flight-api';
import { recordingIO } from '../../helpers/cli-io';

const DEMO_CONFIG = join(__dirname, '../../../vigil.config.ts');

describe('vigil check', () => {
  let api: FlightApi;
  beforeAll(async () => {
    api = await startFlightApi({ port: 0 });
  });
  afterEach(() => api.faults.clear());
  afterAll(() => api.close());

  it('runs the demo checks against the demo API and prints the documented JSON shape (exit 0)', async () => {
    // Prepare
    const { io, stdout } = recordingIO();
    // Act
    const code = await checkCommand.run(['--config', DEMO_CONFIG, '--base-url', api.url, '--json'], io);
    // Assess
    const { results } = JSON.parse(stdout()) as { results: Array<Record<string, unknown>> };
    expect(code).toBe(0);
    expect(results.map((result) => [result.name, result.status])).toEqual([
      ['health_live', 'passed'],
      ['health_ready', 'passed'],
      ['health_startup', 'passed'],
      ['flight_search', 'passed'],
      ['user_registration', 'passed'],
      ['booking_creation', 'passed'],
    ]);
    const booking = results.find((result) => result.name === 'booking_creation') as {
      durationMs: number;
      steps: Array<{
        name: string;
        status: string;
        durationMs: number;
        timings: object;
        assertions: object[];
      }>;
    };
    expect(booking.steps.map((step) => step.name)).toEqual([
      'register',
      'search',
      'book',
      'cancel_booking',
      'delete_user',
    ]);
    expect(booking.steps[2]).toMatchObject({
      status: 'passed',
      durationMs: expect.any(Number),
      timings: {
        dnsMs: expect.any(Number),
        connectMs: expect.any(Number),
        firstByteMs: expect.any(Number),
        totalMs: expect.any(Number),
      },
      assertions: expect.arrayContaining([
        { ok: true, description: expect.any(String), expected: 201, actual: 201 },
      ]),
    });
  });

  it('exits 1 and names the failing step and assertion when a fault is injected', async () => {
    // Prepare
    api.faults.set({ routes: { 'POST /api/bookings': { status: 500 } } });
    const { io, stdout } = recordingIO();
    // Act
    const code = await checkCommand.run(
      ['--config', DEMO_CONFIG, '--base-url', api.url, '--only', 'booking_creation'],
      io,
    );
    // Assess
    expect(code).toBe(1);
    expect(stdout()).toMatch(/FAIL {2}booking_creation .*book: expected status equals 201, got 500/);
    expect(stdout()).toContain('1 checks: 0 passed, 0 degraded, 1 failed');
  });

  it('exits 2 with every config problem and its path', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'vigil-cli-'));
    const file = join(dir, 'bad.json');
    writeFileSync(
      file,
      JSON.stringify({
        app: 'x',
        environments: { local: { baseUrl: 'nope' } },
        checks: [{ name: 'a', steps: [] }],
      }),
    );
    const { io, stderr } = recordingIO();
    // Act
    const code = await checkCommand.run(['--config', file], io);
    // Assess
    expect(code).toBe(2);
    expect(stderr()).toContain('environments.local.baseUrl');
    expect(stderr()).toContain('checks[0].steps');
  });

  it('exits 2 for unknown --only names and unknown flags', async () => {
    const first = recordingIO();
    expect(await checkCommand.run(['--config', DEMO_CONFIG, '--only', 'nope'], first.io)).toBe(2);
    expect(first.stderr()).toContain('--only names unknown checks: nope');
    const second = recordingIO();
    expect(await checkCommand.run(['--bogus'], second.io)).toBe(2);
  });

  it('exits 2 for --env toString: an Object.prototype key is not an environment', async () => {
    // Prepare
    const { io, stderr } = recordingIO();
    // Act
    const code = await checkCommand.run(['--config', DEMO_CONFIG, '--env', 'toString'], io);
    // Assess
    expect(code).toBe(2);
    expect(stderr()).toContain("unknown environment 'toString'");
  });
});
