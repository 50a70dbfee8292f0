import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planCommand } from '../../../bin/commands/plan-command';
import { recordingIO } from '../../helpers/cli-io';

/** A config file of `count` one-minute checks whose single step times out after `timeout`. */
const configFile = (count: number, timeout: string): string => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-plan-'));
  const file = join(dir, 'vigil.config.json');
  writeFileSync(
    file,
    JSON.stringify({
      app: 'shop',
      environments: { prod: { baseUrl: 'https://shop.example.com' } },
      checks: Array.from({ length: count }, (_, i) => ({
        name: `c${i}`,
        schedule: '1m',
        timeout,
        stepTimeout: timeout,
        steps: [{ name: 'get', request: { url: '{{baseUrl}}/' } }],
      })),
    }),
  );
  return file;
};

describe('vigil plan', () => {
  it('prints every shard with its worst case and headroom as JSON', async () => {
    // Prepare: 80 checks of 10 s, 20 at a time, need more than one shard (four waves: 40 s of a 50 s budget)
    const { io, stdout } = recordingIO();

    // Act
    const code = await planCommand.run(['--config', configFile(80, '10s'), '--json'], io);

    // Assess
    expect(code).toBe(0);
    const { locations } = JSON.parse(stdout()) as {
      locations: {
        location: string;
        schedules: { schedule: string; shards: { checks: string[]; headroomMs: number }[] }[];
      }[];
    };
    expect(locations.map((location) => location.location)).toEqual(['us-east-1']);
    const shards = locations[0]?.schedules[0]?.shards ?? [];
    expect(shards.length).toBeGreaterThan(1);
    expect(shards.flatMap((shard) => shard.checks)).toHaveLength(80);
    for (const shard of shards) expect(shard.headroomMs).toBeGreaterThanOrEqual(0);
  });

  it('prints a table of shards', async () => {
    const { io, stdout } = recordingIO();

    const code = await planCommand.run(['--config', configFile(3, '10s')], io);

    expect(code).toBe(0);
    expect(stdout()).toContain('us-east-1 every-1m (rate(1 minute)): 3 check(s) in 1 shard(s)');
    expect(stdout()).toMatch(/^ {2}0 +3 +0\.1 s +10\.0 s +39\.9 s$/m);
  });

  it('warns and exits 1 when a check cannot fit its period', async () => {
    const { io, stdout, stderr } = recordingIO();

    const code = await planCommand.run(['--config', configFile(1, '55s')], io);

    expect(code).toBe(1);
    expect(stdout()).toContain('DOES NOT FIT');
    expect(stderr()).toContain('warning: us-east-1 every-1m: check c0 can take 55000 ms');
  });
});
