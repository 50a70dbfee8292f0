import type { AlertMessage } from './alert-message';
import { clip, FIELD_MAX, oneLine, webLink } from './message-text';

/** PagerDuty Events API v2 limits: `summary` is at most 1,024 characters. */
const PAGERDUTY_SUMMARY_MAX = 1024;

/**
 * A PagerDuty Events API v2 event. `dedup_key` is the incident id, so trigger, acknowledge and resolve all
 * address the same PagerDuty incident (and a repeated trigger is merged, not duplicated).
 *
 * PagerDuty shows `summary` and the custom details as plain text, so alarm values go in unescaped but bounded
 * (summary one line, at most 1,024 characters); links are only Vigil's ack URL, the configured runbook and
 * dashboard, and a console URL built from a validated region.
 */
export const pagerDutyEvent = (message: AlertMessage, routingKey: string): Record<string, unknown> => {
  const { incident } = message;
  if (message.kind !== 'trigger') {
    return { routing_key: routingKey, event_action: message.kind, dedup_key: incident.id };
  }
  const link = (href: string | undefined, text: string) => {
    const url = webLink(href);
    return url === undefined ? [] : [{ href: url, text }];
  };
  const name = oneLine(clip(incident.rule ?? incident.alarm.alarmName, FIELD_MAX.name));
  const graphUrl = webLink(incident.enrichment?.graphUrl);
  return {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: incident.id,
    payload: {
      summary: clip(oneLine(`${name}: ${incident.summary}`), PAGERDUTY_SUMMARY_MAX),
      source: oneLine(clip(incident.alarm.alarmName, FIELD_MAX.name)),
      severity: incident.severity,
      timestamp: incident.alarm.stateChangedAt,
      component: name,
      group: oneLine(clip(incident.team, FIELD_MAX.label)),
      class: incident.severity,
      custom_details: {
        reason: clip(incident.alarm.reason, FIELD_MAX.reason),
        region: incident.alarm.region,
        ...(incident.alarm.threshold !== undefined ? { threshold: incident.alarm.threshold } : {}),
        level: message.level,
        incident: incident.id,
        ...(message.fallbackFor !== undefined ? { fallback_for: message.fallbackFor } : {}),
      },
    },
    links: [
      ...link(message.ackUrl, 'Acknowledge in Vigil'),
      ...link(incident.runbookUrl, 'Runbook'),
      ...link(message.alarmUrl, 'CloudWatch alarm'),
      ...link(message.dashboardUrl, 'Dashboard'),
      ...(incident.enrichment?.traces ?? [])
        .slice(0, 3)
        .flatMap((trace) => link(trace.url, `Trace ${oneLine(clip(trace.id, FIELD_MAX.label))}`)),
    ],
    ...(graphUrl !== undefined ? { images: [{ src: graphUrl, alt: 'alarm metric graph' }] } : {}),
  };
};
