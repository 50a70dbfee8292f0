import { ownValue } from '../../commons/own-value';
import type { AlarmSnapshot, AuditRecord, EscalationState, Incident } from '../types/incident';
import type { AlarmStatePort, Enricher, EscalationClock, IncidentStore } from '../types/ports';
import type { EscalationRuntimeConfig, RuntimePolicy } from '../types/runtime-config';
import { EscalationInputError } from './errors';
import { levelDueAt } from './level-due-at';
import { routeAlarm } from './route-alarm';
import { activeSilence } from './silences';
import type { EscalationExecutionInput } from './start-escalation';

/** Ports the open/check core needs, and the runtime config. */
export interface CheckPorts {
  /** The runtime config (the Lambda's bundled one, or the local engine's). */
  readonly config: EscalationRuntimeConfig;
  readonly clock: EscalationClock;
  readonly alarms: AlarmStatePort;
  readonly store: IncidentStore;
  readonly enrich?: Enricher;
}

/** The watch phase (after the last level) and far-off levels poll this many times less often than escalation. */
export const WATCH_POLL_FACTOR = 5;

const policyOf = (config: EscalationRuntimeConfig, incident: Incident): RuntimePolicy => {
  const policy = ownValue(config.policies, incident.policy);
  if (policy === undefined)
    throw new EscalationInputError(`incident ${incident.id} names unknown policy '${incident.policy}'`);
  return policy;
};

const iso = (ms: number): string => new Date(ms).toISOString();

/** Channels that received the incident's trigger (directly or as a fallback), in first-notified order. */
export const notifiedChannels = (audit: readonly AuditRecord[]): string[] => [
  ...new Set(
    audit
      .filter((record) => record.kind === 'trigger' && record.outcome === 'delivered')
      .sort((a, b) => a.at - b.at)
      .map((record) => record.channel),
  ),
];

const suppressLevel = async (
  config: EscalationRuntimeConfig,
  store: IncidentStore,
  incident: Incident,
  policy: RuntimePolicy,
  level: number,
  round: number,
  at: number,
  detail: string,
) => {
  for (const channel of policy.levels[level]?.channels ?? []) {
    await store.appendAudit({
      incidentId: incident.id,
      at,
      channel,
      channelType: ownValue(config.channels, channel)?.type ?? 'webhook',
      kind: 'trigger',
      level,
      round,
      outcome: 'suppressed',
      attempts: 0,
      detail,
    });
  }
};

const status = (
  outcome: EscalationState['status']['outcome'],
  now: number,
  waitUntil: number,
  detail: string,
  followUps: readonly string[] = [],
  ackedBy?: string,
): EscalationState['status'] => ({
  outcome,
  waitUntil: iso(Math.max(waitUntil, now)),
  checkedAt: now,
  detail,
  followUps,
  ...(ackedBy !== undefined ? { ackedBy } : {}),
});

const levelStatus = (
  config: EscalationRuntimeConfig,
  incident: Incident,
  level: number,
  round: number,
  now: number,
): EscalationState['status'] => {
  const policy = policyOf(config, incident);
  if (level >= policy.levels.length) {
    if (round < policy.repeat) {
      const next = incident.startedAt + (round + 1) * policy.repeatIntervalMs;
      if (now >= next) return status('repeat', now, now, `repeating the policy (round ${round + 2})`);
      return status('wait', now, Math.min(next, now + config.pollIntervalMs), `next round at ${iso(next)}`);
    }
    const lastDue = levelDueAt(
      policy,
      incident.startedAt,
      policy.levels.length - 1,
      round,
      config.businessHours,
    ).at;
    const end = lastDue + config.watchForMs;
    if (now >= end) return status('expired', now, now, 'stopped watching: no resolution within watchFor');
    return status(
      'wait',
      now,
      Math.min(end, now + config.pollIntervalMs * WATCH_POLL_FACTOR),
      'all levels notified; watching',
    );
  }
  const due = levelDueAt(policy, incident.startedAt, level, round, config.businessHours);
  if (now >= due.at) return status('due', now, now, `level ${level + 1} due`);
  // A level more than an hour away (a deferred warning overnight) is polled less often.
  const interval =
    due.at - now > 60 * config.pollIntervalMs
      ? config.pollIntervalMs * WATCH_POLL_FACTOR
      : config.pollIntervalMs;
  return status(
    'wait',
    now,
    Math.min(due.at, now + interval),
    due.deferred
      ? `deferred until business hours (${iso(due.at)})`
      : `level ${level + 1} due at ${iso(due.at)}`,
  );
};

/**
 * A new incident for an alarm: routed by its tags and the alert rules to a severity, team, policy, summary and
 * runbook.
 */
