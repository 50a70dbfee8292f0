import { headerValue } from '../../commons/http-headers';
import type { EscalationClock, HttpPort, IncidentStore, SignedWebhookRequest } from '../types/ports';
import { verifySlackSignature } from './slack-signature';

/** The `action_id`s of the buttons a Slack page carries; each button's `value` is the incident id. */
export const SLACK_ACTION_IDS = {
  /** Acknowledge: stops the escalation at its next check. */
  ack: 'ack',
  /** Resolve: stops the escalation like an ack and is audited as a manual resolve request. */
  resolve: 'resolve',
} as const;

/** A button click as Slack delivers it to the interactivity Request URL (an `application/x-www-form-urlencoded` body). */
export type SlackInteractionRequest = SignedWebhookRequest;

/**
 * What happened to a click: `acknowledged` / `resolve-requested` (recorded now), `already-acknowledged` (an
 * earlier ack stands), `ignored` (another kind of interaction), `refused` (forged, replayed, malformed or
 * unknown incident: nothing changed), `unavailable` (the signing secret could not be read).
 */
export type SlackInteractionOutcome =
  | 'acknowledged'
  | 'resolve-requested'
  | 'already-acknowledged'
  | 'ignored'
  | 'refused'
  | 'unavailable';

/** The HTTP response plus what to log (the audit trail of refused requests). */
export interface SlackInteractionResult {
  readonly response: {
    readonly statusCode: number;
    readonly headers: Readonly<Record<string, string>>;
    readonly body: string;
  };
  readonly outcome: SlackInteractionOutcome;
  readonly detail: string;
  readonly incidentId?: string;
  /** The Slack user who clicked, once the payload parsed. */
  readonly slackUser?: string;
}

/** The ports {@link handleSlackInteraction} needs. */
export interface SlackInteractionPorts {
  readonly clock: Pick<EscalationClock, 'now'>;
  readonly store: IncidentStore;
  /** The Slack app's signing secret (cached by the caller). */
  readonly secret: () => Promise<string>;
  /** Posts the message update to the click's `response_url`. */
  readonly http: HttpPort;
  /**
   * URL prefixes a `response_url` may start with; any other is not called (a signed payload is Slack's, but
   * the engine never posts where Slack would not). @default ['https://hooks.slack.com/']
   */
  readonly responseUrlPrefixes?: readonly string[];
  /** Display names by Slack user id (people's `contact.slack`), preferred over the Slack user name. */
  readonly people?: Readonly<Record<string, string>>;
}

const SIGNATURE_HEADER = 'x-slack-signature';
const TIMESTAMP_HEADER = 'x-slack-request-timestamp';
const DEFAULT_PREFIXES = ['https://hooks.slack.com/'] as const;
/** Longest incident id or name accepted. */
const MAX_ID = 200;
const MAX_NAME = 80;
const REPLY_TIMEOUT_MS = 2_500;

const result = (
  statusCode: number,
  outcome: SlackInteractionOutcome,
  detail: string,
  extra: { incidentId?: string; slackUser?: string; ackedBy?: string } = {},
): SlackInteractionResult => ({
  response: {
    statusCode,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
    body: JSON.stringify({ outcome, ...(extra.ackedBy !== undefined ? { ackedBy: extra.ackedBy } : {}) }),
  },
  outcome,
  detail,
  ...(extra.incidentId !== undefined ? { incidentId: extra.incidentId } : {}),
  ...(extra.slackUser !== undefined ? { slackUser: extra.slackUser } : {}),
});

const displayName = (name: string): string =>
  [...name]
    .filter((char) => char.charCodeAt(0) >= 0x20 && char.charCodeAt(0) !== 0x7f)
    .join('')
    .trim()
    .slice(0, MAX_NAME);

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' && value.length <= MAX_ID ? value : undefined;

interface Click {
  readonly action: 'ack' | 'resolve' | 'other';
  readonly incidentId: string;
  readonly userId: string;
  readonly userName: string;
  readonly responseUrl?: string;
}

/** Reads a `block_actions` payload's first action; a problem string when it is not one. */
const parseClick = (body: string): Click | string => {
  const payload = new URLSearchParams(body).get('payload');
  if (payload === null) return 'no payload field in the form body';
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return 'payload is not JSON';
  }
  if (typeof parsed !== 'object' || parsed === null) return 'payload is not an object';
  const value = parsed as Record<string, unknown>;
  if (value.type !== 'block_actions') return `payload type '${String(value.type)}' is not block_actions`;
  const user = (value.user ?? {}) as Record<string, unknown>;
  const userId = text(user.id);
  if (userId === undefined) return 'payload has no user.id';
  const first = Array.isArray(value.actions)
    ? (value.actions[0] as Record<string, unknown> | undefined)
    : undefined;
  const actionId = text(first?.action_id);
  if (first === undefined || actionId === undefined) return 'payload has no actions[0].action_id';
  const action =
    actionId === SLACK_ACTION_IDS.ack ? 'ack' : actionId === SLACK_ACTION_IDS.resolve ? 'resolve' : 'other';
  const incidentId = text(first.value);
  if (action !== 'other' && incidentId === undefined)
    return `action '${actionId}' has no incident id as value`;
  const responseUrl = text(value.response_url);
  return {
    action,
    incidentId: incidentId ?? '',
    userId,
    userName: displayName(text(user.name) ?? text(user.username) ?? userId),
    ...(responseUrl !== undefined ? { responseUrl } : {}),
  };
};

