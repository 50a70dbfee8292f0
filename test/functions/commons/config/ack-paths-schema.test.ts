import { DEMO_APP, demoEscalation } from '../../../../examples/demo-escalation';
import { parseConfig } from '../../../../functions/commons/config/resolve-config';
import { configIssueLines } from '../../../helpers/config-issues';

const base = { app: DEMO_APP, environments: { local: { baseUrl: 'http://127.0.0.1:1' } }, ...demoEscalation };
const people = {
  ada: { name: 'Ada Lovelace', timezone: 'Europe/London', contact: { sms: '+447700900001' } },
};

const withAckPaths = (extra: Record<string, unknown>, more: Record<string, unknown> = {}) => ({
  ...base,
  ...more,
  escalation: { ...demoEscalation.escalation, ...extra },
});

describe('escalation.slack and escalation.sms', () => {
  it('accepts a Slack signing secret reference and two-way SMS with or without an existing topic', () => {
    // Act
    const created = parseConfig(
      withAckPaths(
        { slack: { signingSecret: { secretsManager: 'demo/slack-signing' } }, sms: {} },
        { people },
      ),
    );
    const existing = parseConfig(
      withAckPaths(
        { sms: { inboundTopicArn: 'arn:aws:sns:eu-west-2:123456789012:inbound-sms' } },
        { people },
      ),
    );
    const without = parseConfig(base);
    // Assess
    expect(created.escalation?.slack).toEqual({ signingSecret: { secretsManager: 'demo/slack-signing' } });
    expect(created.escalation?.sms).toEqual({});
    expect(existing.escalation?.sms?.inboundTopicArn).toBe('arn:aws:sns:eu-west-2:123456789012:inbound-sms');
    expect(without.escalation?.slack).toBeUndefined();
    expect(without.escalation?.sms).toBeUndefined();
  });

  it('reports a plain-text signing secret, a bad topic ARN and two-way SMS without SMS contacts, each at its path', () => {
    // Act
    const issues = configIssueLines(
      withAckPaths({ slack: { signingSecret: 'plain-text' }, sms: { inboundTopicArn: 'inbound-sms' } }),
    );
    const noPeople = configIssueLines(withAckPaths({ sms: {} }));
    // Assess
    expect(issues.some((line) => line.startsWith('escalation.slack.signingSecret'))).toBe(true);
    expect(
      issues.some(
        (line) => line.startsWith('escalation.sms.inboundTopicArn') && line.includes('SNS topic ARN'),
      ),
    ).toBe(true);
    expect(noPeople.some((line) => line.startsWith('escalation.sms') && line.includes('contact.sms'))).toBe(
      true,
    );
  });
});
