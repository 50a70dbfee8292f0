import { DynamoDbIncidentStore } from '../../../../functions/escalation/adapters/dynamodb-incident-store';
import { MemoryIncidentStore } from '../../../../functions/escalation/adapters/memory-incident-store';
import type { IncidentStore } from '../../../../functions/escalation/types/ports';
import { aws, createIncidentTable } from '../helpers/moto-escalation';

const TABLE = 'claims-incidents';
const NOW = Date.parse('2026-03-02T10:30:00Z');

beforeAll(async () => {
  await createIncidentTable(TABLE);
});

describe.each([
  ['memory', () => new MemoryIncidentStore()],
  ['DynamoDB (conditional writes)', () => new DynamoDbIncidentStore(aws.dynamodb, TABLE)],
] as [string, () => IncidentStore][])('alarm claims in the %s store', (_name, makeStore) => {
  let store: IncidentStore;
  let key: string;
  let counter = 0;
  beforeEach(() => {
    store = makeStore();
    counter += 1;
    key = `us-east-1:claims-${_name.length}-${counter}`;
  });

  it('lets exactly one of two incidents racing for an alarm hold it, and tells the other who does', async () => {
    // Act
    const [a, b] = await Promise.all([
      store.claimAlarm({ alarmKey: key, incidentId: 'a', until: NOW + 60_000 }, NOW),
      store.claimAlarm({ alarmKey: key, incidentId: 'b', until: NOW + 60_000 }, NOW),
    ]);
    // Assess
    expect([a.claimed, b.claimed].filter(Boolean)).toHaveLength(1);
    const winner = a.claimed ? 'a' : 'b';
    expect((a.claimed ? b : a).holder.incidentId).toBe(winner);
    expect((await store.getAlarmClaim(key))?.incidentId).toBe(winner);
  });

  it('lets the holder claim again (a replayed open) and renew with a token, but nobody else renew', async () => {
    // Prepare
    await store.claimAlarm({ alarmKey: key, incidentId: 'a', until: NOW + 60_000 }, NOW);
    // Act
    const again = await store.claimAlarm({ alarmKey: key, incidentId: 'a', until: NOW + 60_000 }, NOW);
    const renewed = await store.renewAlarm({
      alarmKey: key,
      incidentId: 'a',
      until: NOW + 120_000,
      token: 't1',
    });
    const stranger = await store.renewAlarm({ alarmKey: key, incidentId: 'b', until: NOW + 120_000 });
    // Assess
    expect([again.claimed, renewed, stranger]).toEqual([true, true, false]);
    expect(await store.getAlarmClaim(key)).toEqual({
      alarmKey: key,
      incidentId: 'a',
      until: NOW + 120_000,
      token: 't1',
    });
  });

  it('hands a claim whose holder stopped renewing it to a new incident, and releases only for the holder', async () => {
    // Prepare
    await store.claimAlarm({ alarmKey: key, incidentId: 'dead', until: NOW + 60_000 }, NOW);
    // Act
    const early = await store.claimAlarm(
      { alarmKey: key, incidentId: 'new', until: NOW + 120_000 },
      NOW + 59_000,
    );
    const late = await store.claimAlarm(
      { alarmKey: key, incidentId: 'new', until: NOW + 180_000 },
      NOW + 61_000,
    );
    await store.releaseAlarm(key, 'dead');
    const afterStrangerRelease = await store.getAlarmClaim(key);
    await store.releaseAlarm(key, 'new');
    // Assess
    expect([early.claimed, late.claimed]).toEqual([false, true]);
    expect(afterStrangerRelease?.incidentId).toBe('new');
    expect(await store.getAlarmClaim(key)).toBeUndefined();
  });

  it('records state changes once per instant, forgets those before the window, and lists them in order', async () => {
    // Prepare
    await store.alarmTransitions(key, { since: NOW - 60_000, add: NOW - 50_000 });
    await store.alarmTransitions(key, { since: NOW - 60_000, add: NOW - 10_000 });
    // Act
    const replayed = await store.alarmTransitions(key, { since: NOW - 60_000, add: NOW - 10_000 });
    const later = await store.alarmTransitions(key, { since: NOW - 30_000, add: NOW });
    const read = await store.alarmTransitions(key, { since: NOW - 30_000 });
    // Assess
    expect(replayed).toEqual([NOW - 50_000, NOW - 10_000]);
    expect(later).toEqual([NOW - 10_000, NOW]);
    expect(read).toEqual([NOW - 10_000, NOW]);
    expect(await store.alarmTransitions(key, { since: NOW + 1 })).toEqual([]);
  });
});
