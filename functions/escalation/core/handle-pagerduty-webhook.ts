import { headerValue } from '../../commons/http-headers';
import type { EscalationClock, IncidentStore, SignedWebhookRequest } from '../types/ports';
import { verifyPagerDutySignature } from './pagerduty-signature';
import { parsePagerDutyWebhookEvent } from './pagerduty-webhook-event';

/** A PagerDuty V3 webhook delivery. */
export type PagerDutyWebhookRequest = SignedWebhookRequest;

/** What happened to a delivery. */
export type PagerDutyWebhookOutcome =
  | 'acknowledged'
  | 'already-acknowledged'
  | 'ignored'
  | 'stale'
  | 'rejected'
  | 'unavailable';

/** The HTTP response plus what to log. */
export interface PagerDutyWebhookResult {
  readonly response: {
    readonly statusCode: number;
    readonly headers: Readonly<Record<string, string>>;
    readonly body: string;
  };
  readonly outcome: PagerDutyWebhookOutcome;
  readonly detail: string;
  /** PagerDuty's event id, once the body parsed. */
  readonly eventId?: string;
  /** The Vigil incident the event mapped to. */
  readonly incidentId?: string;
}

/** The ports {@link handlePagerDutyWebhook} needs. */
export interface PagerDutyWebhookPorts {
  readonly clock: Pick<EscalationClock, 'now'>;
  readonly store: IncidentStore;
  /** The PagerDuty channels that have a webhook signing secret. */
  readonly channels: readonly string[];
  /** Resolves a channel's signing secret (cached by the caller). */
  readonly secret: (channel: string) => Promise<string>;
}

/**
 * How far an event's `occurred_at` may lie from the receive time, either way, for it to be acted on: PagerDuty
 * delivers within seconds, so an older event is a replay of a captured delivery (its signature stays valid
 * forever) or a retry long after the escalation moved on; escalating on is the safe side.
 */
export const PAGERDUTY_EVENT_MAX_SKEW_MS = 10 * 60_000;

/** Longest name accepted as "acknowledged by" (as for ack links). */
const MAX_NAME = 80;

const SIGNATURE_HEADER = 'x-pagerduty-signature';

const result = (
  statusCode: number,
  outcome: PagerDutyWebhookOutcome,
  detail: string,
  extra: { eventId?: string; incidentId?: string; ackedBy?: string } = {},
): PagerDutyWebhookResult => ({
  response: {
    statusCode,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
    body: JSON.stringify({
      outcome,
      detail,
      ...(extra.ackedBy !== undefined ? { ackedBy: extra.ackedBy } : {}),
    }),
  },
  outcome,
  detail,
  ...(extra.eventId !== undefined ? { eventId: extra.eventId } : {}),
  ...(extra.incidentId !== undefined ? { incidentId: extra.incidentId } : {}),
});

const displayName = (name: string | undefined): string =>
  [...(name ?? '')]
    .filter((char) => char.charCodeAt(0) >= 0x20 && char.charCodeAt(0) !== 0x7f)
    .join('')
    .trim()
    .slice(0, MAX_NAME);

/**
 * Receives a PagerDuty V3 webhook: verifies `X-PagerDuty-Signature` against every configured channel's
 * signing secret, and for `incident.acknowledged` records an ack by the PagerDuty agent on the Vigil
 * incident whose id is the PagerDuty incident's `incident_key` (the `dedup_key` Vigil triggered with) through
 * the same conditional write as ack links, so the next status check stops escalating and tells the other
 * notified channels who acked. Redeliveries and Vigil's own `acknowledge` echoing back are harmless: the first
 * ack stands.
 *
 * An acknowledgement whose `occurred_at` lies more than {@link PAGERDUTY_EVENT_MAX_SKEW_MS} from now, either
 * way, is not acted on (outcome `stale`): a signed body stays valid forever, so this is what stops a replay.
 *
 * Status codes: 405 for a method other than POST; 401 for a missing or forged signature; 503 when a signing
 * secret cannot be read (PagerDuty retries 5xx); 400 for a body that is not a V3 event; 200 otherwise,
 * including events that are ignored (other event types, stale events, incidents Vigil did not open), because
 * PagerDuty disables a subscription after repeated 4xx answers.
 */
export const handlePagerDutyWebhook = async (
  request: PagerDutyWebhookRequest,
  ports: PagerDutyWebhookPorts,
): Promise<PagerDutyWebhookResult> => {
  if (request.method.toUpperCase() !== 'POST')
    return result(405, 'rejected', 'PagerDuty webhooks are delivered with POST');
  const signature = headerValue(request.headers, SIGNATURE_HEADER);
  if (signature === undefined || !signature.includes('v1='))
    return result(401, 'rejected', 'missing X-PagerDuty-Signature header with a v1 signature');
  const settled = await Promise.allSettled(
    ports.channels.map(async (channel) => [channel, await ports.secret(channel)] as const),
  );
  const secrets: Record<string, string> = {};
  const unavailable: string[] = [];
  settled.forEach((outcome, index) => {
    if (outcome.status === 'fulfilled') secrets[outcome.value[0]] = outcome.value[1];
    else unavailable.push(ports.channels[index] ?? '');
  });
  const verified = verifyPagerDutySignature(request.body, signature, secrets);
  if (!verified.ok) {
    if (unavailable.length > 0) {
      return result(
        503,
        'unavailable',
        `cannot read the webhook signing secret of ${unavailable.map((name) => `'${name}'`).join(', ')}; retry later`,
      );
    }
    return result(401, 'rejected', 'X-PagerDuty-Signature does not match any configured signing secret');
  }
  const bodyText =
    typeof request.body === 'string' ? request.body : Buffer.from(request.body).toString('utf8');
  const parsed = parsePagerDutyWebhookEvent(bodyText);
  if (!parsed.ok) return result(400, 'rejected', `malformed PagerDuty webhook: ${parsed.problem}`);
  const { event } = parsed;
  if (event.eventType !== 'incident.acknowledged')
    return result(200, 'ignored', `event type '${event.eventType}' is not handled`, { eventId: event.id });
  const now = ports.clock.now();
  // The parser guarantees a parseable occurred_at on incident.acknowledged.
  const occurred = Date.parse(event.occurredAt ?? '');
  if (!(Math.abs(occurred - now) <= PAGERDUTY_EVENT_MAX_SKEW_MS)) {
    return result(
      200,
      'stale',
      `event occurred at ${event.occurredAt}, more than ${PAGERDUTY_EVENT_MAX_SKEW_MS / 60_000} minutes from the receive time ${new Date(now).toISOString()}; ignored as stale or replayed`,
      { eventId: event.id },
    );
  }
  const incidentId = event.incident?.incidentKey;
  if (incidentId === undefined) {
    return result(200, 'ignored', `PagerDuty incident ${event.incident?.id} has no incident_key`, {
      eventId: event.id,
    });
  }
  if ((await ports.store.getIncident(incidentId)) === undefined) {
    return result(200, 'ignored', `incident_key '${incidentId}' is not a Vigil incident`, {
      eventId: event.id,
    });
  }
  const agent = displayName(event.agent?.summary);
  const { ack, created } = await ports.store.recordAck({
    incidentId,
    by: `${agent !== '' ? agent : 'PagerDuty'} (via ${verified.signer})`,
    at: Math.min(occurred, now),
    via: 'pagerduty',
    channel: verified.signer,
  });
  return result(
    200,
    created ? 'acknowledged' : 'already-acknowledged',
    `acknowledged by ${ack.by} at ${new Date(ack.at).toISOString()}`,
    { eventId: event.id, incidentId, ackedBy: ack.by },
  );
};
