/**
 * Making alarm text safe to put in a message. Everything an alarm carries (name, description, state reason,
 * tags) and everything an acker types is written by someone other than the config's author — anyone with
 * `PutMetricAlarm`, `SetAlarmState` or `sns:Publish` on the ingress topic — so it is bounded, made one line
 * where a line break would forge another field, and escaped for the channel that shows it.
 */

/** Longest value Vigil takes from an alarm field, in UTF-16 code units (CloudWatch's own limits). */
export const FIELD_MAX = {
  /** Alarm names: CloudWatch allows 255. */
  name: 255,
  /** State reasons: CloudWatch allows 1,023. */
  reason: 1023,
  /** Summaries and descriptions: CloudWatch allows 1,024 for a description. */
  summary: 1024,
  /** Team, rule, channel and acker names. */
  label: 128,
} as const;

/** The ellipsis ending a clipped text. */
export const ELLIPSIS = '…';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Replaces lone surrogates (not valid Unicode, rejected by some receivers) with U+FFFD. */
export const wellFormed = (text: string): string => text.replace(LONE_SURROGATE, '\uFFFD');

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;

/**
 * Trims text to at most `max` UTF-16 code units (so to at most `max` characters however a receiver counts
 * them), ending it with `ellipsis` when cut, and never cutting a surrogate pair in half.
 *
 * @example
 * clip('disk full on host-1', 10); // 'disk full…'
 */
export const clip = (text: string, max: number, ellipsis: string = ELLIPSIS): string => {
  const whole = wellFormed(text);
  if (whole.length <= max) return whole;
  let end = Math.max(0, max - ellipsis.length);
  if (end > 0 && isHighSurrogate(whole.charCodeAt(end - 1))) end -= 1;
  return `${whole.slice(0, end)}${ellipsis}`;
};

// Control characters (C0, DEL, C1), the Unicode line/paragraph separators and the bidi overrides and
// isolates (which can make text display in another order than it is read).
const BREAKS = /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]+/gu;
const BREAKS_BUT_LINE_FEED = /(?:(?!\n)[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069])+/gu;

/** Turns line breaks, control characters and bidi controls into single spaces, so a value stays on its line. */
export const oneLine = (text: string): string => text.replace(BREAKS, ' ');

/** Like {@link oneLine} but keeps line feeds (for multi-line fields such as a state reason). */
export const keepLines = (text: string): string =>
  text.replace(/\r\n?/g, '\n').replace(BREAKS_BUT_LINE_FEED, ' ');

const SLACK_ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/**
 * Escapes Slack's three control characters (`&`, `<`, `>`), so `<!channel>`, `<@U123>` or
 * `<https://x|Acknowledge>` in an alarm field shows as text instead of notifying or linking.
 */
export const escapeSlack = (text: string): string =>
  text.replace(/[&<>]/g, (char) => SLACK_ENTITIES[char] ?? char);

/**
 * Escapes and bounds a value for Slack mrkdwn: at most `max` code units after escaping, cut between
 * characters (never inside an entity such as `&amp;` or a surrogate pair).
 *
 * @example
 * slackText('<!channel> disk full', 100); // '&lt;!channel&gt; disk full'
 */
export const slackText = (text: string, max: number): string => {
  const escaped = escapeSlack(wellFormed(text));
  if (escaped.length <= max) return escaped;
  let out = '';
  for (const char of wellFormed(text)) {
    const piece = SLACK_ENTITIES[char] ?? char;
    if (out.length + piece.length > max - ELLIPSIS.length) break;
    out += piece;
  }
  return `${out}${ELLIPSIS}`;
};

/** Longest link Vigil puts in a message (Slack's button URL limit is 3,000). */
export const LINK_MAX = 2000;

/**
 * The link as a normalised `https:` or `http:` URL safe inside Slack's `<url|text>` syntax (`|` encoded), or
 * `undefined` when it is not such a URL or is longer than {@link LINK_MAX}: a message never carries a
 * `javascript:` or malformed link.
 */
export const webLink = (url: string | undefined): string | undefined => {
  if (url === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
  const href = parsed.href.replace(/\|/g, '%7C');
  return href.length <= LINK_MAX ? href : undefined;
};
