import type { AckRecord, AuditRecord, Incident } from '../../functions/escalation/types/incident';
import { formatOffset } from '../local/escalation/local-escalation-engine';

const LABELS: Readonly<Record<string, string>> = {
  trigger: 'PAGE ',
  acknowledge: 'ACK  ',
  resolve: 'RESOLVE',
  'alarm-state': 'STATE',
};

/**
 * One console line for an audit record, whatever the channel (console or a real webhook): action, channel,
 * level, result, the channel it stood in for, attempts and detail.
 *
 * @example
 * formatDeliveryLine(record); // 'PAGE  [oncall-slack] L1 delivered (1 attempt): HTTP 200 after 1 attempt'
 */
export const formatDeliveryLine = (record: AuditRecord): string => {
  const label = LABELS[record.kind] ?? record.kind.toUpperCase();
  const level = record.kind === 'trigger' ? ` L${record.level + 1}` : '';
  const fallback = record.fallbackFor !== undefined ? ` as fallback for ${record.fallbackFor}` : '';
  const attempts = `${record.attempts} attempt${record.attempts === 1 ? '' : 's'}`;
  // The notify core starts a fallback's detail with `fallback for <channel>: `, said once here already.
  const detail =
    record.fallbackFor !== undefined
      ? record.detail.replace(`fallback for ${record.fallbackFor}: `, '')
      : record.detail;
  return `${label} [${record.channel}]${level} ${record.outcome}${fallback} (${attempts}): ${detail}`;
};

/** What the store knows of an incident: its acknowledgement and audit trail. */
export interface IncidentRecords {
  readonly incident: Incident;
  readonly ack?: AckRecord;
  readonly audit: readonly AuditRecord[];
}

/** Where an incident stands, as far as its records tell. */
export type IncidentStatus = 'resolved' | 'acked' | 'open';

/** `resolved` once a resolve was delivered, else `acked` once acknowledged, else `open`. */
export const incidentStatus = (records: Omit<IncidentRecords, 'incident'>): IncidentStatus => {
  if (records.audit.some((record) => record.kind === 'resolve' && record.outcome === 'delivered'))
    return 'resolved';
  return records.ack !== undefined ? 'acked' : 'open';
};

/** One incident as `vigil incidents --json` lists it. */
export const incidentSummary = (records: IncidentRecords) => ({
  id: records.incident.id,
  alarmName: records.incident.alarm.alarmName,
  severity: records.incident.severity,
  team: records.incident.team,
  policy: records.incident.policy,
  startedAt: new Date(records.incident.startedAt).toISOString(),
  status: incidentStatus(records),
  ...(records.ack !== undefined ? { ackedBy: records.ack.by } : {}),
  deliveries: records.audit.filter((record) => record.outcome === 'delivered').length,
});

/** The incidents table: newest first, one line each. */
export const formatIncidentTable = (all: readonly IncidentRecords[]): string => {
  const rows = [...all]
    .sort((a, b) => b.incident.startedAt - a.incident.startedAt)
    .map(incidentSummary)
    .map((row) =>
      [
        row.startedAt.slice(0, 19).replace('T', ' '),
        row.severity.padEnd(8),
        row.status.padEnd(8),
        row.team.padEnd(12),
        row.id,
      ].join('  '),
    );
  return [
    ['STARTED (UTC)      ', 'SEVERITY', 'STATUS  ', 'TEAM        ', 'INCIDENT'].join('  '),
    ...rows,
    '',
    `${all.length} incident${all.length === 1 ? '' : 's'}`,
  ].join('\n');
};

/** One incident: what it is, then its timeline (every audit record and the ack, from the start). */
export const formatIncident = (records: IncidentRecords): string => {
  const { incident, ack, audit } = records;
  const events = [
    ...audit.map((record) => ({ at: record.at, line: formatDeliveryLine(record) })),
    ...(ack !== undefined ? [{ at: ack.at, line: `ACKED by ${ack.by} (via ${ack.via})` }] : []),
  ].sort((a, b) => a.at - b.at);
  return [
    `Incident ${incident.id}`,
    `  alarm     ${incident.alarm.alarmName} (${incident.alarm.region}), ALARM at ${incident.alarm.stateChangedAt}`,
    `  reason    ${incident.alarm.reason}`,
    `  routed    ${incident.severity}, team ${incident.team}, policy ${incident.policy}${incident.rule !== undefined ? `, rule ${incident.rule}` : ''}`,
    `  summary   ${incident.summary}`,
    ...(incident.runbookUrl !== undefined ? [`  runbook   ${incident.runbookUrl}`] : []),
    `  started   ${new Date(incident.startedAt).toISOString()}`,
    `  status    ${incidentStatus(records)}${ack !== undefined ? ` (acknowledged by ${ack.by})` : ''}`,
    '',
    'Timeline',
    ...(events.length === 0 ? ['  (no deliveries recorded)'] : []),
    ...events.map((event) => `  ${formatOffset(event.at - incident.startedAt).padEnd(8)} ${event.line}`),
  ].join('\n');
};
