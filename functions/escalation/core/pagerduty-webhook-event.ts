/** Who or what caused a PagerDuty event (a user acknowledging, a service's integration ...). */
export interface PagerDutyAgent {
  readonly id?: string;
  /** `user_reference`, `service_reference` ... */
  readonly type?: string;
  /** Display name: the user's name for a `user_reference`. */
  readonly summary?: string;
  readonly htmlUrl?: string;
}

/** The incident an `incident.*` event is about. */
export interface PagerDutyIncident {
  /** PagerDuty's incident id (`PGR0VU2`). */
  readonly id: string;
  /** The incident's key: the Events API v2 `dedup_key` of the trigger that opened it (Vigil's incident id). */
  readonly incidentKey?: string;
  readonly status?: string;
  readonly title?: string;
  readonly htmlUrl?: string;
}

/** One PagerDuty V3 webhook event, reduced to what the engine uses. */
export interface PagerDutyWebhookEvent {
  /** Unique event id (also the delivery's `X-Webhook-Id` on retries). */
  readonly id: string;
  /** `incident.acknowledged`, `incident.resolved`, `pagey.ping` ... */
  readonly eventType: string;
  /** ISO time the event occurred. */
  readonly occurredAt?: string;
  readonly agent?: PagerDutyAgent;
  /** Present when `event.data.type` is `incident`. */
  readonly incident?: PagerDutyIncident;
}

/** The outcome of {@link parsePagerDutyWebhookEvent}: the event, or what is wrong with the body. */
export type PagerDutyWebhookParse =
  | { readonly ok: true; readonly event: PagerDutyWebhookEvent }
  | { readonly ok: false; readonly problem: string };

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/** Copies the string fields that are present (PagerDuty sends `null` for absent ones). */
const strings = <K extends string>(
  source: Json,
  fields: Readonly<Record<K, string>>,
): Partial<Record<K, string>> => {
  const result: Partial<Record<K, string>> = {};
  for (const [key, field] of Object.entries(fields) as [K, string][]) {
    const value = text(source[field]);
    if (value !== undefined) result[key] = value;
  }
  return result;
};

/**
 * Parses a PagerDuty V3 webhook body: `{ event: { id, event_type, occurred_at, agent, data } }`. Incident
 * events (`data.type: 'incident'`) must carry `data.id`; `incident.acknowledged` must be about an incident and
 * carry a parseable `occurred_at` (its freshness is judged from it).
 * Other event types are accepted as they are, so the caller can ignore them. Unknown fields are ignored.
 *
 * @example
 * parsePagerDutyWebhookEvent(rawBody);
 * // { ok: true, event: { id: '5ac6...', eventType: 'incident.acknowledged', agent: { summary: 'Ada' }, incident: { id: 'PGR0VU2', incidentKey: 'shop-check-...' } } }
 */
export const parsePagerDutyWebhookEvent = (body: string): PagerDutyWebhookParse => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { ok: false, problem: 'body is not JSON' };
  }
  if (!isObject(parsed) || !isObject(parsed.event))
    return { ok: false, problem: "body has no 'event' object (expected a V3 webhook payload)" };
  const event = parsed.event;
  const id = text(event.id);
  const eventType = text(event.event_type);
  if (id === undefined) return { ok: false, problem: "'event.id' must be a non-empty string" };
  if (eventType === undefined) return { ok: false, problem: "'event.event_type' must be a non-empty string" };
  const occurredAt = text(event.occurred_at);
  const agent = isObject(event.agent)
    ? strings(event.agent, { id: 'id', type: 'type', summary: 'summary', htmlUrl: 'html_url' })
    : undefined;
  let incident: PagerDutyIncident | undefined;
  if (isObject(event.data) && event.data.type === 'incident') {
    const incidentId = text(event.data.id);
    if (incidentId === undefined) return { ok: false, problem: "'event.data.id' must be a non-empty string" };
    incident = {
      id: incidentId,
      ...strings(event.data, {
        incidentKey: 'incident_key',
        status: 'status',
        title: 'title',
        htmlUrl: 'html_url',
      }),
    };
  }
  if (eventType === 'incident.acknowledged' && incident === undefined)
    return { ok: false, problem: "'incident.acknowledged' needs 'event.data' of type 'incident'" };
  if (
    eventType === 'incident.acknowledged' &&
    (occurredAt === undefined || !Number.isFinite(Date.parse(occurredAt)))
  )
    return { ok: false, problem: "'incident.acknowledged' needs 'event.occurred_at' as an ISO 8601 time" };
  return {
    ok: true,
    event: {
      id,
      eventType,
      ...(occurredAt !== undefined ? { occurredAt } : {}),
      ...(agent !== undefined ? { agent } : {}),
      ...(incident !== undefined ? { incident } : {}),
    },
  };
};