/**
 * Receives a click on a page's **Acknowledge** or **Resolve** button (Slack interactivity, `block_actions`):
 * verifies `X-Slack-Signature` over `v0:<X-Slack-Request-Timestamp>:<raw body>` with the signing secret and a
 * 5-minute timestamp window, then records an ack for the incident the button's value names, by the Slack
 * user, through the same conditional write as every other ack path (the first ack stands), so the next
 * status check stops every pending notification. **Resolve** does the same and is reported as a manual
 * resolve request (the incident itself closes when its alarm returns to OK). Finally it replaces the Slack
 * message through `response_url` with who acknowledged.
 *
 * Forged or replayed (401), malformed (400) and unknown-incident (404) requests change nothing; every answer
 * is the same JSON shape `{ outcome }`, the reason stays in `detail` for the log. 503 when the signing secret
 * cannot be read; 405 for a method other than POST.
 */
export const handleSlackInteraction = async (
  request: SlackInteractionRequest,
  ports: SlackInteractionPorts,
): Promise<SlackInteractionResult> => {
  if (request.method.toUpperCase() !== 'POST') return result(405, 'refused', 'Slack interactions use POST');
  let secret: string;
  try {
    secret = await ports.secret();
  } catch {
    return result(503, 'unavailable', 'cannot read the Slack signing secret; retry later');
  }
  const now = ports.clock.now();
  const verified = verifySlackSignature(
    request.body,
    headerValue(request.headers, TIMESTAMP_HEADER),
    headerValue(request.headers, SIGNATURE_HEADER),
    secret,
    now,
  );
  if (!verified.ok) {
    const why = {
      missing: 'missing X-Slack-Signature or X-Slack-Request-Timestamp',
      stale: 'X-Slack-Request-Timestamp is more than 5 minutes from now: replayed or delayed',
      forged: 'X-Slack-Signature does not match the signing secret',
    }[verified.problem];
    return result(401, 'refused', why);
  }
  const body = typeof request.body === 'string' ? request.body : Buffer.from(request.body).toString('utf8');
  const click = parseClick(body);
  if (typeof click === 'string') return result(400, 'refused', `malformed Slack interaction: ${click}`);
  const who = { slackUser: click.userId };
  if (click.action === 'other') return result(200, 'ignored', 'not an ack or resolve button', who);
  const incident = await ports.store.getIncident(click.incidentId);
  if (incident === undefined) {
    return result(404, 'refused', `'${click.incidentId.slice(0, 80)}' is not a Vigil incident`, {
      ...who,
      incidentId: click.incidentId,
    });
  }
  const name = displayName(ports.people?.[click.userId] ?? click.userName);
  const { ack, created } = await ports.store.recordAck({
    incidentId: incident.id,
    by: `${name} (${click.action === 'resolve' ? 'resolve requested via Slack' : 'via Slack'})`,
    at: now,
    via: 'slack',
  });
  const outcome: SlackInteractionOutcome = !created
    ? 'already-acknowledged'
    : click.action === 'resolve'
      ? 'resolve-requested'
      : 'acknowledged';
  const reply = await replyInSlack(ports, click.responseUrl, {
    replace_original: true,
    text: `${created ? ':white_check_mark:' : ':information_source:'} *${incident.rule ?? incident.alarm.alarmName}* (${incident.severity}): acknowledged by ${ack.by} at ${new Date(ack.at).toISOString()}. Escalation stops at the next check.${outcome === 'resolve-requested' ? ' The incident closes when its alarm returns to OK.' : ''}`,
  });
  return result(200, outcome, `${outcome} by ${ack.by}; ${reply}`, {
    ...who,
    incidentId: incident.id,
    ackedBy: ack.by,
  });
};

const replyInSlack = async (
  ports: SlackInteractionPorts,
  responseUrl: string | undefined,
  message: Record<string, unknown>,
): Promise<string> => {
  if (responseUrl === undefined) return 'no response_url to update the message';
  const prefixes = ports.responseUrlPrefixes ?? DEFAULT_PREFIXES;
  if (!prefixes.some((prefix) => responseUrl.startsWith(prefix)))
    return 'response_url is not a Slack URL: message not updated';
  try {
    const response = await ports.http({
      url: responseUrl,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(message),
      timeoutMs: REPLY_TIMEOUT_MS,
    });
    return response.status < 300 ? 'message updated' : `message update refused with HTTP ${response.status}`;
  } catch (error) {
    return `message update failed: ${(error as Error).message}`;
  }
};
