import { ownValue } from '../../commons/own-value';
import { type AlertMessage, alarmConsoleUrl } from '../channels/alert-message';
import { pagerDutyEvent } from '../channels/pagerduty-event';
import { slackMessage } from '../channels/slack-message';
import { teamsMessage, webhookPayload } from '../channels/teams-message';
import { emailBody, emailSubject, smsText } from '../channels/text-messages';
import type { AuditRecord, EscalationState, Incident, NotificationKind } from '../types/incident';
import type {
  AckSecretResolver,
  ChannelSecretResolver,
  EscalationClock,
  EscalationMetrics,
  HttpPort,
  IncidentStore,
  TopicPublisher,
} from '../types/ports';
import type { EscalationRuntimeConfig, RuntimeChannel } from '../types/runtime-config';
import { ackLink } from './ack-link';
import { deliverWithRetries, httpSend, type SendResult } from './deliver-with-retries';
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
  /** Backoff base for retries. @default 250 */
  readonly baseDelayMs?: number;
}

/** What a Notify task receives. */
export interface NotifyInput {
  readonly kind: NotificationKind;
  readonly channel: string;
  /** 0-based level (ignored for follow-ups). */
  readonly level: number;
  readonly state: EscalationState;
}

/** What a Notify task returns. */
export interface NotifyResult {
  readonly channel: string;
  readonly outcome: 'delivered' | 'fallback' | 'failed';
  /** The channel that finally received it. */
  readonly deliveredTo?: string;
}

/** Channels delivered over SNS need no secret; the others need their webhook URL or routing key. */
const secretOf = (channel: RuntimeChannel, ports: NotifyPorts): Promise<string | undefined> =>
  channel.type === 'email' || channel.type === 'sms'
    ? Promise.resolve(undefined)
    : ports.secrets(channel.name);

const required = (secret: string | undefined, channel: RuntimeChannel): string => {
  if (secret === undefined)
    throw new EscalationDeliveryError(`channel '${channel.name}' has no secret`, 0, false);
  return secret;
};

const send = async (
  channel: RuntimeChannel,
  message: AlertMessage,
  secret: string | undefined,
  ports: NotifyPorts,
): Promise<{ attempts: number; detail: string }> => {
  const retry = {
    attempts: channel.attempts,
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
          return { status: 'ok', detail: 'published' };
        },
        ports.clock,
        retry,
      );
    }
  }
};

const buildMessage = async (
  input: NotifyInput,
  channel: RuntimeChannel,
  incident: Incident,
  ports: NotifyPorts,
  fallbackFor?: string,
): Promise<AlertMessage> => {
  const { config } = ports;
  const now = ports.clock.now();
  const ackUrl =
    input.kind === 'trigger'
      ? ackLink(config.ackUrl, await ports.ackSecret(), incident.id, channel.name, now + config.ackLinkTtlMs)
      : undefined;
  return {
    kind: input.kind,
    incident,
    level: input.level + 1,
    alarmUrl: alarmConsoleUrl(incident.alarm.alarmName, incident.alarm.region),
    ...(config.dashboardUrl !== undefined ? { dashboardUrl: config.dashboardUrl } : {}),
    ...(ackUrl !== undefined ? { ackUrl } : {}),
    ...(input.state.status.ackedBy !== undefined ? { ackedBy: input.state.status.ackedBy } : {}),
    ...(fallbackFor !== undefined ? { fallbackFor } : {}),
    at: now,
  };
};

/**
 * Delivers one notification (trigger, acknowledge or resolve) to one channel with retries; when the channel
 * still fails, counts the failure and walks its fallback chain. Every attempt lands in the audit trail.
 * Never throws for a delivery failure: the escalation goes on with the other channels and levels.
 */
export const notifyChannel = async (input: NotifyInput, ports: NotifyPorts): Promise<NotifyResult> => {
  const { state } = input;
  const { config } = ports;
  const incident = state.incident;
  const audit = (
    channel: RuntimeChannel,
    record: Pick<AuditRecord, 'outcome' | 'attempts' | 'detail'> & { fallbackFor?: string },
  ) =>
    ports.store.appendAudit({
      incidentId: incident.id,
      at: ports.clock.now(),
      channel: channel.name,
      channelType: channel.type,
      kind: input.kind,
      level: input.level,
      round: state.round,
      ...record,
    });
  const visited = new Set<string>();
  let current: RuntimeChannel | undefined = ownValue(config.channels, input.channel);
  if (current === undefined) throw new EscalationInputError(`unknown channel '${input.channel}'`);
  let fallbackFor: string | undefined;
  while (current !== undefined && !visited.has(current.name)) {
    visited.add(current.name);
    const channel: RuntimeChannel = current;
    try {
      // The ack key (for the signed link) and the channel's secret are resolved at once: on a cold Lambda
      // these are two Secrets Manager calls, one round trip instead of two.
      const [message, secret] = await Promise.all([
        buildMessage(input, channel, incident, ports, fallbackFor),
        secretOf(channel, ports),
      ]);
      const sent = await send(channel, message, secret, ports);
      await audit(channel, {
        outcome: 'delivered',
        attempts: sent.attempts,
        detail: `${fallbackFor !== undefined ? `fallback for ${fallbackFor}: ` : ''}${sent.detail} after ${sent.attempts} attempt${sent.attempts === 1 ? '' : 's'}`,
        ...(fallbackFor !== undefined ? { fallbackFor } : {}),
      });
      return {
        channel: input.channel,
        outcome: fallbackFor === undefined ? 'delivered' : 'fallback',
        deliveredTo: channel.name,
      };
    } catch (error) {
      const attempts = error instanceof EscalationDeliveryError ? error.attempts : 0;
      const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      await audit(channel, {
        outcome: 'failed',
        attempts,
        detail,
        ...(fallbackFor !== undefined ? { fallbackFor } : {}),
      });
      ports.metrics?.notificationFailed(channel.name);
      fallbackFor ??= channel.name;
      current = channel.fallback !== undefined ? ownValue(config.channels, channel.fallback) : undefined;
    }
  }
  return { channel: input.channel, outcome: 'failed' };
};
