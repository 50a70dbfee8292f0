import type { VigilConfig } from '../commons/config/schema';
import { shifts } from '../oncall/core/shifts';

/**
 * List prices of paging people (US East (N. Virginia), to US numbers and addresses, free tiers ignored), each
 * with its source page and the date it was read. Kept apart from `price-table.ts` (service prices of the
 * stacks) because these are per message and depend on the destination country: update them together.
 */
export const PAGING_PRICES = {
  asOf: '2026-12-02',
  /** SMS to a US number, per message part: the AWS fee. Source: sources.endUserMessaging, 2026-12-02. */
  smsPartUsd: 0.00581,
  /** SMS to a US number, per message part: the carriers' pass-through fee (10DLC / toll-free, typical). */
  smsCarrierFeePerPartUsd: 0.00302,
  /** Voice (text to speech) to a US number, per minute started. Source: sources.endUserMessaging, 2026-12-02. */
  voiceMinuteUsd: 0.013,
  /** A US toll-free origination number (SMS and voice), per month. Source: sources.endUserMessaging, 2026-12-02. */
  tollFreeNumberMonthUsd: 2,
  /** SES outbound email, per message ($0.10 per 1,000, pay-as-you-go). Source: sources.ses, 2026-12-02. */
  emailUsd: 0.0001,
  sources: {
    endUserMessaging: 'https://aws.amazon.com/end-user-messaging/pricing/',
    ses: 'https://aws.amazon.com/ses/pricing/',
  },
} as const;

/** What the paging estimate assumes; each can be overridden. */
export interface PagingCostAssumptions {
  /** Incidents per month that page people (`vigil cost --incidents-per-month N`). @default 10 */
  readonly incidentsPerMonth: number;
  /** Parts per SMS page (a Vigil page fits one; a long alarm name may take two). @default 1 */
  readonly smsParts: number;
  /** Minutes per voice page (the message is said twice: under a minute). @default 1 */
  readonly voiceMinutes: number;
}

/** The defaults of {@link PagingCostAssumptions}. */
export const DEFAULT_PAGING_ASSUMPTIONS: PagingCostAssumptions = {
  incidentsPerMonth: 10,
  smsParts: 1,
  voiceMinutes: 1,
};

/** One line of the paging bill. */
export interface PagingCostLine {
  readonly item: string;
  readonly quantity: number;
  readonly unit: string;
  readonly usd: number;
}

type Method = 'sms' | 'voice' | 'email' | 'slack';
type Counts = Record<Method, number>;
const zero = (): Counts => ({ sms: 0, voice: 0, email: 0, slack: 0 });
const DAY_MS = 86_400_000;

/**
 * The messages one page of a person sends at `critical`: their rule's steps (or every contact but a call),
 * and the resolve notice through the first of them that is not a call (a call only if nothing else).
 */
const pageOf = (config: VigilConfig, personId: string): Counts => {
  const counts = zero();
  const person = config.people[personId];
  if (person === undefined) return counts;
  const steps =
    person.rules.critical?.map((rule) => rule.method) ??
    (['sms', 'email', 'slack'] as const).filter((method) => person.contact[method] !== undefined);
  for (const method of steps) counts[method] += 1;
  const resolve = steps.find((method) => method !== 'voice') ?? steps[0];
  if (resolve !== undefined) counts[resolve] += 1;
  return counts;
};

const add = (into: Counts, from: Counts, times = 1) => {
  for (const method of Object.keys(into) as Method[]) into[method] += from[method] * times;
};

/** Everyone a schedule may page, weighted so that the schedule counts as one person (its members' average). */
const scheduleMembers = (config: VigilConfig, id: string): string[] => [
  ...new Set((config.schedules[id]?.layers ?? []).flatMap((layer) => layer.members)),
];

/**
 * Messages per incident: every level of the critical policy pages its people (named, a schedule's on-call
 * person as the average of its members, every member of a team) through their critical rule, every step
 * once (as if acknowledged after the last), plus one resolve notice each.
 */
const messagesPerIncident = (config: VigilConfig): Counts => {
  const total = zero();
  for (const level of config.escalation?.critical.levels ?? []) {
    const people = [
      ...level.people,
      ...level.teams.flatMap((team) => config.oncallTeams[team]?.members ?? []),
    ];
    for (const person of people) add(total, pageOf(config, person));
    for (const schedule of level.schedules) {
      const members = scheduleMembers(config, schedule);
      for (const person of members) add(total, pageOf(config, person), 1 / Math.max(members.length, 1));
    }
  }
  return total;
};

/** Handoffs to a person in the next 30 days, over every schedule: each sends a shift notice. */
const handoffsPerMonth = (config: VigilConfig, now: number): Counts => {
  const counts = zero();
  for (const [id, schedule] of Object.entries(config.schedules)) {
    let previous: string | undefined;
    for (const shift of shifts(schedule, [], now, now + 30 * DAY_MS)) {
      const person = shift.onCall.kind === 'nobody' ? undefined : shift.onCall.person;
      if (person !== undefined && person !== previous && previous !== undefined) {
        const contact = config.people[person]?.contact;
        if (contact?.sms !== undefined && config.paging.sms !== undefined) counts.sms += 1;
        if (contact?.email !== undefined && config.paging.email !== undefined) counts.email += 1;
        if (contact?.slack !== undefined && config.paging.slack !== undefined) counts.slack += 1;
      }
      previous = person ?? `nobody:${id}`;
    }
  }
  return counts;
};

