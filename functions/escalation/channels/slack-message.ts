import { type AlertMessage, clip, statusText, titleOf } from './alert-message';

/** Attachment colours per severity / status (Slack's own palette). */
export const SLACK_COLOURS = {
  /** Red. */
  critical: '#E01E5A',
  /** Amber. */
  warning: '#ECB22E',
  /** Blue. */
  info: '#36C5F0',
  /** Green: resolved. */
  resolved: '#2EB67D',
  /** Grey: acknowledged. */
  acknowledged: '#9E9EA6',
} as const;

/**
 * A Slack incoming-webhook payload: Block Kit inside a coloured attachment (severity colour, status, fields,
 * Acknowledge / Runbook / Alarm buttons, traces and graph when enrichment found them).
 */
export const slackMessage = (message: AlertMessage): Record<string, unknown> => {
  const { incident } = message;
  const colour =
    message.kind === 'resolve'
      ? SLACK_COLOURS.resolved
      : message.kind === 'acknowledge'
        ? SLACK_COLOURS.acknowledged
        : SLACK_COLOURS[incident.severity];
  const title = titleOf(message);
  const blocks: Record<string, unknown>[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(title, 150) } },
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Status*\n${statusText(message.kind)}` },
        { type: 'mrkdwn', text: `*Severity*\n${incident.severity}` },
        { type: 'mrkdwn', text: `*Team*\n${incident.team}` },
        { type: 'mrkdwn', text: `*Alarm*\n<${message.alarmUrl}|${clip(incident.alarm.alarmName, 80)}>` },
      ],
    },
  ];
  if (message.kind === 'trigger' && incident.alarm.reason !== '') {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(incident.alarm.reason, 2900) } });
  }
  if (message.kind === 'acknowledge' && message.ackedBy !== undefined) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `Acknowledged by *${message.ackedBy}*` } });
  }
  const traces = incident.enrichment?.traces ?? [];
  if (message.kind === 'trigger' && traces.length > 0) {
    const lines = traces.slice(0, 5).map((trace) => `• <${trace.url}|${trace.id}>`);
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: `*Recent failed traces*\n${lines.join('\n')}` },
    });
  }
  if (message.kind === 'trigger' && incident.enrichment?.graphUrl !== undefined) {
    blocks.push({ type: 'image', image_url: incident.enrichment.graphUrl, alt_text: 'alarm metric graph' });
  }
  const buttons: Record<string, unknown>[] = [];
  if (message.ackUrl !== undefined) {
    buttons.push({
      type: 'button',
      style: 'danger',
      text: { type: 'plain_text', text: 'Acknowledge' },
      url: message.ackUrl,
    });
  }
  if (incident.runbookUrl !== undefined) {
    buttons.push({ type: 'button', text: { type: 'plain_text', text: 'Runbook' }, url: incident.runbookUrl });
  }
  buttons.push({ type: 'button', text: { type: 'plain_text', text: 'Alarm' }, url: message.alarmUrl });
  if (message.dashboardUrl !== undefined) {
    buttons.push({
      type: 'button',
      text: { type: 'plain_text', text: 'Dashboard' },
      url: message.dashboardUrl,
    });
  }
  blocks.push({ type: 'actions', elements: buttons });
  blocks.push({
    type: 'context',
    elements: [{ type: 'mrkdwn', text: `Vigil · level ${message.level} · incident ${incident.id}` }],
  });
  return { text: title, attachments: [{ color: colour, blocks }] };
};
