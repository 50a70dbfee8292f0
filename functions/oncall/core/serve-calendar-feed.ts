import { createHash, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../commons/clock';
import type { OnCallConfig } from '../../commons/config/oncall-schema';
import type { OverrideStore } from '../types/ports';
import { feedShifts, icalFeed, icalPersonFeed } from './ical-feed';

const DAY_MS = 86_400_000;
/** How far back a subscribed feed shows shifts. */
export const CALENDAR_FEED_PAST_DAYS = 30;
/** How far ahead a subscribed feed shows shifts. */
export const CALENDAR_FEED_AHEAD_DAYS = 90;
/** How long a calendar client (or proxy between) may keep a feed, in seconds. */
export const CALENDAR_FEED_MAX_AGE_S = 900;
/** The path prefix of every feed: `/ical/<subscriber>/<token>.ics`. */
export const CALENDAR_FEED_PREFIX = '/ical/';

/** The path of a subscriber's feed under the Function URL: `/ical/<subscriber>/<token>.ics`. */
export const calendarFeedPath = (subscriber: string, token: string): string =>
  `${CALENDAR_FEED_PREFIX}${subscriber}/${encodeURIComponent(token)}.ics`;

/** The Secrets Manager name of a subscriber's token (created by the deploy, read by `vigil oncall calendar-url`). */
export const calendarTokenSecretName = (app: string, subscriber: string): string =>
  `vigil/${app}/oncall-calendar/${subscriber}`;

/** The part of a Function URL request a feed answer depends on. */
export interface CalendarFeedRequest {
  readonly method: string;
  /** The raw path, e.g. `/ical/alice-phone/Ab12….ics`. */
  readonly path: string;
}

/** An HTTP answer in the Function URL response shape. */
export interface CalendarFeedResponse {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** The ports of {@link serveCalendarFeed}. */
export interface CalendarFeedDeps {
  /** People, schedules and calendar subscribers, as parsed from the config. */
  readonly config: Pick<OnCallConfig, 'people' | 'schedules' | 'calendars'>;
  /** Every subscriber's secret token, by subscriber name (Secrets Manager when deployed). */
  readonly tokens: () => Promise<Readonly<Record<string, string>>>;
  /** Run-time overrides (the on-call table when deployed). */
  readonly overrides: Pick<OverrideStore, 'listOverrides'>;
  readonly clock: Pick<Clock, 'now'>;
}

const NOT_FOUND: CalendarFeedResponse = {
  statusCode: 404,
  headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
  body: 'Not found\n',
};
const PATH = /^\/ical\/([A-Za-z0-9][A-Za-z0-9_.-]{0,63})\/([^/]{1,256})\.ics$/;
// Compared against when the subscriber is unknown, so an unknown name costs the same work as a wrong token.
const DECOY = createHash('sha256').update(`decoy-${Math.random()}-${Date.now()}`).digest();

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * Whether `given` is the subscriber's token, in time independent of both values: both sides are hashed to 32
 * bytes and compared with `timingSafeEqual`; an unknown subscriber is compared against a decoy.
 */
const tokenMatches = (
  subscriber: string,
  given: string,
  known: boolean,
  tokens: Readonly<Record<string, string>>,
): boolean => {
  const expected = known && Object.hasOwn(tokens, subscriber) ? tokens[subscriber] : undefined;
  const equal = timingSafeEqual(digest(given), expected !== undefined ? digest(expected) : DECOY);
  return equal && expected !== undefined && expected.length > 0;
};

/**
 * Answers `GET|HEAD /ical/<subscriber>/<token>.ics` with the subscriber's on-call calendar (RFC 5545): the
 * shifts of its schedule, or of its person in every schedule, from {@link CALENDAR_FEED_PAST_DAYS} days back
 * to {@link CALENDAR_FEED_AHEAD_DAYS} days ahead, run-time overrides included. Any other path, an unknown
 * subscriber or a wrong token get the same 404 after the same work (the tokens are always read and a
 * constant-time comparison always made); other methods get 405.
 *
 * @example
 * await serveCalendarFeed({ method: 'GET', path: '/ical/alice-phone/Ab12.ics' }, { config, tokens, overrides, clock });
 */
export const serveCalendarFeed = async (
  request: CalendarFeedRequest,
  deps: CalendarFeedDeps,
): Promise<CalendarFeedResponse> => {
  const method = request.method.toUpperCase();
  if (method !== 'GET' && method !== 'HEAD') {
    return {
      statusCode: 405,
      headers: { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' },
      body: 'Method not allowed\n',
    };
  }
  const tokens = await deps.tokens();
  const match = PATH.exec(request.path);
  const subscriber = match?.[1] ?? '';
  const known = match !== null && Object.hasOwn(deps.config.calendars, subscriber);
  if (!tokenMatches(subscriber, match?.[2] ?? '', known, tokens) || !known) return NOT_FOUND;
  const calendar = deps.config.calendars[subscriber]!;

  const now = deps.clock.now();
  const from = now - CALENDAR_FEED_PAST_DAYS * DAY_MS;
  const to = now + CALENDAR_FEED_AHEAD_DAYS * DAY_MS;
  const overrides = await deps.overrides.listOverrides(calendar.schedule);
  const scheduleIds =
    calendar.schedule !== undefined ? [calendar.schedule] : Object.keys(deps.config.schedules);
  const groups = scheduleIds.flatMap((schedule) => {
    const config = Object.hasOwn(deps.config.schedules, schedule)
      ? deps.config.schedules[schedule]
      : undefined;
    if (config === undefined) return [];
    const own = overrides.filter((override) => override.schedule === schedule);
    return [{ schedule, shifts: feedShifts(config, own, from, to) }];
  });
  const feed =
    calendar.person !== undefined
      ? icalPersonFeed({ person: calendar.person, schedules: groups, people: deps.config.people, now })
      : icalFeed({
          schedule: groups[0]?.schedule ?? String(calendar.schedule),
          shifts: groups[0]?.shifts ?? [],
          people: deps.config.people,
          now,
        });
  return {
    statusCode: 200,
    headers: {
      'content-type': 'text/calendar; charset=utf-8',
      'cache-control': `private, max-age=${CALENDAR_FEED_MAX_AGE_S}`,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    },
    body: method === 'HEAD' ? '' : feed,
  };
};
