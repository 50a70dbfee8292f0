import { ownValue } from '../../commons/own-value';
import type {
  AlarmSnapshot,
  AuditRecord,
  DeliveryResult,
  EscalationState,
  Incident,
  NotificationSend,
  PendingDelivery,
  ScheduledPage,
} from '../types/incident';
import type {
  AlarmStatePort,
  Enricher,
  EscalationClock,
  IncidentStore,
  OverrideReader,
  RandomSource,
} from '../types/ports';
import type { EscalationRuntimeConfig, RuntimePolicy } from '../types/runtime-config';
import { currentAlarmState, UNKNOWN_STATE } from './current-alarm-state';
import { DEFAULT_RETRY_WINDOWS, nextRoundAt } from './deliver-with-retries';
import { EscalationAlarmRecoveredError, EscalationInputError } from './errors';
import { flappingOf, holdFlappingResolve, isFlapping, withFlapping } from './flapping';
import { levelDueAt } from './level-due-at';
import { duePages, followUpTargets, levelPeople, pagePeople } from './person-pages';
import {
  claimKeyOf,
  describeQuorum,
  incidentClaimKey,
  quorumMet,
  quorumOf,
  readQuorum,
  withQuorum,
} from './quorum';
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
  /** Jitter of retries the check schedules for a failed notify task. @default Math.random */
  readonly random?: RandomSource;
  /** Run-time overrides of on-call schedules, read when a level targeting a schedule is due. @default none */
  readonly overrides?: OverrideReader;
}

/** The watch phase (after the last level, or after an ack) and far-off levels poll this many times less often. */
export const WATCH_POLL_FACTOR = 5;

/**
 * How long past its next wake-up an incident's claim on its alarm lasts: a holder that has not renewed it
 * by then is dead (its execution failed), and a new alarm event may open a new incident.
 */
export const claimGraceMs = (config: Pick<EscalationRuntimeConfig, 'pollIntervalMs'>): number =>
  2 * config.pollIntervalMs + 120_000;

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
  sends: readonly NotificationSend[] = [],
  ackedBy?: string,
): EscalationState['status'] => {
  const until = Math.max(waitUntil, now);
  return {
    outcome,
    waitUntil: iso(until),
    waitSeconds: Math.max(1, Math.ceil((until - now) / 1000)),
    checkedAt: now,
    detail,
    followUps: sends.filter((send) => send.kind !== 'trigger').map((send) => send.channel),
    ...(sends.length > 0 ? { sends } : {}),
    ...(ackedBy !== undefined ? { ackedBy } : {}),
  };
};

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
    const end = watchEnd(config, incident, round);
    if (now >= end) return status('expired', now, now, 'stopped watching: no resolution within watchFor');
    return status(
      'wait',
      now,
      Math.min(end, now + config.pollIntervalMs * WATCH_POLL_FACTOR),
      'all levels notified; watching',
    );
  }
  const due = levelDueAt(policy, incident.startedAt, level, round, config.businessHours);
  if (now >= due.at)
    return status(
      'due',
      now,
      now,
      `level ${level + 1} due`,
      (policy.levels[level]?.channels ?? []).map((channel) => ({ channel, kind: 'trigger', level })),
    );
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
 * The people a level due now pages: their rules' first steps join the level's sends, the later steps (and
 * reminders) are scheduled. A schedule with nobody on call is audited, so the gap shows in the timeline.
 */
const pageLevel = async (
  ports: CheckPorts,
  incident: Incident,
  level: number,
  round: number,
  now: number,
): Promise<{ sends: NotificationSend[]; scheduled: ScheduledPage[] }> => {
  const { config } = ports;
  const target = policyOf(config, incident).levels[level];
  if (target === undefined) return { sends: [], scheduled: [] };
  const found = await levelPeople(config, target, now, ports.overrides);
  for (const schedule of found.empty) {
    await ports.store.appendAudit({
      incidentId: incident.id,
      at: now,
      channel: `schedule:${schedule}`,
      kind: 'trigger',
      level,
      round,
      outcome: 'failed',
      attempts: 0,
      detail: `nobody on call for schedule '${schedule}'`,
    });
  }
  return pagePeople(config, found.people, incident.severity, level, now, target.repeatEveryMs);
};

