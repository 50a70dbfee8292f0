import { type AlertMessage, clip, statusText, titleOf } from './alert-message';

/** Longest SMS Vigil sends: one GSM-7 segment is 160 characters. */
export const SMS_MAX = 159;

/**
 * An email subject a phone can triage in the notification preview: severity, rule, alarm, status, team,
 * within 100 characters (SNS allows 100).
 *
 * @example
 * // '[CRITICAL] ServiceDown shop-check-health_live ALARM (platform)'
 */
export const emailSubject = (message: AlertMessage): string => {
  const { incident } = message;
  const tag = message.kind === 'trigger' ? incident.severity.toUpperCase() : statusText(message.kind);
  const rule = incident.rule !== undefined ? `${incident.rule} ` : '';
  const tail = ` ${message.kind === 'trigger' ? 'ALARM' : ''} (${incident.team})`.replace('  ', ' ');
  const head = `[${tag}] ${rule}`;
  return clip(
    `${head}${clip(incident.alarm.alarmName, Math.max(10, 100 - head.length - tail.length))}${tail}`,
    100,
  );
};

/** The plain-text email body: what, why, where to look, how to acknowledge. */
export const emailBody = (message: AlertMessage): string => {
  const { incident } = message;
  const lines = [
    titleOf(message),
    '',
    `Status:   ${statusText(message.kind)}${message.ackedBy !== undefined ? ` by ${message.ackedBy}` : ''}`,
    `Severity: ${incident.severity}`,
    `Team:     ${incident.team}`,
    `Alarm:    ${incident.alarm.alarmName}`,
    `Since:    ${incident.alarm.stateChangedAt}`,
    `Reason:   ${incident.alarm.reason}`,
    '',
    ...(message.ackUrl !== undefined ? [`Acknowledge: ${message.ackUrl}`] : []),
    ...(incident.runbookUrl !== undefined ? [`Runbook:     ${incident.runbookUrl}`] : []),
    `Alarm:       ${message.alarmUrl}`,
    ...(message.dashboardUrl !== undefined ? [`Dashboard:   ${message.dashboardUrl}`] : []),
    ...(incident.enrichment?.graphUrl !== undefined ? [`Graph:       ${incident.enrichment.graphUrl}`] : []),
    ...(incident.enrichment?.traces ?? []).map((trace) => `Trace:       ${trace.url}`),
    '',
    `Incident ${incident.id} · level ${message.level} · sent by Vigil`,
  ];
  return lines.join('\n');
};

/**
 * An SMS under 160 characters: severity, rule or alarm, status, team and the time it started (UTC).
 *
 * @example
 * // 'CRITICAL ServiceDown ALARM platform since 09:30Z: Service is down'
 */
export const smsText = (message: AlertMessage): string => {
  const { incident } = message;
  const since = incident.alarm.stateChangedAt.slice(11, 16);
  const head = `${message.kind === 'trigger' ? incident.severity.toUpperCase() : statusText(message.kind)} ${incident.rule ?? incident.alarm.alarmName}`;
  const status = message.kind === 'trigger' ? `ALARM ${incident.team} since ${since}Z` : incident.team;
  return clip(`${head} ${status}: ${incident.summary}`, SMS_MAX);
};
