import { type AlertMessage, alarmConsoleUrl } from '../../../../functions/escalation/channels/alert-message';
import { clip, slackText } from '../../../../functions/escalation/channels/message-text';
import { pagerDutyEvent } from '../../../../functions/escalation/channels/pagerduty-event';
import { SLACK_COLOURS, slackMessage } from '../../../../functions/escalation/channels/slack-message';
import { teamsMessage, webhookPayload } from '../../../../functions/escalation/channels/teams-message';
import {
  emailBody,
  emailSubject,
  SMS_MAX,
  SMS_UCS2_MAX,
  smsText,
} from '../../../../functions/escalation/channels/text-messages';
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

// Strings anyone with PutMetricAlarm, SetAlarmState or sns:Publish on the ingress topic can put in an alarm.
const MENTIONS = '<!channel> <!here>';
const FAKE_BUTTON = '<https://evil.example|Acknowledge>';
const MARKDOWN_LINK = '[Runbook](https://evil.example/rb)';

const hostile: Incident = {
  id: 'shop-check-x-20260302T103000Z-1a2b3c4d5e',
  alarm: {
    alarmName: `shop-${MENTIONS}`,
    state: 'ALARM',
    reason: `${MENTIONS} ${FAKE_BUTTON} & **now**\nAcknowledge: https://evil.example/ack`,
    stateChangedAt: '2026-03-02T10:30:00.000Z',
    region: 'eu-west-1',
    source: 'sns',
  },
  severity: 'critical',
  team: 'ops',
  policy: 'critical',
  summary: `Pay now ${MARKDOWN_LINK} ${FAKE_BUTTON}`,
  tags: {},
  startedAt: Date.parse('2026-03-02T10:30:05Z'),
};

const hostileMessage = (kind: AlertMessage['kind'], extra: Partial<AlertMessage> = {}): AlertMessage => ({
  kind,
  incident: hostile,
  level: 1,
  alarmUrl: alarmConsoleUrl(hostile.alarm.alarmName, hostile.alarm.region),
  ...(kind === 'trigger' ? { ackUrl: 'https://ack.example/?incident=x&sig=y' } : {}),
  ...(kind === 'acknowledge' ? { ackedBy: '<@U123> & <!subteam^S1>' } : {}),
  at: Date.parse('2026-03-02T10:30:06Z'),
  ...extra,
});

type SlackPayload = {
  text: string;
  attachments: { blocks: { type: string; text?: { text: string }; fields?: { text: string }[] }[] }[];
};
type TeamsPayload = {
  attachments: {
    content: {
      body: { type: string; inlines: { type: string; text: string }[] }[];
      actions?: { title: string; url: string }[];
    };
  }[];
};

const teamsLines = (payload: Record<string, unknown>) =>
  (payload as TeamsPayload).attachments[0]?.content.body.map((block) =>
    block.inlines.map((inline) => inline.text).join(''),
  );