export const routedIncident = (
  id: string,
  alarm: AlarmSnapshot,
  tags: Readonly<Record<string, string>>,
  config: Pick<EscalationRuntimeConfig, 'rules' | 'policies' | 'app'>,
  startedAt: number,
): Incident => {
  const route = routeAlarm(alarm, tags, config);
  return {
    id,
    alarm,
    severity: route.severity,
    team: route.team,
    policy: route.policy,
    ...(route.rule !== undefined ? { rule: route.rule.name } : {}),
    summary: route.summary,
    ...(route.runbookUrl !== undefined ? { runbookUrl: route.runbookUrl } : {}),
    tags,
    startedAt,
  };
};

/** Input of the `Open incident` task. */
export interface OpenIncidentInput {
  /** The execution's input, as the start function wrote it (the alarm and the incident id). */
  readonly execution: Pick<EscalationExecutionInput, 'alarm' | 'incidentId'>;
}

/** Input of a level's or the watch loop's `check` task. */
export interface CheckEscalationInput {
  readonly state: EscalationState;
  /** 0-based level checked before; the number of levels for the watch loop. */
  readonly level: number;
}

/**
 * Opens an incident for an alarm that went into ALARM: routes it, checks silences, enriches it within the
 * budget, stores it (idempotently: a replayed open returns the stored incident) and decides about level 1.
 */
export const openIncident = async (input: OpenIncidentInput, ports: CheckPorts): Promise<EscalationState> => {
  const { alarm, incidentId } = input.execution;
  const { config } = ports;
  // The stored incident (a replayed open) and the alarm's tags (a new one) are read at once: one round trip
  // on the normal path; a replay reads tags it does not need.
  const [existing, tags] = await Promise.all([
    ports.store.getIncident(incidentId),
    ports.alarms.getTags(alarm).catch(() => ({}) as Record<string, string>),
  ]);
  const now = ports.clock.now();
  let incident: Incident;
  if (existing !== undefined) {
    incident = existing;
  } else {
    incident = routedIncident(incidentId, alarm, tags, config, now);
  }
  const policy = policyOf(config, incident);
  const silence = activeSilence(config.silences, { alarmName: alarm.alarmName, ...incident }, now);
  if (silence !== undefined) {
    if (existing === undefined) await ports.store.createIncident(incident);
    const detail = `silenced by '${silence.name}'${silence.reason !== undefined ? `: ${silence.reason}` : ''}`;
    await suppressLevel(config, ports.store, incident, policy, 0, 0, now, detail);
    return { incident, round: 0, status: status('silenced', now, now, detail) };
  }
  if (existing === undefined) {
    if (ports.enrich !== undefined) {
      const enrichment = await ports.enrich(incident, config.enrichmentBudgetMs);
      incident = { ...incident, enrichment };
    }
    const created = await ports.store.createIncident(incident);
    if (!created) incident = (await ports.store.getIncident(incidentId)) ?? incident;
  }
  const first = levelStatus(config, incident, 0, 0, now);
  if (first.outcome === 'wait' && first.detail.startsWith('deferred')) {
    await suppressLevel(config, ports.store, incident, policy, 0, 0, now, first.detail);
  }
  return { incident, round: 0, status: first };
};

/**
 * Before a level (or while watching after the last one): resolved when the alarm is back to OK or gone,
 * acknowledged when someone acked, silenced inside a maintenance window, else due or wait until when.
 */
export const checkEscalation = async (
  input: CheckEscalationInput,
  ports: CheckPorts,
): Promise<EscalationState> => {
  const { state, level } = input;
  const { config } = ports;
  const { incident } = state;
  const round = state.status.outcome === 'repeat' ? state.round + 1 : state.round;
  const now = ports.clock.now();
  const [alarmState, ack] = await Promise.all([
    ports.alarms.getState(incident.alarm),
    ports.store.getAck(incident.id),
  ]);
  if (alarmState !== 'ALARM') {
    const notified = notifiedChannels(await ports.store.listAudit(incident.id));
    const detail = alarmState === undefined ? 'alarm deleted' : `alarm is ${alarmState}`;
    return { incident, round, status: status('resolved', now, now, detail, notified) };
  }
  if (ack !== undefined) {
    // PagerDuty already knows when it was the acker: no acknowledge event back to the channel it came from.
    const notified = notifiedChannels(await ports.store.listAudit(incident.id)).filter(
      (channel) => !(ack.via === 'pagerduty' && channel === ack.channel),
    );
    return {
      incident,
      round,
      status: status('acked', now, now, `acknowledged by ${ack.by}`, notified, ack.by),
    };
  }
  const silence = activeSilence(config.silences, { alarmName: incident.alarm.alarmName, ...incident }, now);
  if (silence !== undefined) {
    const detail = `silenced by '${silence.name}'${silence.reason !== undefined ? `: ${silence.reason}` : ''}`;
    await suppressLevel(config, ports.store, incident, policyOf(config, incident), level, round, now, detail);
    return { incident, round, status: status('silenced', now, now, detail) };
  }
  return { incident, round, status: levelStatus(config, incident, level, round, now) };
};
