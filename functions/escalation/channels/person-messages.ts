import { type AlertMessage, statusText } from './alert-message';
import { clip, oneLine } from './message-text';
import { slackMessage } from './slack-message';

/**
 * `action_id`s of the interactive buttons on a Slack direct page; each button's `value` is the incident id.
 * Slack's interactivity request names them, so the endpoint that receives clicks knows what was asked.
 */
export const SLACK_PAGE_ACTIONS = {
  /** Acknowledge the incident. */
  acknowledge: 'vigil_acknowledge',
  /** Resolve the incident. */
  resolve: 'vigil_resolve',
} as const;

/** Longest text Vigil has Polly read in one call (SendVoiceMessage takes up to 6,000 characters of SSML). */
const VOICE_TEXT_MAX = 600;

const xml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (char) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' }[char]};`,
  );

/** Letters and digits spoken one by one (`ab12` -> `a b 1 2`), so a short id is understood on a call. */
const spell = (text: string): string => [...text].join(' ');

/**
 * The SSML a voice page reads: what is down, the severity and team, and how to acknowledge (the link in the
 * text or email page, or a reply `ACK` to the text message), said twice. Every value from the alarm is
 * XML-escaped, bounded and on one line, so an alarm's text cannot inject SSML.
 *
 * @example
 * // '<speak>This is Vigil. Critical alert for team payments. ServiceDown: Service is down. ...</speak>'
 */
export const voiceSsml = (message: AlertMessage): string => {
  const { incident } = message;
  const what = xml(
    clip(oneLine(`${incident.rule ?? incident.alarm.alarmName}: ${incident.summary}`), VOICE_TEXT_MAX),
  );
  const team = xml(clip(oneLine(incident.team), 60));
  const head =
    message.kind === 'trigger'
      ? `${incident.severity} alert for team ${team}.`
      : `${statusText(message.kind).toLowerCase()}${message.ackedBy !== undefined && message.kind === 'acknowledge' ? ` by ${xml(clip(oneLine(message.ackedBy), 60))}` : ''}, team ${team}.`;
  const how =
    message.kind === 'trigger'
      ? ` To acknowledge, open the link in the text message or email, or reply A C K to the text message. Incident ${xml(spell(incident.id.slice(-4)))}.`
      : '';
  const body = `${head} ${what}.${how}`;
  return `<speak>This is Vigil. ${body} <break time="1s"/> Again: ${body}</speak>`;
};

/**
 * A Slack direct message (`chat.postMessage` to a member id): the channel message's blocks, plus
 * **Acknowledge** and **Resolve** buttons on a page, each carrying the incident id as its value.
 */
export const slackDirectMessage = (message: AlertMessage, memberId: string): Record<string, unknown> => {
  const payload = slackMessage(message);
  const attachments = (payload.attachments as { color: string; blocks: unknown[] }[]).map((attachment) => {
    if (message.kind !== 'trigger') return attachment;
    const blocks = [...attachment.blocks];
    const actions = {
      type: 'actions',
      block_id: 'vigil_page',
      elements: [
        {
          type: 'button',
          action_id: SLACK_PAGE_ACTIONS.acknowledge,
          style: 'danger',
          text: { type: 'plain_text', text: 'Acknowledge' },
          value: message.incident.id,
        },
        {
          type: 'button',
          action_id: SLACK_PAGE_ACTIONS.resolve,
          text: { type: 'plain_text', text: 'Resolve' },
          value: message.incident.id,
        },
      ],
    };
    // Before the footer (the last block).
    blocks.splice(Math.max(0, blocks.length - 1), 0, actions);
    return { ...attachment, blocks };
  });
  return { channel: memberId, ...payload, attachments };
};
