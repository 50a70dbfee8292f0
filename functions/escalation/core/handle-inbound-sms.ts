import type { PersonPage } from '../types/incident';
import type { EscalationClock, IncidentStore, PageLog } from '../types/ports';
import { incidentShortId, sameShortId } from './incident-short-id';
import { incidentClaimKey } from './quorum';

/**
 * An inbound SMS as AWS End User Messaging SMS (two-way SMS) publishes it to the SNS topic: the SNS message
 * body is this JSON.
 */
export interface InboundSms {
  /** The sender's number (E.164). */
  readonly originationNumber: string;
  /** The Vigil number the message was sent to (E.164): the reply goes out from it. */
  readonly destinationNumber: string;
  readonly messageBody: string;
  readonly inboundMessageId?: string;
}

/** An SMS reply to send. */
export interface SmsReply {
  readonly to: string;
  /** The origination identity (the number the person texted). */
  readonly from: string;
  readonly body: string;
}

/** A person who may answer pages by SMS. */
export interface SmsResponder {
  readonly personId: string;
  readonly name: string;
}

/** The ports {@link handleInboundSms} needs. */
export interface InboundSmsPorts {
  readonly clock: Pick<EscalationClock, 'now'>;
  readonly store: IncidentStore;
  readonly pages: PageLog;
  /** People by their `contact.sms` number (E.164). */
  readonly people: Readonly<Record<string, SmsResponder>>;
  /** Sends an SMS (End User Messaging `SendTextMessage`). */
  readonly reply: (reply: SmsReply) => Promise<void>;
}

/**
 * What happened: `acknowledged` (recorded now), `already-acknowledged` (an earlier ack stands), `help` (not
 * an ACK: a short help reply went out), `no-open-page` (ACK, but no open page matched: told so), `refused`
 * (an unknown sender or a malformed message: nothing changed, no reply).
 */
export type InboundSmsOutcome = 'acknowledged' | 'already-acknowledged' | 'help' | 'no-open-page' | 'refused';

/** What to log (the audit trail of every inbound SMS). */
export interface InboundSmsResult {
  readonly outcome: InboundSmsOutcome;
  readonly detail: string;
  readonly personId?: string;
  readonly incidentId?: string;
  readonly inboundMessageId?: string;
}

/** Pages looked at for an `ACK`: a person's open pages are few, older ones are long resolved. */
export const SMS_ACK_PAGE_WINDOW = 50;

/** The help reply. */
export const SMS_HELP_TEXT =
  'Vigil: reply ACK to acknowledge your latest page, or ACK <code> for the page with that code.';

const ACK_COMMAND = /^\s*ack(?:\s+([a-z0-9]{1,12}))?\s*[.!]?\s*$/i;

/**
 * Reads an SNS message body as an {@link InboundSms}; a problem string when it is not one.
 *
 * @example
 * parseInboundSms('{"originationNumber":"+447700900001","destinationNumber":"+447700900999","messageBody":"ACK"}');
 */
export const parseInboundSms = (message: string): InboundSms | string => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    return 'the SNS message is not JSON';
  }
  if (typeof parsed !== 'object' || parsed === null) return 'the SNS message is not an object';
  const value = parsed as Record<string, unknown>;
  const problems = (['originationNumber', 'destinationNumber', 'messageBody'] as const)
    .filter((key) => typeof value[key] !== 'string')
    .map((key) => `${key} is missing`);
  if (problems.length > 0) return problems.join('; ');
  return {
    originationNumber: value.originationNumber as string,
    destinationNumber: value.destinationNumber as string,
    messageBody: (value.messageBody as string).slice(0, 1_600),
    ...(typeof value.inboundMessageId === 'string' ? { inboundMessageId: value.inboundMessageId } : {}),
  };
};

/**
 * Handles a reply to an SMS page. `ACK` (any case, spaces around) from a person's `contact.sms` number
 * acknowledges that person's most recent open page; `ACK <code>` the open page whose
 * {@link incidentShortId} is `<code>`. The ack goes through the same conditional write as every other path,
 * so the next status check stops every pending notification. Anything else from a person gets
 * {@link SMS_HELP_TEXT}. A message from a number that is no person's is refused without a reply (strangers
 * learn nothing), as is a malformed one; the result is the audit record to log.
 */
export const handleInboundSms = async (
  message: string,
  ports: InboundSmsPorts,
): Promise<InboundSmsResult> => {
  const sms = parseInboundSms(message);
  if (typeof sms === 'string') return { outcome: 'refused', detail: `malformed inbound SMS: ${sms}` };
  const id = sms.inboundMessageId !== undefined ? { inboundMessageId: sms.inboundMessageId } : {};
  const person = Object.hasOwn(ports.people, sms.originationNumber)
    ? ports.people[sms.originationNumber]
    : undefined;
  if (person === undefined)
    return {
      outcome: 'refused',
      detail: 'SMS from a number that is no person’s contact.sms: ignored',
      ...id,
    };
  const who = { ...id, personId: person.personId };
  const send = async (body: string): Promise<string> => {
    try {
      await ports.reply({ to: sms.originationNumber, from: sms.destinationNumber, body });
      return 'replied';
    } catch (error) {
      return `reply failed: ${(error as Error).message}`;
    }
  };
  const command = ACK_COMMAND.exec(sms.messageBody);
  if (command === null)
    return { outcome: 'help', detail: `not an ACK; help ${await send(SMS_HELP_TEXT)}`, ...who };
  const code = command[1];
  const page = await openPage(ports, person.personId, code);
  if (page === undefined) {
    const text =
      code === undefined
        ? 'Vigil: you have no open page to acknowledge.'
        : `Vigil: no open page of yours has code ${code.toUpperCase()}. ${SMS_HELP_TEXT.slice('Vigil: '.length)}`;
    return {
      outcome: 'no-open-page',
      detail: `ACK ${code ?? ''} matched no open page; ${await send(text)}`,
      ...who,
    };
  }
  const { ack, created } = await ports.store.recordAck({
    incidentId: page.incidentId,
    by: `${person.name} (via SMS)`,
    at: ports.clock.now(),
    via: 'sms',
  });
  const shortId = incidentShortId(page.incidentId);
  const text = created
    ? `Vigil: acknowledged ${shortId}. Escalation stops.`
    : `Vigil: ${shortId} was already acknowledged by ${ack.by}.`;
  return {
    outcome: created ? 'acknowledged' : 'already-acknowledged',
    detail: `${created ? 'acknowledged' : `already acknowledged by ${ack.by}`}; ${await send(text)}`,
    ...who,
    incidentId: page.incidentId,
  };
};

/** The person's newest page that is still open (its incident holds its alarm) and matches `code`, if given. */
const openPage = async (
  ports: InboundSmsPorts,
  personId: string,
  code: string | undefined,
): Promise<PersonPage | undefined> => {
  const pages = await ports.pages.recentPages(personId, SMS_ACK_PAGE_WINDOW);
  const seen = new Set<string>();
  for (const page of pages) {
    if (seen.has(page.incidentId)) continue;
    seen.add(page.incidentId);
    if (code !== undefined && !sameShortId(code, incidentShortId(page.incidentId))) continue;
    const incident = await ports.store.getIncident(page.incidentId);
    if (incident === undefined) continue;
    const claim = await ports.store.getAlarmClaim(incidentClaimKey(incident));
    if (claim?.incidentId === page.incidentId) return page;
  }
  return undefined;
};
