import type { ContactMethod } from '../../commons/config/oncall-schema';
import { ownValue } from '../../commons/own-value';
import type { Severity } from '../../commons/severity';
import { resolveOnCall } from '../../oncall/core/resolve-on-call';
import type { AuditRecord, NotificationSend, ScheduledPage } from '../types/incident';
import type { OverrideReader } from '../types/ports';
import type { EscalationRuntimeConfig, RuntimeLevel } from '../types/runtime-config';

/**
 * Name of the channel that reaches a person by one contact method: `@<person>/<method>`. Channel names in
 * config cannot start with `@`, so a person channel never shadows a configured one.
 */
export const personChannel = (person: string, method: ContactMethod): string => `@${person}/${method}`;

/** The person a person channel reaches; `undefined` for a configured channel. */
export const personOfChannel = (channel: string): string | undefined =>
  channel.startsWith('@') && channel.includes('/') ? channel.slice(1, channel.indexOf('/')) : undefined;

/** Who a level pages, and why no one when a schedule had nobody on call. */
export interface LevelPeople {
  /** Person ids, each once, in the order the level names them. */
  readonly people: readonly string[];
  /** Schedules with nobody on call at that instant. */
  readonly empty: readonly string[];
}

/**
 * The people a level targets at an instant: its people, the members of its on-call teams, and the person on
 * call for each of its schedules (config plus run-time overrides; a team fallback pages the team's members).
 */
export const levelPeople = async (
  config: Pick<EscalationRuntimeConfig, 'schedules' | 'oncallTeams'>,
  level: RuntimeLevel,
  at: number,
  overrides?: OverrideReader,
): Promise<LevelPeople> => {
  const found: string[] = [...(level.people ?? [])];
  const empty: string[] = [];
  const teamMembers = (team: string) => ownValue(config.oncallTeams ?? {}, team) ?? [];
  for (const team of level.teams ?? []) found.push(...teamMembers(team));
  for (const id of level.schedules ?? []) {
    const schedule = ownValue(config.schedules ?? {}, id);
    if (schedule === undefined) {
      empty.push(id);
      continue;
    }
    const runTime = overrides !== undefined ? await overrides(id) : [];
    const onCall = resolveOnCall(schedule, runTime, at);
    if (onCall.kind === 'nobody') empty.push(id);
    else if (onCall.person !== undefined) found.push(onCall.person);
    else found.push(...teamMembers(onCall.team));
  }
  return { people: [...new Set(found)], empty };
};

/**
 * Pages people through their notification rules for a severity: the steps due at once become sends, the
 * later ones (and, with `repeatEveryMs`, every step again after that long) scheduled pages.
 */
export const pagePeople = (
  config: Pick<EscalationRuntimeConfig, 'people'>,
  people: readonly string[],
  severity: Severity,
  level: number,
  now: number,
  repeatEveryMs?: number,
): { sends: NotificationSend[]; scheduled: ScheduledPage[] } => {
  const sends: NotificationSend[] = [];
  const scheduled: ScheduledPage[] = [];
  const repeat = repeatEveryMs !== undefined ? { repeatEveryMs } : {};
  for (const id of people) {
    for (const step of ownValue(config.people ?? {}, id)?.rules[severity] ?? []) {
      if (step.afterMs <= 0) {
        sends.push({ channel: step.channel, kind: 'trigger', level });
        if (repeatEveryMs !== undefined)
          scheduled.push({ channel: step.channel, level, at: now + repeatEveryMs, ...repeat, reminder: 1 });
      } else scheduled.push({ channel: step.channel, level, at: now + step.afterMs, ...repeat });
    }
  }
  return { sends, scheduled };
};

/**
 * The scheduled pages due at `now` as sends, and what stays scheduled: those not yet due, and a reminder
 * (`repeatEveryMs`) for each one sent.
 */
export const duePages = (
  scheduled: readonly ScheduledPage[],
  now: number,
): { sends: NotificationSend[]; scheduled: ScheduledPage[] } => {
  const due = scheduled.filter((page) => page.at <= now);
  const later = scheduled.filter((page) => page.at > now);
  for (const page of due) {
    if (page.repeatEveryMs === undefined) continue;
    const next = page.at + page.repeatEveryMs;
    later.push({
      ...page,
      at: next > now ? next : now + page.repeatEveryMs,
      reminder: (page.reminder ?? 0) + 1,
    });
  }
  return {
    sends: due.map(
      (page): NotificationSend => ({
        channel: page.channel,
        kind: 'trigger',
        level: page.level,
        ...(page.reminder !== undefined ? { reminder: page.reminder } : {}),
      }),
    ),
    scheduled: later,
  };
};

/**
 * Who gets an incident's follow-ups (acknowledge, resolve), from the channels that received its trigger
 * (first-notified order): every configured channel, and each paged person once, through the first method
 * that reached them other than a voice call (a call only when nothing else reached them).
 */
export const followUpTargets = (notified: readonly string[], audit: readonly AuditRecord[]): string[] => {
  const byPerson = new Map<string, string>();
  const out: string[] = [];
  for (const channel of notified) {
    const person = personOfChannel(channel);
    if (person === undefined) {
      out.push(channel);
      continue;
    }
    const chosen = byPerson.get(person);
    if (chosen === undefined || (chosen.endsWith('/voice') && !channel.endsWith('/voice')))
      byPerson.set(person, channel);
  }
  // Once a person's follow-up went to one of their channels, it stays that channel.
  for (const [person, chosen] of byPerson) {
    const told = audit.find(
      (record) =>
        record.kind !== 'trigger' &&
        record.kind !== 'flap' &&
        record.outcome === 'delivered' &&
        personOfChannel(record.channel) === person,
    );
    out.push(told?.channel ?? chosen);
  }
  return out;
};
