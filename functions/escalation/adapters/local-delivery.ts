import { ownValue } from '../../commons/own-value';
import { SecretResolutionError } from '../../commons/secret-resolver';
import type {
  ChannelSecretResolver,
  DirectPager,
  HttpPort,
  PageRecipient,
  TopicPublisher,
} from '../types/ports';
import type { RuntimeChannel } from '../types/runtime-config';

/** URL scheme meaning "print instead of sending" in local runs. */
export const CONSOLE_SCHEME = 'console:';

/** Environment variables a local run reads per channel type for real delivery. */
export const LOCAL_CHANNEL_ENV = {
  /** Slack incoming-webhook URL. */
  slack: 'VIGIL_SLACK_WEBHOOK_URL',
  /** PagerDuty Events API v2 routing key. */
  pagerduty: 'VIGIL_PAGERDUTY_ROUTING_KEY',
  /** Teams Workflows webhook URL. */
  teams: 'VIGIL_TEAMS_WEBHOOK_URL',
  /** Generic webhook URL. */
  webhook: 'VIGIL_WEBHOOK_URL',
} as const;

/**
 * Resolves channel secrets locally: the channel's configured reference when `configured` can supply it (e.g.
 * from `VIGIL_SECRET_<REF>`, as `vigil check` reads secrets), else the environment variable of its type
 * (`VIGIL_SLACK_WEBHOOK_URL` ...); a channel with neither is delivered to the console. PagerDuty without a
 * routing key goes to the console too.
 */
export const envChannelSecrets =
  (
    channels: Readonly<Record<string, RuntimeChannel>>,
    env: Readonly<Record<string, string | undefined>>,
    configured?: ChannelSecretResolver,
  ): ChannelSecretResolver =>
  async (name) => {
    const channel = ownValue(channels, name);
    if (configured !== undefined && channel?.secret !== undefined) {
      try {
        return await configured(name);
      } catch (error) {
        // Not supplied locally: the type's VIGIL_* variable or the console stands in.
        if (!(error instanceof SecretResolutionError)) throw error;
      }
    }
    const variable = channel !== undefined ? ownValue<string>(LOCAL_CHANNEL_ENV, channel.type) : undefined;
    const value = variable !== undefined ? ownValue(env, variable) : undefined;
    return value !== undefined && value !== '' ? value : `${CONSOLE_SCHEME}${name}`;
  };

/**
 * An {@link HttpPort} that prints requests to `console:` URLs (and PagerDuty events whose routing key, or
 * Slack DMs whose bot token, is a `console:` placeholder) through `print`, and sends every other request with `send`.
 */
export const consoleAwareHttp =
  (send: HttpPort, print: (channel: string, body: string) => void): HttpPort =>
  async (request) => {
    if (request.url.startsWith(CONSOLE_SCHEME)) {
      print(request.url.slice(CONSOLE_SCHEME.length), request.body);
      return { status: 200, headers: {}, body: 'printed', printed: true };
    }
    // A Slack DM whose bot token is a `console:` placeholder (no token locally).
    const token = /^Bearer console:(.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (token !== undefined) {
      print(token, request.body);
      return { status: 200, headers: {}, body: '{"ok":true,"ts":"printed"}', printed: true };
    }
    const routingKey = /"routing_key":"console:([^"]+)"/.exec(request.body)?.[1];
    if (routingKey !== undefined) {
      print(routingKey, request.body);
      return { status: 202, headers: {}, body: 'printed', printed: true };
    }
    return send(request);
  };

/** A {@link TopicPublisher} that prints email/SMS messages instead of publishing them. */
export const consoleTopics = (print: (channel: string, body: string) => void): TopicPublisher => ({
  prints: true,
  async publish(topicArn, subject, message) {
    print(topicArn.split(':').pop() ?? topicArn, `${subject}\n${message}`);
  },
});

/**
 * A {@link DirectPager} that prints each page (`SMS to Alice Martin (+447700900001)`) instead of sending it:
 * local mode and the demo.
 */
export const consolePager = (print: (line: string, body: string) => void): DirectPager => {
  let count = 0;
  const page = (method: string, recipient: PageRecipient, body: string) => {
    count += 1;
    print(`${method} to ${recipient.name} (${recipient.to})`, body);
    return Promise.resolve(`local-${count}`);
  };
  return {
    prints: true,
    sendText: (recipient, text) => page('SMS', recipient, text),
    callVoice: (recipient, ssml) => page('Voice call', recipient, ssml),
    sendEmail: (recipient, subject, text) => page('Email', recipient, `${subject}\n${text}`),
  };
};
