import { parseConfig } from '../../../../functions/commons/config/resolve-config';
import { configIssueLines } from '../../../helpers/config-issues';

const base = {
  app: 'shop',
  environments: { prod: { baseUrl: 'https://shop.example.com' } },
  checks: [{ name: 'home', steps: [{ name: 'get', request: { url: '{{baseUrl}}/' } }] }],
};

const issuesOf = (extra: Record<string, unknown>) => configIssueLines({ ...base, ...extra });

describe('observability config', () => {
  it('accepts the catalog with defaults applied', () => {
    const config = parseConfig({
      ...base,
      slos: [{ name: 'home', source: { check: 'home' }, target: 99.9 }],
    });
    expect(config.slos[0]).toMatchObject({
      objective: 'availability',
      window: 2_592_000_000,
      pageSeverity: 'critical',
      ticketSeverity: 'warning',
    });
    expect(config.checkAlarms).toEqual({
      degraded: true,
      failuresToAlarm: 2,
      certificate: { warning: 14, critical: 7 },
    });
  });

  it('refuses a latency SLO threshold CloudWatch cannot read in its statistic (TC(0:1e+21)), at synth', () => {
    // Act: the threshold is written into the SLO's TC(...) statistic as JavaScript prints it
    const issues = issuesOf({
      slos: [
        { name: 'tiny', objective: 'latency', thresholdMs: 1e-7, source: { check: 'home' }, target: 99 },
        { name: 'huge', objective: 'latency', thresholdMs: 1e21, source: { check: 'home' }, target: 99 },
        { name: 'fine', objective: 'latency', thresholdMs: 250.5, source: { check: 'home' }, target: 99 },
      ],
    });
    // Assess
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^slos\[0\]\.thresholdMs: .*at most 3 decimals/),
        expect.stringMatching(/^slos\[1\]\.thresholdMs: .*900000/),
      ]),
    );
    expect(issues.filter((line) => line.startsWith('slos[2]'))).toEqual([]);
  });

  it('reports every problem with its path', () => {
    const issues = issuesOf({
      slos: [
        { name: 'a', objective: 'latency', source: { check: 'home' }, target: 99 },
        { name: 'b', source: { check: 'missing' }, target: 100 },
      ],
      alarms: [
        { type: 'serviceDown', name: 'Down', checks: ['nope'], suppressedBy: ['Other'] },
        { type: 'errorRate', name: 'Errors' },
        { type: 'queue', name: 'Q', queueName: 'q', metric: 'age', threshold: 1, suppressedBy: ['Q2'] },
        { type: 'queue', name: 'Q2', queueName: 'q', metric: 'age', threshold: 1, suppressedBy: ['Q'] },
      ],
    });
    expect(issues).toEqual(
      expect.arrayContaining([
        'slos[0].thresholdMs: a latency SLO needs thresholdMs',
        "slos[1].source.check: unknown or disabled check 'missing'",
        expect.stringMatching(/^slos\[1\]\.target: /),
        "alarms[0].checks[0]: unknown or disabled check 'nope'",
        "alarms[0].suppressedBy[0]: unknown alarm 'Other': name an entry of 'alarms'",
        "alarms[1]: give 'api', or both 'errors' and 'total'",
        "alarms[2].suppressedBy: suppression loops back to 'Q'",
        "alarms[3].suppressedBy: suppression loops back to 'Q2'",
      ]),
    );
  });
});
