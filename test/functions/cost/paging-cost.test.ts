import { parseConfig } from '../../../functions/commons/config/resolve-config';
import { PAGING_PRICES, pagingCostLines, takePagingCostArgs } from '../../../functions/cost/paging-cost';

const base = {
  app: 'paging-cost',
  environments: { prod: { baseUrl: 'https://shop.example.com' } },
  people: {
    alice: {
      name: 'Alice',
      timezone: 'Europe/London',
      contact: { email: 'alice@example.com', sms: '+447700900101', voice: '+447700900101' },
      rules: {
        critical: [{ method: 'sms' }, { method: 'voice', after: '2m' }, { method: 'email', after: '5m' }],
      },
    },
    bob: { name: 'Bob', timezone: 'Europe/London', contact: { email: 'bob@example.com' } },
  },
  oncallTeams: { platform: { members: ['alice', 'bob'] } },
  schedules: {
    primary: {
      timezone: 'Europe/London',
      layers: [{ members: ['alice'], start: '2027-01-04T09:00', rotation: 'daily' }],
    },
    // Not paged by any level; its daily handoffs send shift notices.
    rota: {
      timezone: 'Europe/London',
      layers: [{ members: ['alice', 'bob'], start: '2027-01-04T09:00', rotation: 'daily' }],
    },
  },
  channels: { 'oncall-email': { type: 'email', addresses: ['oncall@example.com'] } },
  escalation: {
    critical: {
      levels: [
        { after: '0s', schedules: ['primary'] },
        { after: '15m', teams: ['platform'] },
      ],
    },
    warning: { levels: [{ after: '0s', channels: ['oncall-email'] }] },
    info: { levels: [{ after: '0s', channels: ['oncall-email'] }] },
  },
  paging: {
    sms: { originationIdentity: 'phone-1' },
    voice: { originationIdentity: 'phone-1' },
    email: { from: 'oncall@example.com' },
  },
};

describe('pagingCostLines', () => {
  it('prices each level’s people through their critical rule, resolve notices and a month of shift notices', () => {
    // Prepare: per incident, level 1 pages Alice (SMS, call, email + an SMS resolve); level 2 the team: Alice
    // again, and Bob (no rule: email, + an email resolve). 30 daily handoffs of `rota` from noon: 15 to Alice
    // (SMS + email), 15 to Bob (email).
    const config = parseConfig(base);
    // Act
    const lines = pagingCostLines(config, { incidentsPerMonth: 10 }, Date.parse('2027-02-01T12:00:00Z'));
    // Assess
    const P = PAGING_PRICES;
    expect(lines).toEqual([
      {
        item: 'SMS pages + shift notices (End User Messaging, US)',
        quantity: 4 * 10 + 15,
        unit: 'parts',
        usd: expect.closeTo(55 * (P.smsPartUsd + P.smsCarrierFeePerPartUsd), 10),
      },
      {
        item: 'voice pages (End User Messaging, US)',
        quantity: 20,
        unit: 'minutes',
        usd: expect.closeTo(20 * 0.013, 10),
      },
      { item: 'origination number (US toll-free)', quantity: 1, unit: 'numbers', usd: 2 },
      {
        item: 'email pages + shift notices (SES)',
        quantity: 4 * 10 + 30,
        unit: 'emails',
        usd: expect.closeTo(70 * 0.0001, 10),
      },
    ]);
  });

  it('scales with the incidents per month and prices nothing when nobody is paged directly', () => {
    // Prepare
    const config = parseConfig(base);
    const { paging: _paging, ...withoutPaging } = base;
    const at = Date.parse('2027-02-01T12:00:00Z');
    // Act
    const none = pagingCostLines(config, { incidentsPerMonth: 0 }, at);
    const hundred = pagingCostLines(config, { incidentsPerMonth: 100 }, at);
    // Assess
    expect(none.find((line) => line.unit === 'minutes')?.quantity).toBe(0);
    expect(hundred.find((line) => line.unit === 'minutes')?.quantity).toBe(200);
    expect(
      pagingCostLines(
        parseConfig({
          ...withoutPaging,
          escalation: {
            ...base.escalation,
            critical: { levels: [{ after: '0s', channels: ['oncall-email'] }] },
          },
        }),
      ),
    ).toEqual([]);
  });

  it('cites a source page for each price', () => {
    expect(Object.values(PAGING_PRICES.sources)).toEqual([
      'https://aws.amazon.com/end-user-messaging/pricing/',
      'https://aws.amazon.com/ses/pricing/',
    ]);
    expect(PAGING_PRICES.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});

describe('takePagingCostArgs', () => {
  it('takes --incidents-per-month N or =N out of the arguments and refuses anything but a whole number', () => {
    expect(takePagingCostArgs(['--json', '--incidents-per-month', '25'])).toEqual({
      incidentsPerMonth: 25,
      rest: ['--json'],
    });
    expect(takePagingCostArgs(['--incidents-per-month=3'])).toEqual({ incidentsPerMonth: 3, rest: [] });
    expect(takePagingCostArgs([])).toEqual({ incidentsPerMonth: 10, rest: [] });
    expect(takePagingCostArgs(['--incidents-per-month', '2.5'])).toMatch(/whole number .* got '2.5'/);
    expect(takePagingCostArgs(['--incidents-per-month'])).toMatch(/got ''/);
  });
});
