import { type AlertMessage, footerOf, statusText, titleOf } from './alert-message';
import { clip, FIELD_MAX, keepLines, oneLine, slackText, webLink } from './message-text';

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

/** Slack's limits, in characters: header text 150, a section field 2,000, section text 3,000. */
const SLACK_MAX = { header: 150, field: 2000, section: 3000, notification: 300 } as const;

/**
 * A mrkdwn text object for text that carries alarm data: escaped by the caller, and `verbatim` so Slack does
 * not turn bare URLs, `#channel` or `@here` in it into links or mentions.
 */
const mrkdwn = (text: string) => ({ type: 'mrkdwn', text, verbatim: true });

/** A one-line alarm value in mrkdwn: no line breaks, escaped, bounded. */
const inline = (text: string, max: number) => slackText(oneLine(text), max);

/**
 * A Slack incoming-webhook payload: Block Kit inside a coloured attachment (severity colour, status, fields,
 * Acknowledge / Runbook / Alarm buttons, traces and graph when enrichment found them).
 *
 * Every value from the alarm is inert: mrkdwn text is escaped (`&`, `<`, `>`) and marked `verbatim`, so
 * `<!channel>` or `<https://evil.example|Acknowledge>` in a state reason shows as text; `plain_text`
 * (header, buttons) is never parsed by Slack; every value is bounded to its field's limit; buttons link only
 * to Vigil's ack URL, the configured runbook and dashboard, and a console URL built from a validated region.
 */
export const slackMessage = (message: AlertMessage): Record<string, unknown> => {
  const { incident } = message;
  const colour =
    message.kind === 'resolve'
      ? SLACK_COLOURS.resolved
      : message.kind === 'acknowledge'
        ? SLACK_COLOURS.acknowledged
        : SLACK_COLOURS[incident.severity];
  const title = oneLine(titleOf(message));
  const alarmUrl = webLink(message.alarmUrl);
  const alarmLabel = '*Alarm*\n';
  const rawName = clip(incident.alarm.alarmName, FIELD_MAX.name);
  // The field holds the link and the escaped name within Slack's 2,000: a name that leaves no room for its
  // link is shown without it.
  const linkRoom = alarmUrl === undefined ? 0 : SLACK_MAX.field - alarmLabel.length - `<${alarmUrl}|>`.length;
  const alarmField =
    alarmUrl !== undefined && linkRoom >= inline(rawName, SLACK_MAX.field).length
      ? `${alarmLabel}<${alarmUrl}|${inline(rawName, linkRoom)}>`
      : `${alarmLabel}${inline(rawName, SLACK_MAX.field - alarmLabel.length)}`;
  const blocks: Record<string, unknown>[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(title, SLACK_MAX.header), emoji: false } },
    {
      type: 'section',
      fields: [
        mrkdwn(`*Status*\n${statusText(message.kind)}`),
        mrkdwn(`*Severity*\n${incident.severity}`),
        mrkdwn(`*Team*\n${inline(incident.team, FIELD_MAX.label)}`),
        mrkdwn(alarmField),
      ],
    },
  ];
  if (message.kind === 'trigger' && incident.alarm.reason !== '') {
    blocks.push({
      type: 'section',
      text: mrkdwn(slackText(keepLines(clip(incident.alarm.reason, FIELD_MAX.reason)), SLACK_MAX.section)),
    });
  }
  if (message.kind === 'acknowledge' && message.ackedBy !== undefined) {
    blocks.push({
      type: 'section',
      text: mrkdwn(`Acknowledged by *${inline(message.ackedBy, FIELD_MAX.label)}*`),
    });
  }
  const traces = incident.enrichment?.traces ?? [];
  if (message.kind === 'trigger' && traces.length > 0) {
    let text = '*Recent failed traces*';
    for (const trace of traces.slice(0, 5)) {
      const url = webLink(trace.url);
      const id = inline(trace.id, FIELD_MAX.label);
      const line = `\n• ${url !== undefined ? `<${url}|${id}>` : id}`;
      if (text.length + line.length > SLACK_MAX.section) break;
      text += line;
    }
    blocks.push({ type: 'section', text: mrkdwn(text) });
  }
  const graphUrl = webLink(incident.enrichment?.graphUrl);
  if (message.kind === 'trigger' && graphUrl !== undefined) {
    blocks.push({ type: 'image', image_url: graphUrl, alt_text: 'alarm metric graph' });
  }
  const button = (text: string, url: string | undefined, style?: 'danger') =>
    url === undefined
      ? []
      : [
          {
            type: 'button',
            ...(style !== undefined ? { style } : {}),
            text: { type: 'plain_text', text },
            url,
          },
        ];
  const buttons = [
    ...button('Acknowledge', webLink(message.ackUrl), 'danger'),
    ...button('Runbook', webLink(incident.runbookUrl)),
    ...button('Alarm', alarmUrl),
    ...button('Dashboard', webLink(message.dashboardUrl)),
  ];
  if (buttons.length > 0) blocks.push({ type: 'actions', elements: buttons });
  blocks.push({ type: 'context', elements: [mrkdwn(inline(footerOf(message), SLACK_MAX.section))] });
  // The top-level text is the notification preview, parsed as mrkdwn by Slack: escaped like the rest.
  return {
    text: inline(title, SLACK_MAX.notification),
    attachments: [{ color: colour, blocks }],
    unfurl_links: false,
    unfurl_media: false,
  };
};
