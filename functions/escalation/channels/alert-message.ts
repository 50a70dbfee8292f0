import type { Incident, NotificationKind } from '../types/incident';

/** Everything a channel formatter needs, channel-independent. */
export interface AlertMessage {
  readonly kind: NotificationKind;
  readonly incident: Incident;
  /** 1-based level. */
  readonly level: number;
  readonly alarmUrl: string;
  readonly dashboardUrl?: string;
  /** Signed acknowledge link for this channel (triggers only). */
  readonly ackUrl?: string;
  readonly ackedBy?: string;
  /** Epoch ms the message is sent. */
  readonly at: number;
}

/** CloudWatch console link of an alarm. */
export const alarmConsoleUrl = (alarmName: string, region: string): string =>
  `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#alarmsV2:alarm/${encodeURIComponent(alarmName)}`;

/** `ALARM`, `ACKNOWLEDGED` or `RESOLVED`. */
export const statusText = (kind: NotificationKind): string =>
  kind === 'trigger' ? 'ALARM' : kind === 'acknowledge' ? 'ACKNOWLEDGED' : 'RESOLVED';

/** A one-line title: `[CRITICAL] ServiceDown: Service is down`. */
export const titleOf = (message: AlertMessage): string => {
  const { incident } = message;
  const name = incident.rule ?? incident.alarm.alarmName;
  const prefix =
    message.kind === 'trigger' ? `[${incident.severity.toUpperCase()}]` : `[${statusText(message.kind)}]`;
  return `${prefix} ${name}: ${incident.summary}`;
};

/** Trims text to `max` characters with an ellipsis. */
export const clip = (text: string, max: number): string =>
  text.length <= max ? text : `${text.slice(0, max - 1)}…`;
