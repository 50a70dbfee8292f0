import { DEMO_APP, demoEscalation } from '../../../../examples/demo-escalation';
import { configIssues } from '../../../helpers/config-issues';

// Names that are keys of Object.prototype: a lookup with `in` or `record[name]` finds them on every record.
const base = { app: DEMO_APP, environments: { local: { baseUrl: 'http://127.0.0.1:1' } } };
const probe = (headers: Record<string, string>) => ({
  type: 'health',
  name: 'probe',
  url: '{{baseUrl}}/health',
  headers,
});

describe('config names that are Object.prototype keys', () => {
  it('reports a level channel named constructor as an unknown channel', () => {
    // Prepare
    const input = {
      ...base,
      ...demoEscalation,
      escalation: {
        ...demoEscalation.escalation,
        critical: { levels: [{ after: '0s', channels: ['constructor'] }] },
      },
    };
    // Act
    const issues = configIssues(input);
    // Assess
    expect(issues).toEqual([
      { path: 'escalation.critical.levels[0].channels[0]', message: "unknown channel 'constructor'" },
    ]);
  });

  it('reports a fallback named toString as an unknown channel', () => {
    // Prepare
    const input = {
      ...base,
      ...demoEscalation,
      channels: {
        ...demoEscalation.channels,
        'oncall-slack': { type: 'slack', webhook: { secretsManager: 'x' }, fallback: 'toString' },
      },
    };
    // Act
    const issues = configIssues(input);
    // Assess
    expect(issues).toEqual([
      { path: 'channels["oncall-slack"].fallback', message: "unknown channel 'toString'" },
    ]);
  });

  it('reports deploy.environment toString as an unknown environment', () => {
    // Act
    const issues = configIssues({ ...base, deploy: { environment: 'toString' } });
    // Assess
    expect(issues).toEqual([{ path: 'deploy.environment', message: "unknown environment 'toString'" }]);
  });

  it('reports {{secrets.constructor}} as an unknown secret', () => {
    // Act
    const issues = configIssues({ ...base, checks: [probe({ authorization: '{{secrets.constructor}}' })] });
    // Assess
    expect(issues).toEqual([
      {
        path: 'checks[0].headers.authorization',
        message: "unknown secret 'secrets.constructor': declare it under 'secrets'",
      },
    ]);
  });
});
