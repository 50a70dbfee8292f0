import { ownValue } from '../../commons/own-value';
import { plural } from '../../commons/plural';
import { type AlertMessage, alarmConsoleUrl } from '../channels/alert-message';
import { pagerDutyEvent } from '../channels/pagerduty-event';
import { slackDirectMessage, voiceSsml } from '../channels/person-messages';
import { slackMessage } from '../channels/slack-message';
import { teamsMessage, webhookPayload } from '../channels/teams-message';
import { emailBody, emailSubject, smsText } from '../channels/text-messages';
import type {
  AuditRecord,
  DeliveryResult,
  EscalationState,
  Incident,
  NotificationSend,
} from '../types/incident';
import type {
  AckSecretResolver,
  ChannelSecretResolver,
  DirectPager,
  EscalationClock,
  EscalationMetrics,
  HttpPort,
  IncidentStore,
  PageLog,
  RandomSource,
  TopicPublisher,
} from '../types/ports';
import type { EscalationRuntimeConfig, RuntimeChannel } from '../types/runtime-config';
import { ackLink } from './ack-link';
import {
  DEFAULT_RETRY_WINDOWS,
  deliverWithRetries,
  httpSend,
  IN_ROUND_RETRY_AFTER_MS,
  nextRoundAt,
  type SendResult,
} from './deliver-with-retries';
import { EscalationDeliveryError, EscalationInputError } from './errors';

/** Ports the notify core needs, and the runtime config. */
export interface NotifyPorts {
  /** The runtime config (the Lambda's bundled one, or the local engine's). */
  readonly config: EscalationRuntimeConfig;
  readonly clock: EscalationClock;
  readonly http: HttpPort;
  readonly topics: TopicPublisher;
  readonly secrets: ChannelSecretResolver;
  readonly ackSecret: AckSecretResolver;
  readonly store: IncidentStore;
  readonly metrics?: EscalationMetrics;
  /** Pages people by SMS, voice and email (person channels). @default none: such pages fail, audited */
  readonly pager?: DirectPager;
  /** Where each page delivered to a person is recorded (what an SMS reply `ACK` acknowledges). @default none */
  readonly pages?: PageLog;
  /** Backoff base for retries within a round. @default 250 */
  readonly baseDelayMs?: number;
  /** Jitter of the pauses between rounds. @default Math.random */
  readonly random?: RandomSource;
}

/**
 * What a Notify task receives: the state and the notification to send (`send`, from the state's `sends`);
 * or, as tasks of earlier definitions passed it, the notification's fields at the top.
 */
export type NotifyInput = { readonly state: EscalationState } & (
  | { readonly send: NotificationSend }
  | NotificationSend
);

/** What a Notify task returns. */
export type NotifyResult = DeliveryResult;

/** Channels delivered over SNS need no secret; the others need their webhook URL or routing key. */
const secretOf = (channel: RuntimeChannel, ports: NotifyPorts): Promise<string | undefined> =>
  channel.type === 'email' ||
  channel.type === 'sms' ||
  channel.type === 'person-sms' ||
  channel.type === 'person-voice' ||
  channel.type === 'person-email'
    ? Promise.resolve(undefined)
    : ports.secrets(channel.name);

/** A pager call as one delivery attempt: a non-retryable `EscalationDeliveryError` ends the round. */
const pagerSend = (call: () => Promise<string>, prints: boolean) => async (): Promise<SendResult> => {
  try {
    const id = await call();
    return { status: 'ok', detail: prints ? 'printed' : `sent (${id})` };
  } catch (error) {
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    if (error instanceof EscalationDeliveryError && !error.retryable) return { status: 'fatal', detail };
    return { status: 'retry', detail };
  }
};

/** Slack Web API errors worth another attempt; any other `ok: false` is final (a wrong token or member id). */
const SLACK_RETRYABLE = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);

const required = (secret: string | undefined, channel: RuntimeChannel): string => {
  if (secret === undefined)
    throw new EscalationDeliveryError(`channel '${channel.name}' has no secret`, 0, false);
  return secret;
};

