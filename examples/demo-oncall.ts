import type { VigilConfigInput } from '../functions/commons/config/schema';

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

/** The on-call part of the demo config. */
export const demoOnCall = {
  people: demoPeople,
  oncallTeams: { platform: { members: ['alice', 'bob', 'carol'] } },
  schedules: demoSchedules,
} satisfies Partial<VigilConfigInput>;
