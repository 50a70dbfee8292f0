import type { EscalationClock, IncidentStore } from '../types/ports';
import { verifyAckLink } from './ack-link';

/** An HTTP request to the acknowledge endpoint, reduced to what matters. */
export interface AckHttpRequest {
  readonly method: string;
  /** The raw query string (without `?`). */
  readonly query: string;
  /** Form-encoded body of a POST. */
  readonly body?: string;
}

/** The HTML response. */
export interface AckHttpResponse {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

const page = (statusCode: number, title: string, content: string): AckHttpResponse => ({
  statusCode,
  headers: {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
  },
  body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}button{font-size:1.1rem;padding:.6rem 1.2rem}input{font-size:1rem;padding:.4rem;width:100%;box-sizing:border-box}</style></head><body><h1>${escapeHtml(title)}</h1>${content}</body></html>`,
});

/** Longest name accepted as "acknowledged by". */
const MAX_NAME = 80;

/**
 * Serves a signed acknowledge link: GET shows a confirmation form (so link previews and mail scanners that
 * fetch URLs cannot acknowledge), POST records the ack once (conditional write; a second ack shows who was
 * first). Missing parameters give 400, a bad signature 403, an expired link 410, an unknown incident 404.
 */
export const handleAckRequest = async (
  request: AckHttpRequest,
  ports: {
    readonly clock: Pick<EscalationClock, 'now'>;
    readonly store: IncidentStore;
    readonly secret: () => Promise<string>;
  },
): Promise<AckHttpResponse> => {
  const query = new URLSearchParams(request.query);
  const verified = verifyAckLink(query, await ports.secret(), ports.clock.now());
  if (!verified.ok) {
    if (verified.problem === 'missing')
      return page(400, 'Invalid link', '<p>This acknowledge link is incomplete.</p>');
    if (verified.problem === 'expired') {
      return page(
        410,
        'Link expired',
        '<p>This acknowledge link has expired. Use the latest notification or PagerDuty.</p>',
      );
    }
    return page(403, 'Invalid link', '<p>This acknowledge link is not valid.</p>');
  }
  const { incident: incidentId, channel } = verified.params;
  const incident = await ports.store.getIncident(incidentId);
  if (incident === undefined) return page(404, 'Unknown incident', '<p>No such incident.</p>');
  const what = `<p><strong>${escapeHtml(incident.rule ?? incident.alarm.alarmName)}</strong> (${escapeHtml(incident.severity)}, team ${escapeHtml(incident.team)}): ${escapeHtml(incident.summary)}</p>`;
  if (request.method.toUpperCase() === 'GET') {
    const existing = await ports.store.getAck(incidentId);
    if (existing !== undefined) {
      return page(
        200,
        'Already acknowledged',
        `${what}<p>Acknowledged by ${escapeHtml(existing.by)} at ${new Date(existing.at).toISOString()}.</p>`,
      );
    }
    return page(
      200,
      'Acknowledge incident?',
      `${what}<form method="post" action="?${escapeHtml(query.toString())}"><p><label>Your name<br><input name="by" maxlength="${MAX_NAME}" autocomplete="name"></label></p><button type="submit">Acknowledge</button></form>`,
    );
  }
  if (request.method.toUpperCase() !== 'POST')
    return page(405, 'Method not allowed', '<p>Use the link from the notification.</p>');
  const form = new URLSearchParams(request.body ?? '');
  const name = [...(form.get('by') ?? '')]
    .filter((char) => char.charCodeAt(0) >= 0x20)
    .join('')
    .trim()
    .slice(0, MAX_NAME);
  const by = name !== '' ? `${name} (via ${channel})` : `someone via ${channel}`;
  const { ack, created } = await ports.store.recordAck({
    incidentId,
    by,
    at: ports.clock.now(),
    via: 'link',
    channel,
  });
  return page(
    200,
    created ? 'Acknowledged' : 'Already acknowledged',
    `${what}<p>Acknowledged by ${escapeHtml(ack.by)} at ${new Date(ack.at).toISOString()}. Escalation stops at the next check.</p>`,
  );
};
