import { type AlertMessage, footerOf, reasonLabel, statusText, titleOf } from './alert-message';
import { clip, FIELD_MAX, keepLines, oneLine, webLink } from './message-text';

/** Longest SMS Vigil sends when every character is in the GSM-7 alphabet: one 160-character segment. */
export const SMS_MAX = 160;

/** Longest SMS Vigil sends when a character is outside GSM-7 (sent as UCS-2): one 70-unit segment. */
export const SMS_UCS2_MAX = 70;

/** SNS email subjects: ASCII, no line breaks or control characters, under 100 characters. */
export const EMAIL_SUBJECT_MAX = 99;

// The GSM 03.38 default alphabet, and its extension table (each extension character takes two septets).
const GSM7 = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const GSM7_EXTENDED = new Set('^{}\\[~]|€');

/** Septets a text takes in GSM-7, or `undefined` when a character is outside GSM-7. */
const gsm7Length = (text: string): number | undefined => {
  let septets = 0;
  for (const char of text) {
    if (GSM7.has(char)) septets += 1;
    else if (GSM7_EXTENDED.has(char)) septets += 2;
    else return undefined;
  }
  return septets;
};

/**
 * Cuts an SMS to one segment: 160 septets when it is all GSM-7, else 70 UTF-16 units (a non-GSM character such
 * as `ü` in a name or an emoji switches the whole message to UCS-2), never cutting a surrogate pair.
 */
export const oneSegment = (text: string): string => {
  const gsm = gsm7Length(text);
  if (gsm !== undefined) {
    if (gsm <= SMS_MAX) return text;
    let out = '';
    let septets = 0;
    for (const char of text) {
      const size = GSM7_EXTENDED.has(char) ? 2 : 1;
      // '...' keeps the message GSM-7 ('…' is not in the alphabet).
      if (septets + size > SMS_MAX - 3) break;
      out += char;
      septets += size;
    }
    return `${out}...`;
  }
  return clip(text, SMS_UCS2_MAX);
};

/** Text as SNS takes it in a subject: one line of printable ASCII (accents dropped, anything else `?`). */
const ascii = (text: string): string =>
  oneLine(text)
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\x20-\x7e]/gu, '?');

/**
 * An email subject a phone can triage in the notification preview: severity, rule, alarm, status, team,
 * printable ASCII on one line and under 100 characters — SNS rejects any other subject, which would lose the
 * page.
 *
 * @example
 * // '[CRITICAL] ServiceDown shop-check-health_live ALARM (platform)'
 */
export const emailSubject = (message: AlertMessage): string => {
  const { incident } = message;
  const tag = message.kind === 'trigger' ? incident.severity.toUpperCase() : statusText(message.kind);
  const rule = incident.rule !== undefined ? `${ascii(clip(incident.rule, 40, '...'))} ` : '';
  const tail = ` ${message.kind === 'trigger' ? 'ALARM ' : ''}(${ascii(clip(incident.team, 30, '...'))})`;
  const head = `[${tag}] ${rule}`;
  const room = Math.max(10, EMAIL_SUBJECT_MAX - head.length - tail.length);
  return clip(
    `${head}${clip(ascii(incident.alarm.alarmName), room, '...')}${tail}`,
    EMAIL_SUBJECT_MAX,
    '...',
  );
};

/**
 * The plain-text email body: what, why, where to look, how to acknowledge. Every alarm value is kept on its
 * own line (a line break in a reason cannot forge an `Acknowledge:` line) and bounded.
 */
export const emailBody = (message: AlertMessage): string => {
  const { incident } = message;
  const value = (text: string, max: number) => oneLine(clip(text, max));
  const link = (label: string, url: string | undefined) => {
    const safe = webLink(url);
    return safe === undefined ? [] : [`${label}${safe}`];
  };
  const reason = keepLines(clip(incident.alarm.reason, FIELD_MAX.reason)).replace(/\n/g, '\n          ');
  const lines = [
    value(titleOf(message), FIELD_MAX.summary),
    '',
    `Status:   ${statusText(message.kind)}${message.ackedBy !== undefined ? ` by ${value(message.ackedBy, FIELD_MAX.label)}` : ''}`,
    `Severity: ${incident.severity}`,
    `Team:     ${value(incident.team, FIELD_MAX.label)}`,
    `Alarm:    ${value(incident.alarm.alarmName, FIELD_MAX.name)}`,
    `Since:    ${value(incident.alarm.stateChangedAt, 40)}`,
    ...(message.kind === 'trigger'
      ? [`Reason:   ${reason}`]
      : [`${reasonLabel(message.kind)}:`, `          ${reason}`]),
    '',
    ...link('Acknowledge: ', message.ackUrl),
    ...link('Runbook:     ', incident.runbookUrl),
    ...link('Alarm:       ', message.alarmUrl),
    ...link('Dashboard:   ', message.dashboardUrl),
    ...link('Graph:       ', incident.enrichment?.graphUrl),
    ...(incident.enrichment?.traces ?? []).flatMap((trace) => link('Trace:       ', trace.url)),
    '',
    oneLine(footerOf(message)),
  ];
  return lines.join('\n');
};

/**
 * An SMS in one segment: severity, rule or alarm, status, team, the time it started (UTC), the channel it
 * stands in for when it is a fallback, and the summary; one line.
 *
 * @example
 * // 'CRITICAL ServiceDown ALARM platform since 09:30Z: Service is down'
 */
export const smsText = (message: AlertMessage): string => {
  const { incident } = message;
  const since = incident.alarm.stateChangedAt.slice(11, 16);
  const name = clip(incident.rule ?? incident.alarm.alarmName, 60);
  const head = `${message.kind === 'trigger' ? incident.severity.toUpperCase() : statusText(message.kind)} ${name}`;
  const team = clip(incident.team, 30);
  const status = message.kind === 'trigger' ? `ALARM ${team} since ${since}Z` : team;
  const fallback = message.fallbackFor !== undefined ? ` (for ${message.fallbackFor})` : '';
  const summary = message.kind === 'resolve' ? `was: ${incident.summary}` : incident.summary;
  return oneSegment(oneLine(`${head} ${status}${fallback}: ${summary}`));
};
