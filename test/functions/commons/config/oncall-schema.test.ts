import { parseConfig } from '../../../../functions/commons/config/resolve-config';
import { configIssueLines } from '../../../helpers/config-issues';

const base = { app: 'oncall-test', environments: { local: { baseUrl: 'http://127.0.0.1:1' } } };

const people = {
  alice: {
    name: 'Alice Martin',
    timezone: 'Europe/London',
    contact: {
      email: 'alice@example.com',
      sms: '+447700900001',
      voice: '+447700900001',
      slack: 'U012AB3CDE',
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
  bob: { name: 'Bob Chen', timezone: 'America/New_York', contact: { email: 'bob@example.com' } },
};

describe('on-call config', () => {
  it('accepts people with PagerDuty-style rules and a layered schedule, durations in milliseconds', () => {
    // Act
    const config = parseConfig({
      ...base,
      people,
      oncallTeams: { platform: { members: ['alice', 'bob'] } },
      schedules: {
        primary: {
          timezone: 'Europe/London',
          layers: [
            { members: ['alice', 'bob'], start: '2027-01-04T09:00', rotation: 'weekly' },
            {
              members: ['bob'],
              start: '2027-01-04T09:00',
              timezone: 'America/New_York',
              rotation: { every: '12h' },
              restrictions: [{ days: ['sat', 'sun'], time: '22:00-06:00' }],
            },
          ],
          overrides: [{ person: 'bob', from: '2027-01-05T00:00:00Z', to: '2027-01-06T00:00:00Z' }],
          fallback: { team: 'platform' },
        },
      },
    });
    // Assess
    expect(config.people.alice?.rules.critical).toEqual([
      { method: 'sms', after: 0 },
      { method: 'voice', after: 120_000 },
      { method: 'email', after: 300_000 },
    ]);
    expect(config.schedules.primary?.layers[1]?.rotation).toEqual({ every: 43_200_000 });
  });

  it('reports every problem at once with its path', () => {
    // Prepare
    const input = {
      ...base,
      people: {
        ...people,
        carol: {
          name: 'Carol',
          timezone: 'Mars/Olympus',
          contact: { sms: '07700 900123', slack: 'carol' },
          rules: { critical: [{ method: 'voice' }] },
        },
        dave: { name: 'Dave', timezone: 'UTC', contact: {} },
      },
      oncallTeams: { ops: { members: ['alice', 'erin'] } },
      schedules: {
        broken: {
          timezone: 'America/New_York',
          layers: [
            { members: [], start: '2027-01-04T09:00', rotation: 'daily' },
            { members: ['alice', 'zed'], start: '2027-03-14T02:30', rotation: { every: '30m' } },
            { members: ['bob'], start: '2027-02-30T09:00', rotation: 'weekly', timezone: 'Nowhere/City' },
          ],
          overrides: [{ person: 'yves', from: '2027-01-06T00:00:00Z', to: '2027-01-05T00:00:00Z' }],
          fallback: { person: 'xavier' },
        },
        teamless: {
          timezone: 'UTC',
          layers: [{ members: ['bob'], start: '2027-01-04T09:00', rotation: 'daily' }],
          fallback: { team: 'nobody-team' },
        },
      },
    };
    // Act
    const lines = configIssueLines(input);
    // Assess: values that do not parse and the checks across the rest, in one pass
    expect(lines).toEqual([
      "people.carol.timezone: unknown IANA time zone: use a name such as 'Europe/London', 'America/New_York' or 'UTC'",
      "people.carol.contact.sms: an E.164 phone number, e.g. '+447700900123'",
      "people.carol.contact.slack: a Slack member id such as 'U012AB3CDE'",
      "schedules.broken.layers[2].start: a local date and time 'YYYY-MM-DDTHH:MM', e.g. '2026-01-05T09:00'",
      "schedules.broken.layers[2].timezone: unknown IANA time zone: use a name such as 'Europe/London', 'America/New_York' or 'UTC'",
      "people.carol.rules.critical[0].method: 'voice' needs contact.voice for this person",
      'people.dave.contact: give at least one contact: email, sms, voice or slack',
      "oncallTeams.ops.members[1]: unknown person 'erin'",
      'schedules.broken.layers[0].members: a rotation needs at least one member (ids under `people`)',
      "schedules.broken.layers[1].members[1]: unknown person 'zed'",
      'schedules.broken.layers[1].start: 2027-03-14T02:30 does not exist in America/New_York (the clocks skip it for daylight saving): pick a handoff time outside the skipped hour',
      'schedules.broken.layers[1].rotation.every: must be whole minutes and at least 1h',
      "schedules.broken.overrides[0].person: unknown person 'yves'",
      "schedules.broken.overrides[0].to: must be after 'from'",
      "schedules.broken.fallback.person: unknown person 'xavier'",
      "schedules.teamless.fallback.team: unknown team 'nobody-team' (define it under 'oncallTeams')",
    ]);
  });

  it('refuses a schedule whose restrictions leave time uncovered when it has no fallback', () => {
    // Prepare
    const office = {
      timezone: 'Europe/London',
      layers: [
        {
          members: ['alice'],
          start: '2027-01-04T09:00',
          rotation: 'weekly',
          restrictions: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], time: '09:00-17:00' }],
        },
      ],
    };
    // Act
    const withoutFallback = configIssueLines({ ...base, people, schedules: { office } });
    const withFallback = configIssueLines({
      ...base,
      people,
      schedules: { office: { ...office, fallback: { person: 'bob' } } },
    });
    // Assess
    expect(withoutFallback).toEqual([
      "schedules.office.fallback: the layers' restrictions leave time with nobody on call (first: Mon 2027-01-04 17:00 to Tue 2027-01-05 09:00 Europe/London) and there is no fallback: add a 'fallback' or a layer that covers it",
    ]);
    expect(withFallback).toEqual([]);
  });

  it('accepts follow-the-sun layers that cover the clock together, through every DST change of a year', () => {
    // Prepare
    const sun = (zones: string[]) => ({
      timezone: 'UTC',
      layers: zones.map((timezone) => ({
        members: ['alice', 'bob'],
        start: '2027-01-04T08:00',
        timezone,
        rotation: 'weekly',
        restrictions: [{ time: '08:00-20:00' }],
      })),
    });
    // Act
    const three = configIssueLines({
      ...base,
      people,
      schedules: { sun: sun(['Europe/London', 'America/New_York', 'Australia/Sydney']) },
    });
    const two = configIssueLines({
      ...base,
      people,
      schedules: { sun: sun(['Europe/London', 'Australia/Sydney']) },
    });
    // Assess
    expect(three).toEqual([]);
    expect(two).toEqual([
      expect.stringMatching(/^schedules\.sun\.fallback: the layers' restrictions leave time/),
    ]);
  });

  it('never mistakes inherited object keys for people', () => {
    // Act
    const lines = configIssueLines({
      ...base,
      people,
      schedules: {
        proto: {
          timezone: 'UTC',
          layers: [{ members: ['constructor', 'toString'], start: '2027-01-04T09:00', rotation: 'daily' }],
        },
      },
    });
    // Assess
    expect(lines).toEqual([
      "schedules.proto.layers[0].members[0]: unknown person 'constructor'",
      "schedules.proto.layers[0].members[1]: unknown person 'toString'",
    ]);
  });

  it('reports calendar subscribers naming unknown or inherited people and schedules, or both or neither', () => {
    // Act
    const lines = configIssueLines({
      ...base,
      people,
      schedules: {
        primary: {
          timezone: 'UTC',
          layers: [{ members: ['alice'], start: '2027-01-04T09:00', rotation: 'daily' }],
        },
      },
      calendars: {
        'alice-phone': { person: 'alice' },
        wall: { schedule: 'primary' },
        ghost: { person: 'constructor' },
        lost: { schedule: 'toString' },
        both: { person: 'alice', schedule: 'primary' },
        neither: {},
      },
    });
    // Assess
    expect(lines).toEqual([
      "calendars.both: give either 'schedule' or 'person'",
      "calendars.neither: give either 'schedule' or 'person'",
      "calendars.ghost.person: unknown person 'constructor'",
      "calendars.lost.schedule: unknown schedule 'toString'",
    ]);
  });
});