describe('channel messages with hostile alarm text', () => {
  it('escapes mentions and links in every Slack text Slack parses, and marks them verbatim', () => {
    // Act
    const payload = slackMessage(hostileMessage('trigger')) as SlackPayload;
    const ack = slackMessage(hostileMessage('acknowledge')) as SlackPayload;
    // Assess
    const blocks = payload.attachments[0]?.blocks ?? [];
    expect(payload.text).toBe(
      '[CRITICAL] shop-&lt;!channel&gt; &lt;!here&gt;: Pay now [Runbook](https://evil.example/rb) &lt;https://evil.example|Acknowledge&gt;',
    );
    expect(blocks[0]?.text?.text).toBe(
      '[CRITICAL] shop-<!channel> <!here>: Pay now [Runbook](https://evil.example/rb) <https://evil.example|Acknowledge>',
    );
    expect(blocks[0]?.text).toMatchObject({ type: 'plain_text' });
    expect(blocks[1]?.fields?.[3]).toEqual({
      type: 'mrkdwn',
      verbatim: true,
      text: `*Alarm*\n<${alarmConsoleUrl(hostile.alarm.alarmName, 'eu-west-1')}|shop-&lt;!channel&gt; &lt;!here&gt;>`,
    });
    expect(blocks[2]?.text).toEqual({
      type: 'mrkdwn',
      verbatim: true,
      text: '&lt;!channel&gt; &lt;!here&gt; &lt;https://evil.example|Acknowledge&gt; &amp; **now**\nAcknowledge: https://evil.example/ack',
    });
    expect(ack.attachments[0]?.blocks[2]?.text?.text).toBe(
      'Acknowledged by *&lt;@U123&gt; &amp; &lt;!subteam^S1&gt;*',
    );
    for (const text of [JSON.stringify(payload), JSON.stringify(ack)].map((json) =>
      json.replace(/"plain_text","text":"[^"]*"/g, ''),
    )) {
      expect(text).not.toMatch(/<!|<@|<https:\/\/evil/);
    }
  });

  it('puts alarm text on a Teams card only in TextRuns, which Adaptive Cards never render as Markdown', () => {
    // Act
    const payload = teamsMessage(hostileMessage('trigger'));
    // Assess
    const card = (payload as TeamsPayload).attachments[0]?.content;
    expect(card?.body.map((block) => block.type)).toEqual(Array(7).fill('RichTextBlock'));
    expect(JSON.stringify(card)).not.toMatch(/"TextBlock"|"FactSet"/);
    expect(teamsLines(payload)).toEqual([
      `[CRITICAL] shop-${MENTIONS}: Pay now ${MARKDOWN_LINK} ${FAKE_BUTTON}`,
      'Status: ALARM',
      'Severity: critical',
      'Team: ops',
      `Alarm: shop-${MENTIONS}`,
      `Reason: ${MENTIONS} ${FAKE_BUTTON} & **now**\nAcknowledge: https://evil.example/ack`,
      `Vigil · level 1 · incident ${hostile.id}`,
    ]);
    expect(card?.actions).toEqual([
      { type: 'Action.OpenUrl', title: 'Acknowledge', url: 'https://ack.example/?incident=x&sig=y' },
      {
        type: 'Action.OpenUrl',
        title: 'Alarm',
        url: alarmConsoleUrl(hostile.alarm.alarmName, 'eu-west-1'),
      },
    ]);
  });

  it('sends PagerDuty a one-line summary of at most 1,024 characters and no link from alarm text', () => {
    // Prepare
    const long = { ...hostile, summary: `${'x'.repeat(1020)}😀😀` };
    // Act
    const event = pagerDutyEvent(hostileMessage('trigger'), 'KEY') as {
      payload: { summary: string; custom_details: { reason: string } };
      links: { href: string; text: string }[];
    };
    const clipped = pagerDutyEvent(hostileMessage('trigger', { incident: long }), 'KEY') as {
      payload: { summary: string };
    };
    // Assess
    expect(event.payload.summary).toBe(`shop-${MENTIONS}: Pay now ${MARKDOWN_LINK} ${FAKE_BUTTON}`);
    expect(event.payload.custom_details.reason).toBe(hostile.alarm.reason);
    expect(event.links.map((link) => link.text)).toEqual(['Acknowledge in Vigil', 'CloudWatch alarm']);
    const prefix = `shop-${MENTIONS}: `;
    expect(clipped.payload.summary).toBe(`${prefix}${'x'.repeat(1024 - prefix.length - 1)}…`);
    expect(clipped.payload.summary.length).toBe(1024);
  });

  it('keeps each alarm value on its own email line, so a reason cannot forge an Acknowledge link', () => {
    // Act
    const body = emailBody(hostileMessage('trigger'));
    const subject = emailSubject(
      hostileMessage('trigger', {
        incident: { ...hostile, alarm: { ...hostile.alarm, alarmName: 'Zürich\r\nBcc: x 😀' } },
      }),
    );
    // Assess
    expect(body.split('\n').filter((line) => line.startsWith('Acknowledge:'))).toEqual([
      'Acknowledge: https://ack.example/?incident=x&sig=y',
    ]);
    expect(body).toContain(
      `Reason:   ${MENTIONS} ${FAKE_BUTTON} & **now**\n          Acknowledge: https://evil.example/ack`,
    );
    expect(subject).toBe('[CRITICAL] Zurich Bcc: x ? ALARM (ops)');
  });

  it('fits an SMS in one segment: 160 GSM-7 characters, or 70 when a character needs UCS-2', () => {
    // Prepare
    const gsm = { ...hostile, alarm: { ...hostile.alarm, alarmName: 'shop' }, summary: 'y'.repeat(300) };
    const emoji = { ...gsm, summary: `${'😀'.repeat(40)}` };
    // Act
    const plain = smsText(hostileMessage('trigger', { incident: gsm }));
    const wide = smsText(hostileMessage('trigger', { incident: emoji }));
    // Assess
    const head = 'CRITICAL shop ALARM ops since 10:30Z: ';
    expect(plain).toBe(`${head}${'y'.repeat(SMS_MAX - head.length - 3)}...`);
    expect(plain.length).toBe(SMS_MAX);
    expect(wide.length).toBeLessThanOrEqual(SMS_UCS2_MAX);
    expect(wide).toBe(`CRITICAL shop ALARM ops since 10:30Z: ${'😀'.repeat(15)}…`);
  });

  it('never cuts a surrogate pair when clipping', () => {
    // Act / Assess
    expect(clip('ab😀cd', 4)).toBe('ab…');
    expect(clip('ab😀cd', 5)).toBe('ab😀…');
    expect(clip('\uD83Dabc', 10)).toBe('\uFFFDabc');
    expect(slackText('<<<<', 12)).toBe('&lt;&lt;…');
    expect(slackText('a😀b', 3)).toBe('a…');
  });
});