/** When watching for resolution ends: `watchFor` after the round's last level. */
const watchEnd = (config: EscalationRuntimeConfig, incident: Incident, round: number): number => {
  const policy = policyOf(config, incident);
  const lastDue = levelDueAt(
    policy,
    incident.startedAt,
    policy.levels.length - 1,
    round,
    config.businessHours,
  ).at;
  return lastDue + config.watchForMs;
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

/** Input of the `Check` task. */
export interface CheckEscalationInput {
  readonly state: EscalationState;
  /** 0-based level, as definitions with a state per level passed it; the state's `level` wins. */
  readonly level?: number;
}

/** Input of the `Wait for signal` task: the task token to store with the alarm's claim. */
export interface ArmSignalInput {
  readonly token: string;
  readonly state: EscalationState;
}

const silenceDetail = (silence: { name: string; reason?: string }) =>
  `silenced by '${silence.name}'${silence.reason !== undefined ? `: ${silence.reason}` : ''}`;

/**
 * Opens an incident for an alarm that went into ALARM: makes it the alarm's one open incident (a conditional
 * write; when another incident holds the alarm, this one joins it: the flap is recorded in that incident's
 * trail and this execution ends `joined`), routes it, checks silences, enriches it within the budget, stores
 * it (idempotently: a replayed open returns the stored incident) and decides about level 1.
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
  let incident: Incident = existing ?? routedIncident(incidentId, alarm, tags, config, now);
  // A check with a quorum: its alarm is read in every location before anyone is paged.
  const quorum = quorumOf(config, alarm.alarmName);
  if (quorum !== undefined) {
    const reading = await readQuorum(alarm, quorum, ports.alarms);
    if (existing === undefined) incident = withQuorum(incident, reading);
    if (!quorumMet(reading)) {
      if (existing === undefined) await ports.store.createIncident(incident);
      const detail = `below quorum: ${describeQuorum(reading)}; nobody paged`;
      await ports.store.appendAudit({
        incidentId,
        at: now,
        channel: alarm.alarmName,
        kind: 'quorum',
        level: 0,
        round: 0,
        outcome: 'below-quorum',
        attempts: 0,
        detail,
      });
      return { incident, round: 0, level: 0, status: status('below-quorum', now, now, detail) };
    }
  }
  const key = claimKeyOf(alarm, config);
  // Flap damping counts every state change into ALARM (a re-alarm that joins an open incident too).
  const flapping = flappingOf(config, alarm.alarmName);
  if (flapping !== undefined) {
    const at = Date.parse(alarm.stateChangedAt);
    const changes = await ports.store.alarmTransitions(key, {
      since: now - flapping.windowMs,
      add: Number.isNaN(at) ? now : at,
    });
    if (existing === undefined && isFlapping(changes.length, flapping))
      incident = withFlapping(incident, changes.length, flapping);
  }
  const claim = await ports.store.claimAlarm(
    { alarmKey: key, incidentId, until: now + claimGraceMs(config) },
    now,
  );
  if (!claim.claimed) {
    const holder = claim.holder.incidentId;
    await ports.store.appendAudit({
      incidentId: holder,
      at: now,
      channel: alarm.alarmName,
      kind: 'flap',
      level: 0,
      round: 0,
      outcome: 'joined',
      attempts: 0,
      detail: `alarm back in ALARM at ${alarm.stateChangedAt} while this incident was open: joined (${incidentId})`,
    });
    return {
      incident,
      round: 0,
      level: 0,
      status: status('joined', now, now, `joined the alarm's open incident ${holder}`),
    };
  }
  const policy = policyOf(config, incident);
  const silence = activeSilence(config.silences, { alarmName: alarm.alarmName, ...incident }, now);
  if (silence !== undefined) {
    if (existing === undefined) await ports.store.createIncident(incident);
    const detail = silenceDetail(silence);
    await suppressLevel(config, ports.store, incident, policy, 0, 0, now, detail);
    await ports.store.releaseAlarm(key, incidentId);
    return { incident, round: 0, level: 0, status: status('silenced', now, now, detail) };
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
  if (first.outcome !== 'due') return { incident, round: 0, level: 0, status: first };
  // Resolving who is on call happens here, in the same task: no state is added before the first page.
  const paged = await pageLevel(ports, incident, 0, 0, now);
  return {
    incident,
    round: 0,
    level: 0,
    ...(paged.scheduled.length > 0 ? { scheduled: paged.scheduled } : {}),
    status: status('due', now, now, first.detail, [...(first.sends ?? []), ...paged.sends]),
  };
};

/**
 * Folds the last notification tasks' results into the state: failed rounds become pending retries, a task
 * that failed outright is retried on the check's own schedule, a resolve given up on is undeliverable.
 */
const absorbResults = async (
  state: EscalationState,
  now: number,
  ports: CheckPorts,
): Promise<Pick<EscalationState, 'pending' | 'undeliverable'>> => {
  const sentOne =
    state.sentOne === undefined
      ? []
      : typeof state.sentOne.outcome === 'string'
        ? [state.sentOne]
        : // A `Send one` task that failed outright leaves the caught error: it was the first send's.
          (state.status.sends ?? [])
            .slice(0, 1)
            .map((send): DeliveryResult => ({ ...send, outcome: 'error' }));
  const results = [...(state.sent ?? []), ...sentOne];
  const same = (a: { channel: string; kind: string }) => (b: { channel: string; kind: string }) =>
    a.channel === b.channel && a.kind === b.kind;
  const previous = state.pending ?? [];
  const pending = previous.filter((entry) => !results.some(same(entry)));
  const undeliverable = [...(state.undeliverable ?? [])];
  const windows = ports.config.retryWindowsMs ?? DEFAULT_RETRY_WINDOWS;
  for (const result of results) {
    if (result.outcome === 'retry' && result.retryAt !== undefined) {
      pending.push({
        channel: result.channel,
        kind: result.kind,
        level: result.level,
        since: result.since ?? now,
        rounds: result.rounds ?? 1,
        retryAt: result.retryAt,
        ...(result.fallbackEngaged === true ? { fallbackEngaged: true } : {}),
      });
    } else if (result.outcome === 'error') {
      const prior = previous.find(same(result));
      const since = prior?.since ?? now;
      const rounds = (prior?.rounds ?? 0) + 1;
      const next = nextRoundAt(now, since, windows[result.kind], rounds, ports.random ?? Math.random);
      if (next !== undefined) {
        pending.push({
          channel: result.channel,
          kind: result.kind,
          level: result.level,
          since,
          rounds,
          retryAt: next,
          ...(prior?.fallbackEngaged === true ? { fallbackEngaged: true } : {}),
        });
      } else {
        await ports.store.appendAudit({
          incidentId: state.incident.id,
          at: now,
          channel: result.channel,
          channelType: ownValue(ports.config.channels, result.channel)?.type ?? 'webhook',
          kind: result.kind,
          level: result.level,
          round: state.round,
          outcome: 'failed',
          attempts: 0,
          detail: `the notify task kept failing; retry window of ${Math.round(windows[result.kind] / 1000)}s exhausted`,
          retry: rounds,
        });
        if (result.kind === 'resolve') undeliverable.push(result.channel);
      }
    } else if (result.outcome === 'failed' && result.kind === 'resolve') {
      undeliverable.push(result.channel);
    }
  }
  return {
    ...(pending.length > 0 ? { pending } : {}),
    ...(undeliverable.length > 0 ? { undeliverable: [...new Set(undeliverable)] } : {}),
  };
};

const sendsOf = (pending: readonly PendingDelivery[]): NotificationSend[] =>
  pending.map(({ channel, kind, level }) => ({ channel, kind, level }));

/**
 * One step of an incident: after the last notifications (their results folded in), resolved when the alarm
 * is back to OK or gone (a resolve to every notified channel, once), acknowledged when someone acked (an
 * acknowledge to every notified channel; escalation stops, watching for recovery goes on), silenced inside a
 * maintenance window, else the next level due, retries due, or a wait until when. Renews the incident's claim
 * on its alarm; gives it up when the incident ends.
 */
export const checkEscalation = async (
  input: CheckEscalationInput,
  ports: CheckPorts,
): Promise<EscalationState> => {
  const { state } = input;
  const { config } = ports;
  const { incident } = state;
  const now = ports.clock.now();
  const absorbed = await absorbResults(state, now, ports);
  const previous = state.status.outcome;
  let level = state.level ?? input.level ?? 0;
  let round = state.round;
  if (previous === 'due') level += 1;
  if (previous === 'repeat') {
    round += 1;
    level = 0;
  }
  const key = incidentClaimKey(incident);
  const base = {
    incident,
    round,
    level,
    ...(state.ackedBy !== undefined ? { ackedBy: state.ackedBy } : {}),
    ...(state.quiet !== undefined ? { quiet: state.quiet } : {}),
  };
  const pendingNow = absorbed.pending ?? [];
  const dueRetries = (keep: (entry: PendingDelivery) => boolean) =>
    pendingNow.filter((entry) => keep(entry) && entry.retryAt <= now);
  const nextRetry = (keep: (entry: PendingDelivery) => boolean) =>
    Math.min(...pendingNow.filter(keep).map((entry) => entry.retryAt));
  const withPending = (pending: readonly PendingDelivery[]) => (pending.length > 0 ? { pending } : {});

  // Resolves decided: only their retries remain; the alarm's state no longer matters.
  if (state.closing === true) {
    const isResolve = (entry: PendingDelivery) => entry.kind === 'resolve';
    const pending = pendingNow.filter(isResolve);
    const undeliverable = absorbed.undeliverable ?? [];
    const closing = { ...base, closing: true, ...withPending(pending) };
    const due = dueRetries(isResolve);
    if (due.length > 0)
      return {
        ...closing,
        ...(undeliverable.length > 0 ? { undeliverable } : {}),
        status: status('resolved', now, now, 'retrying resolves', sendsOf(due)),
      };
    if (pending.length > 0)
      return {
        ...closing,
        ...(undeliverable.length > 0 ? { undeliverable } : {}),
        status: status('wait', now, nextRetry(isResolve), 'waiting to retry resolves'),
      };
    if (undeliverable.length > 0)
      return {
        ...closing,
        undeliverable,
        status: status(
          'undeliverable',
          now,
          now,
          `resolve undeliverable to ${undeliverable.join(', ')} within the retry window`,
        ),
      };
    return { ...closing, status: status('closed', now, now, 'every notified channel has its resolve') };
  }

  const [alarmState, ack] = await Promise.all([
    currentAlarmState(incident, { level, round }, ports),
    ports.store.getAck(incident.id),
  ]);
  const renew = async (next: EscalationState): Promise<EscalationState> => {
    const until = Math.max(now, Date.parse(next.status.waitUntil)) + claimGraceMs(config);
    const held = await ports.store.renewAlarm({ alarmKey: key, incidentId: incident.id, until });
    if (held) return next;
    const holder = await ports.store.getAlarmClaim(key);
    return {
      ...base,
      status: status(
        'expired',
        now,
        now,
        `the alarm's open incident is now ${holder?.incidentId ?? 'none'}: stopped (this execution was presumed dead)`,
      ),
    };
  };
  // An unreadable state is unknown, not deleted: the incident stays open and escalates as it was.
  if (alarmState !== 'ALARM' && alarmState !== UNKNOWN_STATE) {
    // Flap damping: the resolve waits for a quiet period without a state change (a re-alarm joins meanwhile).
    const flapping = alarmState !== undefined ? flappingOf(config, incident.alarm.alarmName) : undefined;
    const held =
      flapping !== undefined ? await holdFlappingResolve(state, key, flapping, now, ports.store) : undefined;
    if (held?.hold === true)
      return renew({
        ...base,
        incident: held.incident,
        flapOkAt: held.okAt,
        status: status('wait', now, held.until, held.detail),
      });
    // Ack and recovery seen at once: the resolve supersedes the acknowledge, each channel gets one resolve.
    await ports.store.releaseAlarm(key, incident.id);
    const audit = await ports.store.listAudit(incident.id);
    const resolved = new Set(
      audit
        .filter((record) => record.kind === 'resolve' && record.outcome === 'delivered')
        .map((record) => record.channel),
    );
    const sends = followUpTargets(notifiedChannels(audit), audit)
      .filter((channel) => !resolved.has(channel))
      .map((channel): NotificationSend => ({ channel, kind: 'resolve', level: 0 }));
    const detail = alarmState === undefined ? 'alarm deleted' : `alarm is ${alarmState}`;
    const closing = { ...base, ...(held !== undefined ? { incident: held.incident } : {}), closing: true };
    if (sends.length === 0)
      return { ...closing, status: status('closed', now, now, `${detail}; nobody was notified`) };
    return { ...closing, status: status('resolved', now, now, detail, sends) };
  }
  if (ack !== undefined && state.ackedBy === undefined) {
    // PagerDuty already knows when it was the acker: no acknowledge event back to the channel it came from.
    const trail = await ports.store.listAudit(incident.id);
    const sends = followUpTargets(notifiedChannels(trail), trail)
      .filter((channel) => !(ack.via === 'pagerduty' && channel === ack.channel))
      .map((channel): NotificationSend => ({ channel, kind: 'acknowledge', level: 0 }));
    // Pages still being retried stop: someone has it.
    const pending = pendingNow.filter((entry) => entry.kind !== 'trigger');
    return renew({
      ...base,
      ackedBy: ack.by,
      ...withPending(pending),
      status: status('acked', now, now, `acknowledged by ${ack.by}`, sends, ack.by),
    });
  }
  const watching = state.ackedBy !== undefined || state.quiet !== undefined;
  const silence = watching
    ? undefined
    : activeSilence(config.silences, { alarmName: incident.alarm.alarmName, ...incident }, now);
  if (silence !== undefined) {
    const detail = silenceDetail(silence);
    await suppressLevel(config, ports.store, incident, policyOf(config, incident), level, round, now, detail);
    const notified = notifiedChannels(await ports.store.listAudit(incident.id));
    if (notified.length === 0) {
      await ports.store.releaseAlarm(key, incident.id);
      return { ...base, status: status('silenced', now, now, detail) };
    }
    // Pages went out before the window opened: stop paging, keep watching to resolve them.
    const pending = pendingNow.filter((entry) => entry.kind !== 'trigger');
    return renew({
      ...base,
      quiet: detail,
      ...withPending(pending),
      status: status('wait', now, now + config.pollIntervalMs, `${detail}; watching`),
    });
  }
  if (watching) {
    const end = watchEnd(config, incident, round);
    if (now >= end) {
      await ports.store.releaseAlarm(key, incident.id);
      return {
        ...base,
        status: status('expired', now, now, 'stopped watching: no resolution within watchFor'),
      };
    }
    const isFollowUp = (entry: PendingDelivery) => entry.kind === 'acknowledge';
    const pending = pendingNow.filter(isFollowUp);
    const due = dueRetries(isFollowUp);
    if (due.length > 0)
      return renew({
        ...base,
        ...withPending(pending),
        status: status('retry', now, now, 'retrying acknowledgements', sendsOf(due)),
      });
    return renew({
      ...base,
      ...withPending(pending),
      status: status(
        'wait',
        now,
        Math.min(end, now + config.pollIntervalMs * WATCH_POLL_FACTOR, nextRetry(isFollowUp)),
        state.ackedBy !== undefined ? `acknowledged by ${state.ackedBy}; watching` : 'watching',
      ),
    });
  }
  let next = levelStatus(config, incident, level, round, now);
  if (next.outcome === 'repeat') {
    round += 1;
    level = 0;
    next = levelStatus(config, incident, level, round, now);
  }
  const escalating = { ...base, round, level };
  if (next.outcome === 'expired') {
    await ports.store.releaseAlarm(key, incident.id);
    return { ...escalating, status: next };
  }
  const isTrigger = (entry: PendingDelivery) => entry.kind === 'trigger';
  const due = dueRetries(isTrigger);
  // People's later rule steps and reminders due now; a level due now pages its people.
  const pages = duePages(state.scheduled ?? [], now);
  const paged =
    next.outcome === 'due'
      ? await pageLevel(ports, incident, level, round, now)
      : { sends: [], scheduled: [] };
  const scheduled = [...pages.scheduled, ...paged.scheduled];
  const withScheduled = scheduled.length > 0 ? { scheduled } : {};
  // A channel due twice at once (a retry, a level, a rule step) is sent once.
  const sends: NotificationSend[] = [];
  for (const send of [...(next.sends ?? []), ...paged.sends, ...pages.sends, ...sendsOf(due)]) {
    if (!sends.some((other) => other.channel === send.channel)) sends.push(send);
  }
  const pending = pendingNow.filter(isTrigger);
  if (next.outcome === 'due')
    return renew({
      ...escalating,
      ...withPending(pending),
      ...withScheduled,
      status: status('due', now, now, next.detail, sends),
    });
  if (sends.length > 0)
    return renew({
      ...escalating,
      ...withPending(pending),
      ...withScheduled,
      status: status(
        'retry',
        now,
        now,
        due.length > 0 ? 'retrying notifications' : 'paging by notification rules',
        sends,
      ),
    });
  return renew({
    ...escalating,
    ...withPending(pending),
    ...withScheduled,
    status: status(
      'wait',
      now,
      Math.min(Date.parse(next.waitUntil), nextRetry(isTrigger), ...scheduled.map((page) => page.at)),
      next.detail,
    ),
  });
};

/**
 * The `Wait for signal` task: stores the wait's task token with the incident's claim on its alarm, so the
 * alarm's OK event can wake the execution at once (the start function's `SendTaskSuccess`). The alarm may
 * have recovered between the check and now, with nobody to wake: it is read once more after the token is
 * stored, and a recovered alarm ends the wait at once.
 *
 * @throws {EscalationAlarmRecoveredError} when the alarm is no longer in ALARM (caught by name: check now)
 */
export const armSignal = async (input: ArmSignalInput, ports: CheckPorts): Promise<void> => {
  const { state, token } = input;
  if (state.closing === true) return;
  const { incident } = state;
  const until = Date.parse(state.status.waitUntil) + claimGraceMs(ports.config);
  const held = await ports.store.renewAlarm({
    alarmKey: incidentClaimKey(incident),
    incidentId: incident.id,
    until,
    token,
  });
  if (!held) return;
  // Unreadable is unknown, not recovered: the wait goes on and the next check reads again.
  const current = await currentAlarmState(incident, { level: state.level ?? 0, round: state.round }, ports);
  // A flap-damped resolve waits with the alarm OK on purpose: only the next state change or the quiet end wakes it.
  if (current !== 'ALARM' && current !== UNKNOWN_STATE && state.flapOkAt === undefined)
    throw new EscalationAlarmRecoveredError(`alarm ${incident.alarm.alarmName} is ${current ?? 'gone'}`);
};
