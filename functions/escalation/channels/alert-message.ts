import { consoleOrigin } from '../../commons/aws-identifiers';
import type { Incident, NotificationKind } from '../types/incident';

/** Everything a channel formatter needs, channel-independent. */
export interface AlertMessage {
  readonly kind: NotificationKind;
  readonly incident: Incident;
  /** 1-based level of a trigger (follow-ups belong to no level and never show it). */
  readonly level: number;
  /** CloudWatch console link of the alarm; absent when the alarm's region is not a valid region. */
  readonly alarmUrl?: string;
  readonly dashboardUrl?: string;
  /** Signed acknowledge link for this channel (triggers only). */
  readonly ackUrl?: string;
  readonly ackedBy?: string;
  /** The channel this delivery stands in for, when it is a fallback. */
  readonly fallbackFor?: string;
  /** Epoch ms the message is sent. */
  readonly at: number;
}

/**
 * CloudWatch console link of an alarm, built only from a validated region (see {@link consoleOrigin});
 * `undefined` when the region is not one, so a crafted alarm ARN cannot point the Alarm button elsewhere.
 *
 * @example
 * alarmConsoleUrl('shop-check-login', 'eu-west-1');
 * // 'https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#alarmsV2:alarm/shop-check-login'
 */
export const alarmConsoleUrl = (alarmName: string, region: string): string | undefined => {
  const origin = consoleOrigin(region);
  return origin === undefined
    ? undefined
    : `${origin}/cloudwatch/home?region=${region}#alarmsV2:alarm/${encodeURIComponent(alarmName)}`;
};

/** `ALARM`, `ACKNOWLEDGED` or `RESOLVED`. */
export const statusText = (kind: NotificationKind): string =>
  kind === 'trigger' ? 'ALARM' : kind === 'acknowledge' ? 'ACKNOWLEDGED' : 'RESOLVED';

/**
 * How a message labels the alarm's state reason: on a trigger it is the current reason; on an acknowledgement
 * or a resolve it is what made the alarm fire, not what is true now.
 */
export const reasonLabel = (kind: NotificationKind): string =>
  kind === 'trigger' ? 'Reason' : 'Alarmed because';

/**
 * A one-line title, raw (each channel escapes and bounds it): `[CRITICAL] ServiceDown: Service is down`,
 * `[ACKNOWLEDGED] ServiceDown: Service is down`, `[RESOLVED] ServiceDown, was: Service is down`.
 */
export const titleOf = (message: AlertMessage): string => {
  const { incident } = message;
  const name = incident.rule ?? incident.alarm.alarmName;
  if (message.kind === 'resolve') return `[RESOLVED] ${name}, was: ${incident.summary}`;
  const prefix =
    message.kind === 'trigger' ? `[${incident.severity.toUpperCase()}]` : `[${statusText(message.kind)}]`;
  return `${prefix} ${name}: ${incident.summary}`;
};

/**
 * The footer every channel shows: `Vigil · level 2 · incident <id>` on a trigger, no level on a follow-up,
 * and `· fallback for <channel>` when the delivery stands in for another channel. Raw text.
 */
export const footerOf = (message: AlertMessage): string =>
  [
    'Vigil',
    ...(message.kind === 'trigger' ? [`level ${message.level}`] : []),
    `incident ${message.incident.id}`,
    ...(message.fallbackFor !== undefined ? [`fallback for ${message.fallbackFor}`] : []),
  ].join(' · ');
