import { type AlertMessage, alarmConsoleUrl } from '../../../../functions/escalation/channels/alert-message';
import { pagerDutyEvent } from '../../../../functions/escalation/channels/pagerduty-event';
import { SLACK_COLOURS, slackMessage } from '../../../../functions/escalation/channels/slack-message';
import { emailSubject, SMS_MAX, smsText } from '../../../../functions/escalation/channels/text-messages';
import type { Incident } from '../../../../functions/escalation/types/incident';

const incident: Incident = {
  id: 'flight-booking-rule-PaymentFailuresHigh-20260302T103000Z-1a2b3c4d5e',
  alarm: {
    alarmName: 'flight-booking-rule-PaymentFailuresHigh-with-a-rather-long-alarm-name-that-keeps-going',
    state: 'ALARM',
    reason: 'Threshold Crossed: 3 out of the last 3 datapoints were greater than the threshold (0.1).',
    stateChangedAt: '2026-03-02T10:30:00.000Z',
    region: 'eu-west-1',
    threshold: 0.1,
    source: 'eventbridge',
  },
  severity: 'critical',
  team: 'payments',
  policy: 'critical',
  rule: 'PaymentFailuresHigh',
  summary:
    'High payment failure rate on the M-Pesa and card providers, customers cannot complete bookings right now',
  runbookUrl: 'https://runbooks.example.com/payments',
  tags: {},
  startedAt: Date.parse('2026-03-02T10:30:05Z'),
  enrichment: {
    traces: [{ id: '1-5759e988-bd862e3fe1be46a994272793', url: 'https://console/trace' }],
    graphUrl: 'https://s3/graph.png',
  },
};

const message = (kind: AlertMessage['kind']): AlertMessage => ({
  kind,
  incident,
  level: 1,
  alarmUrl: alarmConsoleUrl(incident.alarm.alarmName, 'eu-west-1'),
  ackUrl: 'https://ack.example/?incident=x&sig=y',
  ...(kind === 'acknowledge' ? { ackedBy: 'Ada' } : {}),
  at: Date.parse('2026-03-02T10:30:06Z'),
});

describe('channel messages', () => {
  it('keeps an SMS under 160 characters with severity, rule, status and team', () => {
    // Act
    const text = smsText(message('trigger'));
    // Assess
    expect(text.length).toBeLessThanOrEqual(SMS_MAX);
    expect(
      text.startsWith('CRITICAL PaymentFailuresHigh ALARM payments since 10:30Z: High payment failure rate'),
    ).toBe(true);
  });

  it('writes an email subject a phone can triage within SNS’s 100 characters', () => {
    // Act
    const subject = emailSubject(message('trigger'));
    const resolved = emailSubject(message('resolve'));
    // Assess
    expect(subject.length).toBeLessThanOrEqual(100);
    expect(subject).toMatch(
      /^\[CRITICAL\] PaymentFailuresHigh flight-booking-rule-PaymentFailuresHigh.* ALARM \(payments\)$/,
    );
    expect(resolved).toMatch(/^\[RESOLVED\] PaymentFailuresHigh .*\(payments\)$/);
  });

  it('colours Slack by severity and offers Acknowledge, Runbook and Alarm buttons, traces and the graph', () => {
    // Act
    const trigger = slackMessage(message('trigger')) as {
      attachments: { color: string; blocks: Record<string, unknown>[] }[];
    };
    const resolve = slackMessage(message('resolve')) as { attachments: { color: string }[] };
    // Assess
    const blocks = trigger.attachments[0]?.blocks ?? [];
    expect(trigger.attachments[0]?.color).toBe(SLACK_COLOURS.critical);
    expect(resolve.attachments[0]?.color).toBe(SLACK_COLOURS.resolved);
    const buttons = (
      (blocks.find((block) => block.type === 'actions')?.elements ?? []) as { text: { text: string } }[]
    ).map((button) => button.text.text);
    expect(buttons).toEqual(['Acknowledge', 'Runbook', 'Alarm']);
    expect(blocks.some((block) => block.type === 'image')).toBe(true);
    expect(JSON.stringify(blocks)).toContain('1-5759e988-bd862e3fe1be46a994272793');
  });

  it('addresses one PagerDuty incident with the same dedup_key for trigger, acknowledge and resolve', () => {
    // Act
    const trigger = pagerDutyEvent(message('trigger'), 'KEY');
    const acknowledge = pagerDutyEvent(message('acknowledge'), 'KEY');
    const resolve = pagerDutyEvent(message('resolve'), 'KEY');
    // Assess
    expect(trigger).toMatchObject({
      event_action: 'trigger',
      dedup_key: incident.id,
      payload: {
        severity: 'critical',
        source: incident.alarm.alarmName,
        component: 'PaymentFailuresHigh',
        group: 'payments',
      },
      images: [{ src: 'https://s3/graph.png' }],
    });
    expect([acknowledge, resolve]).toEqual([
      { routing_key: 'KEY', event_action: 'acknowledge', dedup_key: incident.id },
      { routing_key: 'KEY', event_action: 'resolve', dedup_key: incident.id },
    ]);
  });
});