const deliverOnce = async (
  channel: RuntimeChannel,
  message: AlertMessage,
  secret: string | undefined,
  ports: NotifyPorts,
): Promise<{ attempts: number; detail: string }> => {
  const retry = {
    attempts: channel.attempts,
    maxRetryAfterMs: IN_ROUND_RETRY_AFTER_MS,
    ...(ports.baseDelayMs !== undefined ? { baseDelayMs: ports.baseDelayMs } : {}),
  };
  const now = () => ports.clock.now();
  const post = async (url: string, body: unknown, headers: Record<string, string> = {}) =>
    deliverWithRetries(
      httpSend(
        ports.http,
        {
          url,
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify(body),
          timeoutMs: channel.timeoutMs,
        },
        now,
      ),
      ports.clock,
      retry,
    );
  switch (channel.type) {
    case 'slack':
      return post(required(secret, channel), slackMessage(message));
    case 'teams':
      return post(required(secret, channel), teamsMessage(message));
    case 'webhook':
      return post(required(secret, channel), webhookPayload(message), { ...channel.headers });
    case 'pagerduty':
      return post(
        channel.eventsUrl ?? 'https://events.pagerduty.com/v2/enqueue',
        pagerDutyEvent(message, required(secret, channel)),
      );
    case 'person-sms':
    case 'person-voice':
    case 'person-email': {
      const pager = ports.pager;
      const to = channel.to;
      if (pager === undefined || to === undefined)
        throw new EscalationDeliveryError(`channel '${channel.name}' has no pager`, 0, false);
      const person = channel.person ?? '';
      const recipient = { person, name: ownValue(ports.config.people ?? {}, person)?.name ?? person, to };
      const call =
        channel.type === 'person-sms'
          ? () => pager.sendText(recipient, smsText(message))
          : channel.type === 'person-voice'
            ? () => pager.callVoice(recipient, voiceSsml(message))
            : () => pager.sendEmail(recipient, emailSubject(message), emailBody(message));
      return deliverWithRetries(pagerSend(call, pager.prints === true), ports.clock, retry);
    }
    case 'person-slack': {
      const apiUrl = ports.config.paging?.slack?.apiUrl ?? 'https://slack.com/api';
      const request = {
        url: `${apiUrl.replace(/\/$/, '')}/chat.postMessage`,
        method: 'POST' as const,
        headers: {
          'content-type': 'application/json; charset=utf-8',
          authorization: `Bearer ${required(secret, channel)}`,
        },
        body: JSON.stringify(slackDirectMessage(message, channel.to ?? '')),
        timeoutMs: channel.timeoutMs,
      };
      // Slack answers 200 with `ok: false` for most errors: the body decides.
      return deliverWithRetries(
        async (): Promise<SendResult> => {
          const response = await ports.http(request);
          const sent = await httpSend(async () => response, request, now)();
          if (sent.status !== 'ok' || response.printed === true) return sent;
          let reply: { ok?: unknown; error?: unknown; ts?: unknown };
          try {
            reply = JSON.parse(response.body) as typeof reply;
          } catch {
            return { status: 'retry', detail: `HTTP ${response.status}: not JSON` };
          }
          if (reply.ok === true) return { status: 'ok', detail: `posted (ts ${String(reply.ts)})` };
          const error = typeof reply.error === 'string' ? reply.error.slice(0, 100) : 'unknown_error';
          return SLACK_RETRYABLE.has(error)
            ? { status: 'retry', detail: `Slack ${error}` }
            : { status: 'fatal', detail: `Slack ${error}` };
        },
        ports.clock,
        retry,
      );
    }
    case 'email':
    case 'sms': {
      const topicArn = channel.topicArn;
      if (topicArn === undefined)
        throw new EscalationDeliveryError(`channel '${channel.name}' has no SNS topic`, 0, false);
      const subject = emailSubject(message);
      const body = channel.type === 'sms' ? smsText(message) : emailBody(message);
      return deliverWithRetries(
        async (): Promise<SendResult> => {
          await ports.topics.publish(topicArn, subject, body);
          return { status: 'ok', detail: ports.topics.prints === true ? 'printed' : 'published' };
        },
        ports.clock,
        retry,
      );
    }
  }
};