describe('field bounds', () => {
  it('keeps every Slack text object, PagerDuty summary, SMS and subject within its limit for a maximal alarm', () => {
    // Prepare: every field at CloudWatch's maximum, in the characters that grow most when escaped or encoded.
    const huge: Incident = {
      ...hostile,
      alarm: {
        ...hostile.alarm,
        alarmName: '&€'.repeat(128).slice(0, 255),
        reason: '<'.repeat(1023),
      },
      team: '&'.repeat(200),
      summary: '>'.repeat(5000),
      enrichment: {
        traces: Array.from({ length: 5 }, (_, index) => ({
          id: `&${index}`.repeat(100),
          url: `https://console.example/${'t'.repeat(1900)}${index}`,
        })),
      },
    };
    const message = hostileMessage('trigger', { incident: huge });
    // Act
    const slack = slackMessage(message) as SlackPayload & {
      attachments: { blocks: { elements?: { text: string }[] }[] }[];
    };
    const pagerDuty = pagerDutyEvent(message, 'KEY') as { payload: { summary: string } };
    // Assess
    const blocks = slack.attachments[0]?.blocks ?? [];
    const header = blocks.find((block) => block.type === 'header')?.text?.text ?? '';
    const fields = blocks.flatMap((block) => block.fields ?? []).map((field) => field.text);
    const sections = blocks.flatMap((block) =>
      block.type === 'section' && block.text !== undefined ? [block.text.text] : [],
    );
    expect(header.length).toBeLessThanOrEqual(150);
    expect(Math.max(...fields.map((text) => text.length))).toBeLessThanOrEqual(2000);
    expect(sections).toHaveLength(2);
    expect(Math.max(...sections.map((text) => text.length))).toBeLessThanOrEqual(3000);
    expect(slack.text.length).toBeLessThanOrEqual(300);
    expect(pagerDuty.payload.summary.length).toBe(1024);
    expect(smsText(message).length).toBeLessThanOrEqual(SMS_UCS2_MAX);
    expect(emailSubject(message)).toMatch(/^[\x20-\x7e]{1,99}$/);
  });
});

