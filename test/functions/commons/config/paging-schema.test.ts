import { parseConfig } from '../../../../functions/commons/config/resolve-config';
import { configIssueLines } from '../../../helpers/config-issues';

const base = { app: 'paging-test', environments: { local: { baseUrl: 'http://127.0.0.1:1' } } };
const people = {
  alice: {
    name: 'Alice Martin',
    timezone: 'Europe/London',
    contact: { sms: '+447700900001', voice: '+447700900001', email: 'alice@example.com' },
    rules: {
      critical: [{ method: 'sms' }, { method: 'voice', after: '2m' }, { method: 'email', after: '5m' }],
    },
  },
};
const schedules = {
  primary: {
    timezone: 'Europe/London',
    layers: [{ members: ['alice'], start: '2027-01-04T09:00', rotation: 'weekly' }],
  },
};
const paging = {
  sms: { originationIdentity: 'phone-sms' },
  voice: { originationIdentity: 'phone-voice' },
  email: { from: 'oncall@example.com' },
};
const policy = (level: Record<string, unknown>) => ({ levels: [{ after: '0s', ...level }] });

describe('escalation levels that target people', () => {
  it('accepts a level targeting a schedule, a person and a team, with reminders, durations in ms', () => {
    // Act
    const config = parseConfig({
      ...base,
      people,
      schedules,
      oncallTeams: { leads: { members: ['alice'] } },
      paging,
      escalation: {
        critical: policy({ schedules: ['primary'], people: ['alice'], teams: ['leads'], repeatEvery: '10m' }),
        warning: policy({ people: ['alice'] }),
        info: policy({ people: ['alice'] }),
      },
    });
    // Assess
    expect(config.escalation?.critical.levels[0]).toEqual({
      after: 0,
      channels: [],
      people: ['alice'],
      schedules: ['primary'],
      teams: ['leads'],
      repeatEvery: 600_000,
    });
    expect(config.paging.voice).toEqual({ originationIdentity: 'phone-voice', voiceId: 'JOANNA' });
  });

  it('reports unknown targets (own keys only), an empty level, short reminders and methods without delivery settings, each with its path', () => {
    // Prepare
    const input = {
      ...base,
      people,
      schedules,
      paging: { sms: paging.sms },
      escalation: {
        critical: policy({ schedules: ['primary', 'nope'], repeatEvery: '30s' }),
        warning: policy({ people: ['toString'] }),
        info: { levels: [{ after: '0s' }] },
        teams: { payments: { critical: policy({ teams: ['ghosts'] }) } },
      },
    };
    // Act
    const lines = configIssueLines(input);
    // Assess
    expect(lines).toEqual([
      'escalation.critical.levels[0].repeatEvery: must be at least 1m',
      'escalation.info.levels[0]: name at least one target: channels, people, schedules or teams',
      "escalation.critical.levels[0].schedules[1]: unknown schedule 'nope'",
      "escalation.warning.levels[0].people[0]: unknown person 'toString'",
      "escalation.teams.payments.critical.levels[0].teams[0]: unknown on-call team 'ghosts'",
      "people.alice.rules.critical[1].method: 'voice' needs paging.voice (how Vigil sends it)",
      "people.alice.rules.critical[2].method: 'email' needs paging.email (how Vigil sends it)",
    ]);
  });
});
