import { resolveHeartbeats } from '../../../../functions/commons/config/heartbeat-schema';
import { parseConfig } from '../../../../functions/commons/config/resolve-config';
import { configIssueLines } from '../../../helpers/config-issues';

const base = { app: 'shop', environments: { local: { baseUrl: 'http://127.0.0.1:4010' } } };

describe('heartbeats config', () => {
  it('reports every heartbeat problem at once, each with its path', () => {
    // Prepare
    const heartbeats = [
      { name: 'nightly', every: '1d' },
      { name: 'nightly', every: '1h' },
      { name: 'both', every: '1h', cron: '0 2 * * *' },
      { name: 'neither' },
      { name: 'bad_cron', cron: '0 25 * * *' },
      { name: 'bad_zone', cron: '0 2 * * *', timezone: 'Mars/Olympus' },
      { name: 'zone_without_cron', every: '1h', timezone: 'UTC' },
      { name: 'bad_grace', every: '1h', grace: 'soon' },
    ];

    // Act
    const issues = configIssueLines({ ...base, heartbeats });

    // Assess
    expect(issues).toEqual(
      expect.arrayContaining([
        "heartbeats[1].name: duplicate heartbeat name 'nightly'",
        "heartbeats[2]: give either 'every' (e.g. '1h') or 'cron' (e.g. '0 2 * * *'), not both or neither",
        "heartbeats[3]: give either 'every' (e.g. '1h') or 'cron' (e.g. '0 2 * * *'), not both or neither",
        expect.stringMatching(/^heartbeats\[4\]\.cron: invalid cron '0 25 \* \* \*'/),
        "heartbeats[5].timezone: unknown time zone 'Mars/Olympus': use an IANA name, e.g. 'Europe/Berlin'",
        "heartbeats[6].timezone: 'timezone' applies to 'cron' only",
        expect.stringMatching(/^heartbeats\[7\]\.grace: invalid duration 'soon'/),
      ]),
    );
    expect(issues).toHaveLength(7);
  });

  it('resolves defaults, config-wide team and runbook, and both cron dialects to the crontab form', () => {
    // Prepare
    const config = parseConfig({
      ...base,
      defaults: { team: 'ops', runbookUrl: 'https://runbooks.example.com/jobs' },
      heartbeats: [
        { name: 'hourly', every: '1h' },
        { name: 'nightly', cron: '0 2 * * *', timezone: 'Europe/Berlin', grace: '15m', severity: 'warning' },
        { name: 'weekly', cron: '0 3 ? * MON *', degradedAfter: '20m', team: 'data' },
      ],
    });

    // Act
    const resolved = resolveHeartbeats(config);

    // Assess
    expect(resolved).toEqual([
      {
        name: 'hourly',
        expect: { everyMs: 3_600_000 },
        graceMs: 300_000,
        severity: 'critical',
        team: 'ops',
        runbookUrl: 'https://runbooks.example.com/jobs',
      },
      {
        name: 'nightly',
        expect: { cron: '0 2 * * *', timezone: 'Europe/Berlin' },
        graceMs: 900_000,
        severity: 'warning',
        team: 'ops',
        runbookUrl: 'https://runbooks.example.com/jobs',
      },
      {
        name: 'weekly',
        expect: { cron: '0 3 * * MON', timezone: 'UTC' },
        graceMs: 300_000,
        degradedAfterMs: 1_200_000,
        severity: 'critical',
        team: 'data',
        runbookUrl: 'https://runbooks.example.com/jobs',
      },
    ]);
  });
});
