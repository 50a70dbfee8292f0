import { DEMO_APP, demoEscalation } from '../../../../examples/demo-escalation';
import { parseConfig } from '../../../../functions/commons/config/resolve-config';
import { configIssueLines } from '../../../helpers/config-issues';

const base = { app: DEMO_APP, environments: { local: { baseUrl: 'http://127.0.0.1:1' } }, ...demoEscalation };

const withPager = (pager: Record<string, unknown>) => ({
  ...base,
  channels: {
    ...demoEscalation.channels,
    'oncall-pagerduty': { ...demoEscalation.channels['oncall-pagerduty'], ...pager },
  },
});

const issuesOf = configIssueLines;

describe('pagerduty channel webhookSecret', () => {
  it('accepts a Secrets Manager or SSM reference and keeps it optional', () => {
    // Act
    const withSecret = parseConfig(
      withPager({ webhookSecret: { secretsManager: 'flight-booking/pd-webhook' } }),
    );
    const withParameter = parseConfig(withPager({ webhookSecret: { ssm: '/flight-booking/pd-webhook' } }));
    const without = parseConfig(base);
    // Assess
    expect(withSecret.channels['oncall-pagerduty']).toMatchObject({
      type: 'pagerduty',
      webhookSecret: { secretsManager: 'flight-booking/pd-webhook' },
    });
    expect(withParameter.channels['oncall-pagerduty']).toMatchObject({
      webhookSecret: { ssm: '/flight-booking/pd-webhook' },
    });
    expect(without.channels['oncall-pagerduty']).not.toHaveProperty('webhookSecret');
  });

  it('reports a malformed reference, and the routing key reused as signing secret, at the channel’s path', () => {
    // Act
    const malformed = issuesOf(withPager({ webhookSecret: 'plain-text-secret' }));
    const reused = issuesOf(
      withPager({
        routingKey: { secretsManager: 'flight-booking/pd' },
        webhookSecret: { secretsManager: 'flight-booking/pd' },
      }),
    );
    const onSlack = issuesOf({
      ...base,
      channels: {
        ...demoEscalation.channels,
        'oncall-slack': {
          type: 'slack',
          webhook: { secretsManager: 'x' },
          webhookSecret: { secretsManager: 'y' },
        },
      },
    });
    // Assess
    expect(malformed).toHaveLength(1);
    expect(malformed[0]).toMatch(/^channels\["oncall-pagerduty"\]\.webhookSecret: /);
    expect(reused).toEqual([
      `channels["oncall-pagerduty"].webhookSecret: is the routing key's reference: use the webhook subscription's signing secret`,
    ]);
    expect(onSlack).toHaveLength(1);
    expect(onSlack[0]).toMatch(/^channels\["oncall-slack"\]: .*webhookSecret/);
  });
});
