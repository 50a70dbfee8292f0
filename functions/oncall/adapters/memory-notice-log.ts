import type { ShiftNoticeLog, ShiftNoticeRecord } from '../types/ports';

/** {@link ShiftNoticeLog} in memory: local mode (`npm start`) and tests. */
export class MemoryNoticeLog implements ShiftNoticeLog {
  /** Every record, by key. */
  public readonly records = new Map<string, ShiftNoticeRecord>();

  public async claim(record: ShiftNoticeRecord): Promise<boolean> {
    if (this.records.has(record.key)) return false;
    this.records.set(record.key, record);
    return true;
  }

  public async complete(record: ShiftNoticeRecord): Promise<void> {
    this.records.set(record.key, record);
  }
}
