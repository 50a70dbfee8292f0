import { type AlertMessage, statusText, titleOf } from './alert-message';

/** A Microsoft Teams (Workflows webhook) message carrying an Adaptive Card with Acknowledge / Runbook / Alarm actions. */
export const teamsMessage = (message: AlertMessage): Record<string, unknown> => {
  const { incident } = message;
  const colour =
    message.kind === 'resolve' ? 'Good' : incident.severity === 'critical' ? 'Attention' : 'Warning';
  const actions = [
    ...(message.ackUrl !== undefined
      ? [{ type: 'Action.OpenUrl', title: 'Acknowledge', url: message.ackUrl }]
      : []),
    ...(incident.runbookUrl !== undefined
      ? [{ type: 'Action.OpenUrl', title: 'Runbook', url: incident.runbookUrl }]
      : []),
    { type: 'Action.OpenUrl', title: 'Alarm', url: message.alarmUrl },
  ];
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
              type: 'TextBlock',
              size: 'Large',
              weight: 'Bolder',
              color: colour,
              wrap: true,
              text: titleOf(message),
            },
            {
              type: 'FactSet',
              facts: [
                {
                  title: 'Status',
                  value: `${statusText(message.kind)}${message.ackedBy ? ` by ${message.ackedBy}` : ''}`,
                },
                { title: 'Severity', value: incident.severity },
                { title: 'Team', value: incident.team },
                { title: 'Alarm', value: incident.alarm.alarmName },
                { title: 'Reason', value: incident.alarm.reason },
              ],
            },
          ],
          actions,
        },
      },
    ],
  };
};

/** The generic webhook body: a stable, versioned JSON document. */
export const webhookPayload = (message: AlertMessage): Record<string, unknown> => ({
  version: 1,
  kind: message.kind,
  status: statusText(message.kind),
  title: titleOf(message),
  level: message.level,
  incident: {
    id: message.incident.id,
    severity: message.incident.severity,
    team: message.incident.team,
    rule: message.incident.rule ?? null,
    summary: message.incident.summary,
    alarm: message.incident.alarm,
    startedAt: new Date(message.incident.startedAt).toISOString(),
    enrichment: message.incident.enrichment ?? null,
  },
  links: {
    ack: message.ackUrl ?? null,
    runbook: message.incident.runbookUrl ?? null,
    alarm: message.alarmUrl,
    dashboard: message.dashboardUrl ?? null,
  },
  ackedBy: message.ackedBy ?? null,
  sentAt: new Date(message.at).toISOString(),
});