const buildMessage = async (
  send: NotificationSend,
  state: EscalationState,
  channel: RuntimeChannel,
  incident: Incident,
  ports: NotifyPorts,
  fallbackFor?: string,
): Promise<AlertMessage> => {
  const { config } = ports;
  const now = ports.clock.now();
  const ackUrl =
    send.kind === 'trigger'
      ? ackLink(config.ackUrl, await ports.ackSecret(), incident.id, channel.name, now + config.ackLinkTtlMs)
      : undefined;
  const ackedBy = state.ackedBy ?? state.status.ackedBy;
  return {
    kind: send.kind,
    incident,
    level: send.level + 1,
    alarmUrl: alarmConsoleUrl(incident.alarm.alarmName, incident.alarm.region),
    ...(config.dashboardUrl !== undefined ? { dashboardUrl: config.dashboardUrl } : {}),
    ...(ackUrl !== undefined ? { ackUrl } : {}),
    ...(ackedBy !== undefined ? { ackedBy } : {}),
    ...(fallbackFor !== undefined ? { fallbackFor } : {}),
    at: now,
  };
};

/** The notification a Notify task was given, in either input shape. */
export const notificationOf = (input: NotifyInput): NotificationSend =>
  'send' in input ? input.send : { channel: input.channel, kind: input.kind, level: input.level ?? 0 };

/**
 * Delivers one notification to one channel: one round of the channel's `attempts` (short backoff, a short
 * `Retry-After` waited), every round audited. A failed round is retried by the execution at the returned
 * `retryAt` (exponential backoff with jitter, or the receiver's `Retry-After`) until the action's retry window
 * runs out. A trigger that is given up on walks its fallback chain; a critical trigger engages the chain
 * after its first failed round while its primary keeps being retried. A follow-up (acknowledge, resolve) is
 * sent once per channel (a channel that already has it is not sent it again), never to a fallback, and one
 * undeliverable within its window is audited `failed` and counted (alarmed). Never throws for a delivery
 * failure: the escalation goes on with the other channels and levels.
 */
