import type { AlertMessage } from './alert-message';
import { clip } from './alert-message';

/**
 * A PagerDuty Events API v2 event. `dedup_key` is the incident id, so trigger, acknowledge and resolve all
 * address the same PagerDuty incident (and a repeated trigger is merged, not duplicated).
 */
export const pagerDutyEvent = (message: AlertMessage, routingKey: string): Record<string, unknown> => {
  const { incident } = message;
  if (message.kind !== 'trigger') {
    return { routing_key: routingKey, event_action: message.kind, dedup_key: incident.id };
  }
  const links = [
    ...(message.ackUrl !== undefined ? [{ href: message.ackUrl, text: 'Acknowledge in Vigil' }] : []),
    ...(incident.runbookUrl !== undefined ? [{ href: incident.runbookUrl, text: 'Runbook' }] : []),
    { href: message.alarmUrl, text: 'CloudWatch alarm' },
    ...(message.dashboardUrl !== undefined ? [{ href: message.dashboardUrl, text: 'Dashboard' }] : []),
    ...(incident.enrichment?.traces ?? [])
      .slice(0, 3)
      .map((trace) => ({ href: trace.url, text: `Trace ${trace.id}` })),
  ];
  return {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: incident.id,
    payload: {
      summary: clip(`${incident.rule ?? incident.alarm.alarmName}: ${incident.summary}`, 1024),
      source: incident.alarm.alarmName,
      severity: incident.severity,
      timestamp: incident.alarm.stateChangedAt,
      component: incident.rule ?? incident.alarm.alarmName,
      group: incident.team,
      class: incident.severity,
      custom_details: {
        reason: incident.alarm.reason,
        region: incident.alarm.region,
        ...(incident.alarm.threshold !== undefined ? { threshold: incident.alarm.threshold } : {}),
        level: message.level,
        incident: incident.id,
      },
    },
    links,
    ...(incident.enrichment?.graphUrl !== undefined
      ? { images: [{ src: incident.enrichment.graphUrl, alt: 'alarm metric graph' }] }
      : {}),
  };
};
