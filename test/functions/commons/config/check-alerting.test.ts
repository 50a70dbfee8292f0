import { parseConfig } from '../../../../functions/commons/config/resolve-config';
import { resolveBundledConfig } from '../../../../functions/escalation/core/resolve-runtime-config';
import { configIssueLines } from '../../../helpers/config-issues';

const base = {
  app: 'shop',
  environments: { local: { baseUrl: 'http://127.0.0.1:4010' } },
  channels: { hook: { type: 'webhook', url: { secretsManager: 'shop/hook' } } },
  escalation: {
    critical: { levels: [{ after: '0s', channels: ['hook'] }] },
    warning: { levels: [{ after: '0s', channels: ['hook'] }] },
    info: { levels: [{ after: '0s', channels: ['hook'] }] },
  },
};
const health = (name: string, extra: Record<string, unknown> = {}) => ({
  type: 'health',
  name,
  url: 'http://127.0.0.1:4010/health',
  ...extra,
});

describe('quorum, flapping and maintenance config', () => {
  it('names a check whose own name is invalid by its path in the quorum problem, beside the name problem', () => {
    // Prepare
    const input = { ...base, checks: [health('__proto__', { quorum: { minFailingLocations: 3 } })] };

    // Act
    const issues = configIssueLines(input);

    // Assess
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^checks\[0\]\.name: /),
        'checks[0].quorum.minFailingLocations: 3 failing locations can never be reached: the check at checks[0] runs in 1 (us-east-1, the built-in default)',
      ]),
    );
    expect(issues.join('\n')).not.toContain("'undefined'");
  });

  it('reports every impossible quorum and backwards window at once, where it is written', () => {
    // Prepare
    const input = {
      ...base,
      defaults: { quorum: { minFailingLocations: 2 } },
      checkGroups: [
        { name: 'eu', locations: ['eu-west-1', 'eu-central-1'], quorum: { minFailingLocations: 3 } },
      ],
      checks: [
        health('two', { locations: ['us-east-1', 'eu-west-1'] }),
        health('one'),
        health('grouped', { group: 'eu' }),
        health('zero', { locations: ['us-east-1', 'eu-west-1'], quorum: { minFailingLocations: 0 } }),
        health('own', {
          locations: ['us-east-1'],
          quorum: { minFailingLocations: 2 },
          flapping: { transitions: 0, window: 'soon' },
        }),
        health('window', {
          locations: ['us-east-1', 'eu-west-1'],
          maintenance: [{ from: '2026-03-02T12:00:00Z', to: '2026-03-02T10:00:00Z' }],
        }),
      ],
      heartbeats: [
        {
          name: 'nightly',
          every: '1d',
          maintenance: [{ days: ['sun'], time: '02:00-04:00', timezone: 'Mars/Olympus' }],
        },
      ],
    };

    // Act
    const issues = configIssueLines(input);

    // Assess
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^heartbeats\[0\]\.maintenance\[0\]\.timezone: unknown IANA time zone/),
        'checks[3].quorum.minFailingLocations: at least 1 location',
        "checks[5].maintenance[0].to: must be after 'from'",
        "defaults.quorum.minFailingLocations: 2 failing locations can never be reached: check 'one' (at checks[1]) runs in 1 (us-east-1, the built-in default)",
        "checkGroups[0].quorum.minFailingLocations: 3 failing locations can never be reached: check 'grouped' (at checks[2]) runs in 2 (eu-west-1, eu-central-1 from checkGroups[0].locations)",
        "checks[4].quorum.minFailingLocations: 2 failing locations can never be reached: check 'own' runs in 1 (us-east-1 from checks[4].locations)",
      ]),
    );
    expect(issues).toEqual(
      expect.arrayContaining([
        'checks[4].flapping.transitions: at least 1 state change',
        expect.stringMatching(/^checks\[4\]\.flapping\.window: invalid duration 'soon'/),
      ]),
    );
    expect(issues).toHaveLength(8);
  });

  it('bundles each quorum by the check alarm, and each maintenance window as a silence of exactly its alarms', () => {
    // Prepare
    const config = parseConfig({
      ...base,
      defaults: { locations: ['us-east-1', 'eu-west-1'] },
      checkGroups: [{ name: 'api', quorum: { minFailingLocations: 2 } }],
      checks: [
        health('web', {
          group: 'api',
          maintenance: [{ days: ['sun'], time: '22:00-02:00', timezone: 'Europe/London' }],
        }),
        health('plain', { flapping: { transitions: 3 } }),
      ],
      heartbeats: [
        {
          name: 'nightly',
          every: '1d',
          maintenance: [{ from: '2026-03-02T10:00:00Z', to: '2026-03-02T12:00:00Z' }],
        },
      ],
    });

    // Act
    const bundled = resolveBundledConfig(config);

    // Assess
    expect(bundled.quorums).toEqual({
      'shop-check-web': { locations: ['us-east-1', 'eu-west-1'], minFailing: 2 },
    });
    expect(bundled.flapping).toEqual({
      'shop-check-plain': { transitions: 3, windowMs: 30 * 60_000, quietMs: 15 * 60_000 },
    });
    expect(bundled.silences).toEqual([
      {
        name: 'maintenance-check-web',
        reason: "maintenance window of check 'web'",
        match: { alarm: 'shop-check-web' },
        weekly: { timezone: 'Europe/London', windows: [{ days: ['sun'], time: '22:00-02:00' }] },
      },
      ...['shop-heartbeat-nightly', 'shop-heartbeat-nightly-failed', 'shop-heartbeat-nightly-degraded'].map(
        (alarm) => ({
          name: 'maintenance-heartbeat-nightly',
          reason: "maintenance window of heartbeat 'nightly'",
          match: { alarm },
          startMs: Date.parse('2026-03-02T10:00:00Z'),
          endMs: Date.parse('2026-03-02T12:00:00Z'),
        }),
      ),
    ]);
  });
});
