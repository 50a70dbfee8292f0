import { z } from 'zod';
import { secretRefSchema, severitySchema } from './check-schema';
import type { escalationConfigShape } from './escalation-schema';
import type { oncallConfigShape } from './oncall-schema';

/**
 * How Vigil reaches people directly (levels that target people, schedules or on-call teams): SMS and voice
 * through AWS End User Messaging SMS and Voice v2, email through SES v2, Slack direct messages through the
 * Slack Web API. Each method a person's notification rules use needs its entry here.
 *
 * @example
 * paging: {
 *   sms: { originationIdentity: 'arn:aws:sms-voice:eu-west-2:123456789012:phone-number/phone-abc' },
 *   voice: { originationIdentity: 'arn:aws:sms-voice:eu-west-2:123456789012:phone-number/phone-abc' },
 *   email: { from: 'oncall@example.com' },
 *   slack: { botToken: { secretsManager: 'vigil/slack-bot-token' } },
 * }
 */
export const pagingSchema = z.strictObject({
  /** SMS: the phone number, sender id or pool (id or ARN) text messages are sent from. */
  sms: z.strictObject({ originationIdentity: z.string().min(1) }).optional(),
  /** Voice: the phone number or pool (id or ARN) calls are made from. */
  voice: z
    .strictObject({
      originationIdentity: z.string().min(1),
      /** Amazon Polly voice reading the message. @default 'JOANNA' */
      voiceId: z
        .string()
        .regex(/^[A-Z_]+$/, "a voice id such as 'JOANNA' or 'BRIAN'")
        .default('JOANNA'),
    })
    .optional(),
  /** Email: a verified SES identity (address, or an address of a verified domain). */
  email: z.strictObject({ from: z.email() }).optional(),
  /** Slack direct messages: a bot token (`xoxb-...`, scope `chat:write`), as a secret reference. */
  slack: z
    .strictObject({
      botToken: secretRefSchema,
      /** Slack Web API base URL. @default 'https://slack.com/api' */
      apiUrl: z.url().default('https://slack.com/api'),
    })
    .optional(),
});

/** The key direct paging adds to the top-level config. */
export const pagingConfigShape = {
  /** How people are reached directly. @default {} */
  paging: pagingSchema.default({}),
};

type PagingPart = z.output<
  z.ZodObject<
    typeof pagingConfigShape & Pick<typeof escalationConfigShape, 'escalation'> & typeof oncallConfigShape
  >
>;
type Issue = (path: PropertyKey[], message: string) => void;

/**
 * Checks what levels target: people, schedules and on-call teams exist (own keys only), and each contact
 * method the people's rules use has its delivery configured under `paging` (once any level targets people).
 * Paths such as `escalation.critical.levels[0].schedules[1]`.
 */
export const checkPagingConfig = (config: PagingPart, issue: Issue): void => {
  const escalation = config.escalation;
  if (escalation === undefined) return;
  const known = {
    people: config.people,
    schedules: config.schedules,
    teams: config.oncallTeams,
  } as const;
  const label = { people: 'person', schedules: 'schedule', teams: 'on-call team' } as const;
  let targetsPeople = false;
  const policies: [PropertyKey[], (typeof escalation)['critical'] | undefined][] = [
    ...severitySchema.options.map((severity): [PropertyKey[], (typeof escalation)['critical']] => [
      ['escalation', severity],
      escalation[severity],
    ]),
    ...Object.entries(escalation.teams).flatMap(([team, byTeam]) =>
      Object.entries(byTeam).map(([severity, policy]): [PropertyKey[], typeof policy] => [
        ['escalation', 'teams', team, severity],
        policy,
      ]),
    ),
  ];
  for (const [at, policy] of policies) {
    policy?.levels.forEach((level, index) => {
      for (const kind of ['people', 'schedules', 'teams'] as const) {
        level[kind].forEach((id, position) => {
          targetsPeople = true;
          if (!Object.hasOwn(known[kind], id)) {
            issue([...at, 'levels', index, kind, position], `unknown ${label[kind]} '${id}'`);
          }
        });
        if (new Set(level[kind]).size !== level[kind].length) {
          issue([...at, 'levels', index, kind], `a ${label[kind]} is listed twice in one level`);
        }
      }
    });
  }
  if (!targetsPeople) return;
  for (const [id, person] of Object.entries(config.people)) {
    for (const [severity, rules] of Object.entries(person.rules)) {
      (rules ?? []).forEach((rule, index) => {
        if (config.paging[rule.method] === undefined) {
          issue(
            ['people', id, 'rules', severity, index, 'method'],
            `'${rule.method}' needs paging.${rule.method} (how Vigil sends it)`,
          );
        }
      });
    }
  }
};

/** Direct paging settings after defaults. */
export type PagingConfig = z.output<typeof pagingSchema>;