describe('console links', () => {
  it('builds no Alarm link from a region that is not an AWS region', () => {
    // Prepare
    const offSite = { ...hostile, alarm: { ...hostile.alarm, region: 'evil.example.com#' } };
    const message: AlertMessage = {
      ...hostileMessage('trigger', { incident: offSite }),
      alarmUrl: alarmConsoleUrl(offSite.alarm.alarmName, offSite.alarm.region),
    };
    // Act
    const slack = slackMessage(message) as SlackPayload;
    const teams = teamsMessage(message) as TeamsPayload;
    const pagerDuty = pagerDutyEvent(message, 'KEY') as { links: { text: string }[] };
    // Assess
    expect(message.alarmUrl).toBeUndefined();
    const links = JSON.stringify(slack).match(/"url":"[^"]*"/g) ?? [];
    expect(links).toEqual(['"url":"https://ack.example/?incident=x&sig=y"']);
    expect(slack.attachments[0]?.blocks[1]?.fields?.[3]?.text).toBe(
      '*Alarm*\nshop-&lt;!channel&gt; &lt;!here&gt;',
    );
    expect(teams.attachments[0]?.content.actions?.map((action) => action.title)).toEqual(['Acknowledge']);
    expect(pagerDuty.links.map((link) => link.text)).toEqual(['Acknowledge in Vigil']);
  });

  it('links each partition’s own console host', () => {
    // Act / Assess
    expect(alarmConsoleUrl('a b', 'eu-west-1')).toBe(
      'https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#alarmsV2:alarm/a%20b',
    );
    expect(alarmConsoleUrl('a', 'cn-north-1')).toMatch(/^https:\/\/cn-north-1\.console\.amazonaws\.cn\//);
    expect(alarmConsoleUrl('a', 'us-gov-west-1')).toMatch(
      /^https:\/\/us-gov-west-1\.console\.amazonaws-us-gov\.com\//,
    );
    expect(alarmConsoleUrl('a', 'eu-west-1.evil.example')).toBeUndefined();
  });
});

describe('messages tell the current truth', () => {
  it('shows the reason of a resolved or acknowledged card as why it fired, and no level on follow-ups', () => {
    // Act
    const resolved = teamsLines(teamsMessage(hostileMessage('resolve')));
    const acked = slackMessage(hostileMessage('acknowledge')) as SlackPayload;
    const resolvedSlack = slackMessage(hostileMessage('resolve')) as SlackPayload;
    const webhook = webhookPayload(hostileMessage('resolve'));
    const email = emailBody(hostileMessage('resolve'));
    // Assess
    expect(resolved?.[0]).toBe(`[RESOLVED] shop-${MENTIONS}, was: Pay now ${MARKDOWN_LINK} ${FAKE_BUTTON}`);
    expect(resolved?.[5]).toMatch(/^Alarmed because: /);
    expect(resolved?.some((line) => line.startsWith('Reason:'))).toBe(false);
    expect(resolved?.[6]).toBe(`Vigil · incident ${hostile.id}`);
    const footer = (payload: SlackPayload) =>
      JSON.stringify(payload.attachments[0]?.blocks.find((block) => block.type === 'context'));
    expect(footer(acked)).toContain(`Vigil · incident ${hostile.id}`);
    expect(`${footer(acked)}${footer(resolvedSlack)}${email}`).not.toMatch(/level/);
    expect(JSON.stringify(resolvedSlack)).not.toContain('evil.example/ack');
    expect(webhook).toMatchObject({ level: null, fallbackFor: null });
    expect(email).toContain(`Alarmed because:\n          ${MENTIONS}`);
    expect(email).not.toContain('Reason:');
  });

  it('says which channel a fallback delivery stands in for', () => {
    // Act
    const message = hostileMessage('trigger', { fallbackFor: 'pager' });
    const slack = JSON.stringify(slackMessage(message));
    const teams = teamsLines(teamsMessage(message));
    const sms = smsText({
      ...message,
      incident: { ...hostile, alarm: { ...hostile.alarm, alarmName: 'shop' } },
    });
    // Assess
    expect(slack).toContain(`Vigil · level 1 · incident ${hostile.id} · fallback for pager`);
    expect(teams?.at(-1)).toBe(`Vigil · level 1 · incident ${hostile.id} · fallback for pager`);
    expect(sms).toMatch(/^CRITICAL shop ALARM ops since 10:30Z \(for pager\): Pay now/);
    expect(emailBody(message)).toContain('fallback for pager');
    expect(webhookPayload(message)).toMatchObject({ level: 1, fallbackFor: 'pager' });
    expect(pagerDutyEvent(message, 'KEY')).toMatchObject({
      payload: { custom_details: { fallback_for: 'pager' } },
    });
  });
});
