import type { VigilConfigInput } from '../functions/commons/config/schema';
import { demoEscalationPolicies } from './demo-escalation';

/**
 * The demo's three on-call engineers, in three time zones, each with PagerDuty-style notification rules
 * (the phone numbers are from Ofcom's and NANPA's ranges reserved for drama, so they never ring anyone).
 */
export const demoPeople = {
  alice: {
    name: 'Alice Martin',
    timezone: 'Europe/London',
    contact: {
      email: 'alice@example.com',
      sms: '+447700900101',
      voice: '+447700900101',
      slack: 'U0DEMOALICE',
    },
    rules: {
      critical: [
        { method: 'sms', after: '0s' },
        { method: 'voice', after: '2m' },
        { method: 'email', after: '5m' },
      ],
      warning: [{ method: 'email' }, { method: 'slack' }],
    },
  },
  bob: {
    name: 'Bob Chen',
    timezone: 'America/New_York',
    contact: { email: 'bob@example.com', sms: '+12025550142', voice: '+12025550142', slack: 'U0DEMOBOB' },
    rules: {
      critical: [
        { method: 'sms', after: '0s' },
        { method: 'voice', after: '2m' },
        { method: 'email', after: '5m' },
      ],
      warning: [{ method: 'slack' }],
    },
  },
  carol: {
    name: 'Carol Singh',
    timezone: 'Asia/Kolkata',
    contact: { email: 'carol@example.com', sms: '+447700900303', slack: 'U0DEMOCAROL' },
    rules: {
      critical: [
        { method: 'sms', after: '0s' },
        { method: 'email', after: '5m' },
      ],
      warning: [{ method: 'email' }],
    },
  },
} satisfies VigilConfigInput['people'];

/**
 * The demo schedule: a weekly rotation of all three handing off on Mondays at 09:00 London time, with Bob
 * taking New York office hours on weekdays (a later layer wins while it is on call); the platform team is
 * the fallback.
 */
export const demoSchedules = {
  'flight-primary': {
    description: 'Primary on-call for the flight-booking platform',
    timezone: 'Europe/London',
    layers: [
      { name: 'weekly', members: ['alice', 'bob', 'carol'], start: '2026-11-02T09:00', rotation: 'weekly' },
      {
        name: 'new-york-office',
        members: ['bob'],
        start: '2026-11-02T09:00',
        timezone: 'America/New_York',
        rotation: 'weekly',
        restrictions: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], time: '09:00-17:00' }],
      },
    ],
    fallback: { team: 'platform' },
  },
} satisfies VigilConfigInput['schedules'];

/**
 * How the demo reaches people: SMS and calls from one End User Messaging phone number, email from a verified
 * SES address, Slack DMs with a bot token kept in Secrets Manager (`npm start` prints every page instead).
 */
export const demoPaging = {
  sms: { originationIdentity: 'phone-00000000000000000000000000de0001' },
  voice: { originationIdentity: 'phone-00000000000000000000000000de0001' },
  email: { from: 'oncall@example.com' },
  slack: { botToken: { secretsManager: 'flight-booking/slack-bot-token' } },
} satisfies VigilConfigInput['paging'];

/**
 * The demo's policies with people in them: a critical page goes to Slack, PagerDuty and whoever is on call
 * for `flight-primary` at that moment (through their own rules: SMS, a call after 2 min, email after 5 min),
 * reminded every 15 min until someone acknowledges.
 */
export const demoPagedPolicies = {
  ...demoEscalationPolicies,
  critical: {
    levels: [
      {
        after: '0s',
        channels: ['oncall-slack', 'oncall-pagerduty'],
        schedules: ['flight-primary'],
        repeatEvery: '15m',
      },
      { after: '5m', channels: ['oncall-sms'] },
      { after: '15m', channels: ['oncall-email'] },
    ],
  },
} satisfies VigilConfigInput['escalation'];

/** The on-call part of the demo config (spread after `demoEscalation`: its policies page people too). */
export const demoOnCall = {
  people: demoPeople,
  oncallTeams: { platform: { members: ['alice', 'bob', 'carol'] } },
  schedules: demoSchedules,
  paging: demoPaging,
  escalation: demoPagedPolicies,
} satisfies Partial<VigilConfigInput>;