export const notifyChannel = async (input: NotifyInput, ports: NotifyPorts): Promise<NotifyResult> => {
  const { state } = input;
  const send = notificationOf(input);
  const { config } = ports;
  const incident = state.incident;
  const primary = ownValue(config.channels, send.channel);
  if (primary === undefined) throw new EscalationInputError(`unknown channel '${send.channel}'`);
  const prior = state.pending?.find(
    (pending) => pending.channel === send.channel && pending.kind === send.kind,
  );
  const since = prior?.since ?? ports.clock.now();
  const round = (prior?.rounds ?? 0) + 1;
  const result = (outcome: NotifyResult['outcome'], extra: Partial<NotifyResult> = {}): NotifyResult => ({
    channel: send.channel,
    kind: send.kind,
    level: send.level,
    outcome,
    ...extra,
  });
  const audit = (
    channel: RuntimeChannel,
    record: Pick<AuditRecord, 'outcome' | 'attempts' | 'detail'> & { fallbackFor?: string; retry?: number },
  ) =>
    ports.store.appendAudit({
      incidentId: incident.id,
      at: ports.clock.now(),
      channel: channel.name,
      channelType: channel.type,
      kind: send.kind,
      level: send.level,
      round: state.round,
      ...(send.reminder !== undefined ? { reminder: send.reminder } : {}),
      ...record,
    });
  if (send.kind !== 'trigger') {
    // Exactly one follow-up per (incident, channel, action): a channel that has it is not sent it again.
    const trail = await ports.store.listAudit(incident.id);
    if (
      trail.some(
        (record) =>
          record.kind === send.kind && record.channel === primary.name && record.outcome === 'delivered',
      )
    )
      return result('delivered', { deliveredTo: primary.name });
  }
  /** One round to `channel`; the thrown error when it failed. */
  const attempt = async (
    channel: RuntimeChannel,
    fallbackFor?: string,
  ): Promise<{ attempts: number; detail: string } | { error: unknown }> => {
    try {
      const [message, secret] = await Promise.all([
        buildMessage(send, state, channel, incident, ports, fallbackFor),
        secretOf(channel, ports),
      ]);
      return await deliverOnce(channel, message, secret, ports);
    } catch (error) {
      return { error };
    }
  };
  const describe = (error: unknown) =>
    error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const retryNote = round > 1 ? { retry: round } : {};
  /** Walks the fallback chain after `primary`; the channel that took it, if any. */
  const fallBack = async (): Promise<string | undefined> => {
    const visited = new Set<string>([primary.name]);
    let current = primary.fallback !== undefined ? ownValue(config.channels, primary.fallback) : undefined;
    while (current !== undefined && !visited.has(current.name)) {
      visited.add(current.name);
      const channel: RuntimeChannel = current;
      const sent = await attempt(channel, primary.name);
      if (!('error' in sent)) {
        await audit(channel, {
          outcome: 'delivered',
          attempts: sent.attempts,
          detail: `fallback for ${primary.name}: ${sent.detail} after ${plural(sent.attempts, 'attempt')}`,
          fallbackFor: primary.name,
        });
        return channel.name;
      }
      await audit(channel, {
        outcome: 'failed',
        attempts: attemptsOf(sent.error),
        detail: describe(sent.error),
        fallbackFor: primary.name,
      });
      ports.metrics?.notificationFailed(channel.name);
      current = channel.fallback !== undefined ? ownValue(config.channels, channel.fallback) : undefined;
    }
    return undefined;
  };

  const sent = await attempt(primary);
  if (!('error' in sent)) {
    if (send.kind === 'trigger' && primary.person !== undefined)
      await ports.pages?.recordPage({
        personId: primary.person,
        incidentId: incident.id,
        at: ports.clock.now(),
        method: primary.type.replace('person-', ''),
      });
    await audit(primary, {
      outcome: 'delivered',
      attempts: sent.attempts,
      detail: `${sent.detail} after ${plural(sent.attempts, 'attempt')}${round > 1 ? ` (round ${round})` : ''}`,
      ...retryNote,
    });
    return result('delivered', { deliveredTo: primary.name });
  }
  const { error } = sent;
  const windowMs = (config.retryWindowsMs ?? DEFAULT_RETRY_WINDOWS)[send.kind];
  const retryable = !(error instanceof EscalationDeliveryError) || error.retryable;
  const retryAfter = error instanceof EscalationDeliveryError ? error.retryAfterMs : undefined;
  const next = retryable
    ? nextRoundAt(ports.clock.now(), since, windowMs, round, ports.random ?? Math.random, retryAfter)
    : undefined;
  if (next !== undefined) {
    await audit(primary, {
      outcome: 'retrying',
      attempts: attemptsOf(error),
      detail: `${describe(error)}; round ${round}, next at ${new Date(next).toISOString()}`,
      ...retryNote,
    });
    // A critical page does not wait for the primary's window: its fallback goes out after the first round.
    let fallbackEngaged = prior?.fallbackEngaged === true;
    if (send.kind === 'trigger' && incident.severity === 'critical' && !fallbackEngaged) {
      ports.metrics?.notificationFailed(primary.name);
      await fallBack();
      fallbackEngaged = true;
    }
    return result('retry', {
      retryAt: next,
      since,
      rounds: round,
      ...(fallbackEngaged ? { fallbackEngaged } : {}),
    });
  }
  const why = retryable
    ? `${describe(error)}; retry window of ${Math.round(windowMs / 1000)}s ${retryAfter !== undefined ? `cannot honour Retry-After ${Math.round(retryAfter / 1000)}s` : 'exhausted'} after ${plural(round, 'round')}`
    : describe(error);
  await audit(primary, { outcome: 'failed', attempts: attemptsOf(error), detail: why, ...retryNote });
  ports.metrics?.notificationFailed(primary.name);
  if (send.kind !== 'trigger' || prior?.fallbackEngaged === true) return result('failed');
  const deliveredTo = await fallBack();
  return deliveredTo !== undefined ? result('fallback', { deliveredTo }) : result('failed');
};

const attemptsOf = (error: unknown): number =>
  error instanceof EscalationDeliveryError ? error.attempts : 0;
