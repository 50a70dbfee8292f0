import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { MemoryIncidentStore } from '../../functions/escalation/adapters/memory-incident-store';
import type { AckRecord, AuditRecord, Incident } from '../../functions/escalation/types/incident';

/** Where `npm start` keeps its incidents for `vigil incidents` (gitignored). */
export const LOCAL_STATE_DIR = '.vigil';

/** The journal file under a local state directory. */
export const incidentJournalPath = (stateDir: string): string => join(stateDir, 'incidents.jsonl');

/** One line of the journal. */
export type JournalLine =
  | { readonly type: 'incident'; readonly data: Incident }
  | { readonly type: 'ack'; readonly data: AckRecord }
  | { readonly type: 'audit'; readonly data: AuditRecord };

/** Called with every record the store really writes (not the replays it ignores). */
export type JournalObserver = (line: JournalLine) => void;

/** Options of {@link JournalIncidentStore}. */
export interface JournalIncidentStoreOptions {
  /** The JSON-lines file appended to. @default none: memory only */
  readonly file?: string;
  /** Sees every new incident, ack and audit record (local mode prints them). */
  readonly observe?: JournalObserver;
  /** A line that could not be written (the escalation goes on; local mode says so once). */
  readonly onWriteError?: (error: Error) => void;
}

/**
 * The local incident store of `npm start`: the in-memory store's semantics, plus every new incident, ack and
 * audit record appended as one JSON line to a file another process (`vigil incidents`) can read, and shown
 * to an observer as it happens.
 */
export class JournalIncidentStore extends MemoryIncidentStore {
  public constructor(private readonly options: JournalIncidentStoreOptions = {}) {
    super();
  }

  private write(line: JournalLine): void {
    this.options.observe?.(line);
    const file = this.options.file;
    if (file === undefined) return;
    try {
      mkdirSync(dirname(file), { recursive: true });
      appendFileSync(file, `${JSON.stringify(line)}\n`);
    } catch (error) {
      this.options.onWriteError?.(error as Error);
    }
  }

  public override async createIncident(incident: Incident): Promise<boolean> {
    const created = await super.createIncident(incident);
    if (created) this.write({ type: 'incident', data: incident });
    return created;
  }

  public override async recordAck(ack: AckRecord): Promise<{ ack: AckRecord; created: boolean }> {
    const result = await super.recordAck(ack);
    if (result.created) this.write({ type: 'ack', data: result.ack });
    return result;
  }

  public override async appendAudit(record: AuditRecord): Promise<void> {
    const before = (await super.listAudit(record.incidentId)).length;
    await super.appendAudit(record);
    if ((await super.listAudit(record.incidentId)).length > before)
      this.write({ type: 'audit', data: record });
  }
}

/** What a journal holds, per incident. */
export interface JournalContents {
  readonly incidents: readonly Incident[];
  readonly acks: ReadonlyMap<string, AckRecord>;
  readonly audit: ReadonlyMap<string, readonly AuditRecord[]>;
}

/** The journal file could not be read or a line is not a journal record. */
export class IncidentJournalError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IncidentJournalError';
  }
}

/**
 * Reads a journal written by {@link JournalIncidentStore}; a missing file is an empty journal.
 *
 * @throws {IncidentJournalError} naming the file and line that is not a journal record
 */
export const readIncidentJournal = (file: string): JournalContents => {
  const incidents = new Map<string, Incident>();
  const acks = new Map<string, AckRecord>();
  const audit = new Map<string, AuditRecord[]>();
  if (!existsSync(file)) return { incidents: [], acks, audit };
  const lines = readFileSync(file, 'utf8').split('\n');
  lines.forEach((text, index) => {
    if (text.trim() === '') return;
    let line: JournalLine;
    try {
      line = JSON.parse(text) as JournalLine;
    } catch (error) {
      throw new IncidentJournalError(`${file}:${index + 1} is not JSON`, { cause: error });
    }
    if (line.type === 'incident') incidents.set(line.data.id, line.data);
    else if (line.type === 'ack') {
      if (!acks.has(line.data.incidentId)) acks.set(line.data.incidentId, line.data);
    } else if (line.type === 'audit')
      audit.set(line.data.incidentId, [...(audit.get(line.data.incidentId) ?? []), line.data]);
    else throw new IncidentJournalError(`${file}:${index + 1} is not an incident, ack or audit record`);
  });
  return {
    incidents: [...incidents.values()],
    acks,
    audit: new Map([...audit].map(([id, records]) => [id, records.sort((a, b) => a.at - b.at)])),
  };
};
