import { DEMO_APP, demoEscalation } from '../../../../examples/demo-escalation';
import { parseConfig } from '../../../../functions/commons/config/resolve-config';
import { resolveRuntimeConfig } from '../../../../functions/escalation/core/resolve-runtime-config';
import { configIssueLines } from '../../../helpers/config-issues';

const base = { app: DEMO_APP, environments: { local: { baseUrl: 'http://127.0.0.1:1' } } };

const issuesOf = configIssueLines;

describe('escalation config', () => {
  it('accepts the demo config and resolves the seeds’ matrix in milliseconds', () => {
    // Act
    const runtime = resolveRuntimeConfig(parseConfig({ ...base, ...demoEscalation }), {
      ackUrl: 'https://ack/',
    });
    // Assess
    expect(runtime.policies.critical?.levels).toEqual([
      { afterMs: 0, channels: ['oncall-slack', 'oncall-pagerduty'] },
      { afterMs: 300_000, channels: ['oncall-sms'] },
      { afterMs: 900_000, channels: ['oncall-email'] },
    ]);
    expect(runtime.policies.warning).toMatchObject({
      businessHoursOnly: true,
      levels: [{ afterMs: 0 }, { afterMs: 1_800_000 }],
    });
    expect(runtime.businessHours?.weekly['1']).toEqual([[540, 1050]]);
    expect(runtime.rules.map((rule) => rule.name)).toEqual([
      'ServiceDown',
      'HighErrorRate',
      'DatabaseConnectionsHigh',
      'LowConversionRate',
      'PaymentFailuresHigh',
    ]);
  });

  it('reports every problem at once with its path', () => {
    // Prepare
    const input = {
      ...base,
      ...demoEscalation,
      channels: {
        ...demoEscalation.channels,
        'oncall-slack': { type: 'slack', webhook: { secretsManager: 'x' }, fallback: 'ghost' },
      },
      escalation: {
        ...demoEscalation.escalation,
        critical: {
          levels: [
            { after: '5m', channels: ['oncall-slack'] },
            { after: '1m', channels: ['oncall-pager'] },
          ],
        },
      },
      businessHours: { timezone: 'Mars/Olympus', schedule: { mon: '17:00-09:00' } },
      silences: [{ name: 'bad', match: {}, start: '2026-03-02T12:00:00Z' }],
    };
    // Act
    const issues = issuesOf(input);
    // Assess
    expect(issues).toEqual(
      expect.arrayContaining([
        'channels["oncall-slack"].fallback: unknown channel \'ghost\'',
        "escalation.critical.levels[1].channels[0]: unknown channel 'oncall-pager'",
        'escalation.critical.levels[1].after: levels must be ordered by strictly increasing `after`',
        "businessHours.timezone: unknown IANA time zone: use a name such as 'Europe/London', 'America/New_York' or 'UTC'",
      ]),
    );
  });

  it('requires a policy per severity and flags broken silences and fallback loops, all at once', () => {
    // Prepare
    const input = {
      ...base,
      channels: {
        a: { type: 'slack', webhook: { secretsManager: 'a' }, fallback: 'b' },
        b: { type: 'teams', webhook: { secretsManager: 'b' }, fallback: 'a' },
      },
      escalation: {
        critical: { levels: [{ after: 0, channels: ['a'] }] },
        warning: { levels: [{ after: 0, channels: ['b'] }] },
        info: { levels: [{ after: 0, channels: ['b'] }] },
      },
      silences: [{ name: 's', match: { team: 'x' }, start: '2026-03-02T12:00:00Z' }],
    };
    const { info: _info, ...withoutInfo } = input.escalation;
    // Act
    const issues = issuesOf(input);
    const missing = issuesOf({ ...input, escalation: withoutInfo });
    // Assess
    expect(missing).toEqual([
      expect.stringMatching(/^escalation\.info: /),
      "channels.a.fallback: fallback chain loops back to 'a'",
      "channels.b.fallback: fallback chain loops back to 'b'",
      "silences[0]: a one-off window needs both 'start' and 'end'",
    ]);
    expect(issues).toEqual(
      expect.arrayContaining([
        "channels.a.fallback: fallback chain loops back to 'a'",
        "silences[0]: a one-off window needs both 'start' and 'end'",
      ]),
    );
  });
});
