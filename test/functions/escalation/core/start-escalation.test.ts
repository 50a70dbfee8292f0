import { MemoryIncidentStore } from '../../../../functions/escalation/adapters/memory-incident-store';
import { alarmKey } from '../../../../functions/escalation/core/alarm-key';
import { startEscalation } from '../../../../functions/escalation/core/start-escalation';
import type { AlarmSnapshot } from '../../../../functions/escalation/types/incident';

const AT = Date.parse('2026-03-02T10:30:00Z');
const alarm = (state: AlarmSnapshot['state']): AlarmSnapshot => ({
  alarmName: 'shop-check-login',
  state,
  reason: 'Threshold Crossed',
  stateChangedAt: new Date(AT).toISOString(),
  region: 'eu-west-1',
  source: 'eventbridge',
});

describe('startEscalation', () => {
  it('wakes the open incident’s waiting execution on OK with its stored token, once', async () => {
    // Prepare
    const store = new MemoryIncidentStore();
    const key = alarmKey(alarm('OK'));
    await store.claimAlarm({ alarmKey: key, incidentId: 'incident-1', until: AT + 60_000 }, AT);
    await store.renewAlarm({ alarmKey: key, incidentId: 'incident-1', until: AT + 60_000, token: 'token-1' });
    const live = new Set(['token-1']);
    const signalled: string[] = [];
    const wake = {
      store,
      signal: async (token: string) => {
        signalled.push(token);
        return live.delete(token);
      },
    };
    const started: string[] = [];
    const start = async (name: string) => {
      started.push(name);
      return 'started' as const;
    };
    // Act
    const first = await startEscalation(alarm('OK'), start, AT, wake);
    const replay = await startEscalation(alarm('OK'), start, AT, wake);
    // Assess
    expect([first.result, first.incidentId]).toEqual(['signalled', 'incident-1']);
    expect(replay.result).toBe('ignored');
    expect(signalled).toEqual(['token-1', 'token-1']);
    expect(started).toEqual([]);
  });

  it('ignores OK for an alarm with no open incident or one not waiting, and starts nothing', async () => {
    // Prepare
    const store = new MemoryIncidentStore();
    const signal = async () => true;
    const start = async () => 'started' as const;
    const notWaiting = new MemoryIncidentStore();
    await notWaiting.claimAlarm({ alarmKey: alarmKey(alarm('OK')), incidentId: 'busy', until: AT + 1 }, AT);
    // Act
    const none = await startEscalation(alarm('OK'), start, AT, { store, signal });
    const busy = await startEscalation(alarm('OK'), start, AT, { store: notWaiting, signal });
    const insufficient = await startEscalation(alarm('INSUFFICIENT_DATA'), start, AT, { store, signal });
    // Assess
    expect([none.result, busy.result, insufficient.result]).toEqual(['ignored', 'ignored', 'ignored']);
  });
});