/**
 * The monthly cost of paging people: SMS and voice through AWS End User Messaging, email through SES, for
 * `incidentsPerMonth` critical incidents (an upper bound: every level of the critical policy fires) and the
 * shift notices of the next 30 days' handoffs, plus the origination number. Slack DMs are free. Empty when the
 * config pages nobody directly.
 *
 * @example
 * pagingCostLines(config, { incidentsPerMonth: 20 }).reduce((sum, line) => sum + line.usd, 0);
 */
export const pagingCostLines = (
  config: VigilConfig,
  overrides: Partial<PagingCostAssumptions> = {},
  now: number = Date.now(),
): PagingCostLine[] => {
  const a = { ...DEFAULT_PAGING_ASSUMPTIONS, ...overrides };
  const paging = config.paging;
  if (paging.sms === undefined && paging.voice === undefined && paging.email === undefined) return [];
  const pages = zero();
  add(pages, messagesPerIncident(config), a.incidentsPerMonth);
  const notices = handoffsPerMonth(config, now);
  const sms = Math.round((pages.sms + notices.sms) * a.smsParts);
  const emails = Math.round(pages.email + notices.email);
  const minutes = Math.round(pages.voice * a.voiceMinutes);
  const P = PAGING_PRICES;
  return [
    ...(paging.sms !== undefined
      ? [
          {
            item: 'SMS pages + shift notices (End User Messaging, US)',
            quantity: sms,
            unit: 'parts',
            usd: sms * (P.smsPartUsd + P.smsCarrierFeePerPartUsd),
          },
        ]
      : []),
    ...(paging.voice !== undefined
      ? [
          {
            item: 'voice pages (End User Messaging, US)',
            quantity: minutes,
            unit: 'minutes',
            usd: minutes * P.voiceMinuteUsd,
          },
        ]
      : []),
    ...(paging.sms !== undefined || paging.voice !== undefined
      ? [
          {
            item: 'origination number (US toll-free)',
            quantity: 1,
            unit: 'numbers',
            usd: P.tollFreeNumberMonthUsd,
          },
        ]
      : []),
    ...(paging.email !== undefined
      ? [
          {
            item: 'email pages + shift notices (SES)',
            quantity: emails,
            unit: 'emails',
            usd: emails * P.emailUsd,
          },
        ]
      : []),
  ];
};

/** `--incidents-per-month N` taken out of a command line, with the rest of the arguments. */
export interface PagingCostArgs {
  readonly incidentsPerMonth: number;
  readonly rest: string[];
}

/** The usage line of `--incidents-per-month`. */
export const PAGING_COST_USAGE = `  --incidents-per-month N  critical incidents per month that page people, for the SMS/voice/email
                  estimate (default: ${DEFAULT_PAGING_ASSUMPTIONS.incidentsPerMonth})`;

/**
 * Takes `--incidents-per-month N` (or `=N`) out of `argv`.
 *
 * @returns the value and the other arguments, or a message naming what is wrong
 */
export const takePagingCostArgs = (argv: readonly string[]): PagingCostArgs | string => {
  const rest: string[] = [];
  let incidentsPerMonth = DEFAULT_PAGING_ASSUMPTIONS.incidentsPerMonth;
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] as string;
    const match = /^--incidents-per-month(?:=(.*))?$/.exec(arg);
    if (match === null) {
      rest.push(arg);
      continue;
    }
    let text = match[1];
    if (text === undefined) {
      index += 1;
      text = argv[index];
    }
    const value = Number(text);
    if (
      text === undefined ||
      text.trim() === '' ||
      !Number.isInteger(value) ||
      value < 0 ||
      value > 1_000_000
    )
      return `--incidents-per-month: expected a whole number from 0 to 1000000, got '${text ?? ''}'`;
    incidentsPerMonth = value;
  }
  return { incidentsPerMonth, rest };
};

/** The readable section of `vigil cost` for paging people. */
export const formatPagingCost = (lines: readonly PagingCostLine[], incidentsPerMonth: number): string => {
  if (lines.length === 0) return '';
  const width = Math.max(...lines.map((line) => line.item.length));
  const total = lines.reduce((sum, line) => sum + line.usd, 0);
  return [
    `Paging people (${incidentsPerMonth} critical incidents/month, --incidents-per-month N):`,
    ...lines.map(
      (line) =>
        `  ${line.item.padEnd(width)}  ${`${line.quantity.toLocaleString('en-US')} ${line.unit}`.padStart(14)}  ${`$${line.usd.toFixed(2)}`.padStart(10)}`,
    ),
    `  Paging total: $${total.toFixed(2)}/month (list prices of ${PAGING_PRICES.asOf}: ${Object.values(PAGING_PRICES.sources).join(', ')})`,
  ].join('\n');
};
