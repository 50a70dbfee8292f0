import { parseConfig } from '../../../../functions/commons/config/resolve-config';
import { serveCalendarFeed } from '../../../../functions/oncall/core/serve-calendar-feed';

const config = parseConfig({
  app: 'serve-feed-test',
  environments: { local: { baseUrl: 'http://127.0.0.1:1' } },
  people: { alice: { name: 'Alice', timezone: 'UTC', contact: { email: 'alice@example.com' } } },
  schedules: {
    primary: {
      timezone: 'UTC',
      layers: [{ members: ['alice'], start: '2027-01-04T09:00', rotation: 'daily' }],
    },
  },
  calendars: { wall: { schedule: 'primary' }, untokened: { person: 'alice' } },
});

/** Ports that count what the core reads. */
const counting = (tokens: Record<string, string>) => {
  const reads = { tokens: 0, overrides: 0 };
  return {
    reads,
    deps: {
      config,
      tokens: async () => {
        reads.tokens += 1;
        return tokens;
      },
      overrides: {
        listOverrides: async () => {
          reads.overrides += 1;
          return [];
        },
      },
      clock: { now: () => Date.parse('2027-02-01T00:00:00Z') },
    },
  };
};

describe('serveCalendarFeed', () => {
  it('reads the tokens for every refused request, as for a good one, and reads no overrides for a refused one', async () => {
    // Prepare
    const paths = [
      '/ical/wall/wrong.ics',
      '/ical/nobody/secret.ics',
      '/favicon.ico',
      '/ical/wall/secret.ics',
    ];
    const results = [];
    // Act
    for (const path of paths) {
      const { reads, deps } = counting({ wall: 'secret' });
      const response = await serveCalendarFeed({ method: 'GET', path }, deps);
      results.push({ status: response.statusCode, ...reads });
    }
    // Assess
    expect(results).toEqual([
      { status: 404, tokens: 1, overrides: 0 },
      { status: 404, tokens: 1, overrides: 0 },
      { status: 404, tokens: 1, overrides: 0 },
      { status: 200, tokens: 1, overrides: 1 },
    ]);
  });

  it('refuses a subscriber whose token is missing or empty, whatever token is given', async () => {
    // Prepare
    const { deps } = counting({ wall: '' });
    // Act
    const empty = await serveCalendarFeed({ method: 'GET', path: '/ical/wall/.ics' }, deps);
    const missing = await serveCalendarFeed({ method: 'GET', path: '/ical/untokened/undefined.ics' }, deps);
    // Assess
    expect([empty.statusCode, missing.statusCode]).toEqual([404, 404]);
  });
});
