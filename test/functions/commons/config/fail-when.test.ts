import { parseConfig, resolveChecks } from '../../../../functions/commons/config/resolve-config';
import { configIssueLines } from '../../../helpers/config-issues';

const base = {
  app: 'shop',
  environments: { prod: { baseUrl: 'https://shop.example.com' } },
};
const check = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  steps: [{ name: 'home', request: { url: '{{baseUrl}}/' } }],
  ...extra,
});

describe('failWhen', () => {
  it('resolves a check’s own "N of the last M", else the app-wide checkAlarms setting', () => {
    // Prepare
    const config = parseConfig({
      ...base,
      checkAlarms: { failuresToAlarm: 3, outOf: 4 },
      checks: [
        check('own', { failWhen: { failures: 2, outOf: 5 } }),
        check('inherits'),
        check('n-only', { failWhen: { failures: 1 } }),
      ],
    });

    // Act
    const resolved = resolveChecks(config).map((c) => [c.name, c.failWhen]);

    // Assess
    expect(resolved).toEqual([
      ['own', { failures: 2, outOf: 5 }],
      ['inherits', { failures: 3, outOf: 4 }],
      ['n-only', { failures: 1, outOf: 1 }],
    ]);
  });

  it('takes failWhen from the defaults when the check names none', () => {
    // Act
    const [resolved] = resolveChecks(
      parseConfig({ ...base, defaults: { failWhen: { failures: 3, outOf: 10 } }, checks: [check('a')] }),
    );
    // Assess
    expect(resolved?.failWhen).toEqual({ failures: 3, outOf: 10 });
  });

  it('reports N below 1 and M below N with the path of each, at once', () => {
    // Act
    const lines = configIssueLines({
      ...base,
      checks: [
        check('zero', { failWhen: { failures: 0, outOf: 3 } }),
        check('inverted', { failWhen: { failures: 4, outOf: 2 } }),
      ],
    });

    // Assess
    expect(lines).toEqual([
      expect.stringMatching(/^checks\[0\]\.failWhen\.failures: /),
      'checks[1].failWhen.outOf: must be at least failures (4): N failed runs out of the last M needs N <= M',
    ]);
  });

  it('reports an M whose runs span more than CloudWatch evaluates (1 day under an hour, 7 days above)', () => {
    // Act: 1441 one-minute runs > 1 day; 169 hourly runs > 7 days; 1440 one-minute runs = 1 day exactly
    const lines = configIssueLines({
      ...base,
      checks: [
        check('minutely', { schedule: '1m', failWhen: { failures: 1, outOf: 1441 } }),
        check('hourly', { schedule: '1h', failWhen: { failures: 1, outOf: 169 } }),
        check('just-fits', { schedule: '1m', failWhen: { failures: 1, outOf: 1440 } }),
      ],
    });

    // Assess
    expect(lines).toEqual([
      expect.stringMatching(/^checks\[0\]\.failWhen\.outOf: .*1 of the last 1441 runs.*86,400 s/),
      expect.stringMatching(/^checks\[1\]\.failWhen\.outOf: .*1 of the last 169 runs.*604,800 s/),
    ]);
  });

  it('reports certificate thresholds whose warning is not above critical', () => {
    // Act
    const lines = configIssueLines({
      ...base,
      checkAlarms: { certificate: { warning: 7, critical: 7 } },
      checks: [check('a')],
    });
    // Assess
    expect(lines).toEqual([
      'checkAlarms.certificate.warning: warning (7 days) must be above critical (7 days): the critical alarm would fire first',
    ]);
  });
});
