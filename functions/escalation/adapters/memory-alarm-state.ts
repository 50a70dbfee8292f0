import type { AlarmSnapshot, AlarmStateValue } from '../types/incident';
import type { AlarmStatePort } from '../types/ports';

/** An in-memory {@link AlarmStatePort}: alarms whose state the local runner and simulations set. */
export class MemoryAlarmState implements AlarmStatePort {
  private readonly states = new Map<string, AlarmStateValue>();
  private readonly tags = new Map<string, Record<string, string>>();

  /** Sets an alarm's state (and, optionally, its tags). */
  public set(alarmName: string, state: AlarmStateValue, tags?: Record<string, string>): void {
    this.states.set(alarmName, state);
    if (tags !== undefined) this.tags.set(alarmName, tags);
  }

  public async getState(alarm: Pick<AlarmSnapshot, 'alarmName'>): Promise<AlarmStateValue | undefined> {
    return this.states.get(alarm.alarmName);
  }

  public async getTags(alarm: Pick<AlarmSnapshot, 'alarmName'>): Promise<Record<string, string>> {
    return this.tags.get(alarm.alarmName) ?? {};
  }
}
