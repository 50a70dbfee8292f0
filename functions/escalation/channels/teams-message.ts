import { type AlertMessage, footerOf, reasonLabel, statusText, titleOf } from './alert-message';
import { clip, FIELD_MAX, keepLines, oneLine, webLink } from './message-text';

/** Longest title on a Teams card. */
const TEAMS_TITLE_MAX = 250;

/**
 * A run of text in a `RichTextBlock`. Adaptive Cards render Markdown in `TextBlock` and `FactSet` values but
 * never in a `TextRun`, so alarm text placed here shows as written: a `[Runbook](https://evil.example)` or
 * `**bold**` in a description is text, not a link or formatting.
 */
const run = (text: string, style: Record<string, unknown> = {}) => ({ type: 'TextRun', text, ...style });

/** One labelled line (`Status: ALARM`) as a rich text block: the label bold, the value a plain run. */
const line = (label: string, value: string) => ({
  type: 'RichTextBlock',
  inlines: [run(`${label}: `, { weight: 'Bolder' }), run(value)],
});

/**
 * A Microsoft Teams (Workflows webhook) message carrying an Adaptive Card with Acknowledge / Runbook / Alarm
 * actions. Alarm values travel only in `TextRun`s (never Markdown-rendered), bounded; action URLs are Vigil's
 * ack link, the configured runbook and a console URL built from a validated region.
 */
export const teamsMessage = (message: AlertMessage): Record<string, unknown> => {
  const { incident } = message;
  const colour =
    message.kind === 'resolve' ? 'Good' : incident.severity === 'critical' ? 'Attention' : 'Warning';
  const action = (title: string, url: string | undefined) =>
    url === undefined ? [] : [{ type: 'Action.OpenUrl', title, url }];
  const actions = [
    ...action('Acknowledge', webLink(message.ackUrl)),
    ...action('Runbook', webLink(incident.runbookUrl)),
    ...action('Alarm', webLink(message.alarmUrl)),
  ];
  const status = `${statusText(message.kind)}${message.ackedBy !== undefined ? ` by ${oneLine(clip(message.ackedBy, FIELD_MAX.label))}` : ''}`;
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            {
              type: 'RichTextBlock',
              inlines: [
                run(clip(oneLine(titleOf(message)), TEAMS_TITLE_MAX), {
                  size: 'Large',
                  weight: 'Bolder',
                  color: colour,
                }),
              ],
            },
            line('Status', status),
            line('Severity', incident.severity),
            line('Team', oneLine(clip(incident.team, FIELD_MAX.label))),
            line('Alarm', oneLine(clip(incident.alarm.alarmName, FIELD_MAX.name))),
            ...(incident.alarm.reason !== ''
              ? [line(reasonLabel(message.kind), keepLines(clip(incident.alarm.reason, FIELD_MAX.reason)))]
              : []),
            {
              type: 'RichTextBlock',
              inlines: [run(oneLine(footerOf(message)), { isSubtle: true, size: 'Small' })],
            },
          ],
          ...(actions.length > 0 ? { actions } : {}),
        },
      },
    ],
  };
};

/**
 * The generic webhook body: a stable, versioned JSON document. Values are raw (JSON carries them safely) but
 * bounded; a receiver that renders them into HTML or chat markup must escape them itself. `level` is `null`
 * on follow-ups (they belong to no level), `fallbackFor` names the channel a fallback delivery stands in for.
 */
export const webhookPayload = (message: AlertMessage): Record<string, unknown> => {
  const { incident } = message;
  const { alarm } = incident;
  return {
    version: 1,
    kind: message.kind,
    status: statusText(message.kind),
    title: clip(titleOf(message), FIELD_MAX.summary),
    level: message.kind === 'trigger' ? message.level : null,
    fallbackFor: message.fallbackFor ?? null,
    incident: {
      id: incident.id,
      severity: incident.severity,
      team: clip(incident.team, FIELD_MAX.label),
      rule: incident.rule ?? null,
      summary: clip(incident.summary, FIELD_MAX.summary),
      alarm: {
        ...alarm,
        alarmName: clip(alarm.alarmName, FIELD_MAX.name),
        reason: clip(alarm.reason, FIELD_MAX.reason),
        ...(alarm.description !== undefined
          ? { description: clip(alarm.description, FIELD_MAX.summary) }
          : {}),
      },
      startedAt: new Date(incident.startedAt).toISOString(),
      enrichment: incident.enrichment ?? null,
    },
    links: {
      ack: webLink(message.ackUrl) ?? null,
      runbook: webLink(incident.runbookUrl) ?? null,
      alarm: webLink(message.alarmUrl) ?? null,
      dashboard: webLink(message.dashboardUrl) ?? null,
    },
    ackedBy: message.ackedBy !== undefined ? clip(message.ackedBy, FIELD_MAX.label) : null,
    sentAt: new Date(message.at).toISOString(),
  };
};
