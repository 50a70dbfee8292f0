import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { OnCallOverrideConflictError } from '../core/errors';
import type { OverrideAuditRecord, ScheduleOverride } from '../types/override';
import type { OverrideStore } from '../types/ports';

/** Where local mode keeps run-time overrides, relative to the project directory. */
export const LOCAL_OVERRIDES_FILE = '.vigil/oncall-overrides.json';

interface FileContent {
  overrides: ScheduleOverride[];
  audit: OverrideAuditRecord[];
}

/**
 * {@link OverrideStore} in one JSON file (local mode, `.vigil/oncall-overrides.json`). Each change rewrites
 * the file through a temporary file and a rename, so a crash never leaves half a file; changes made through
 * one store run one after the other (two CLI processes writing at the same instant may lose one change:
 * local mode is one person's laptop).
 */
export class FileOverrideStore implements OverrideStore {
  private queue: Promise<unknown> = Promise.resolve();

  public constructor(private readonly file: string) {}

  /** Runs read-modify-write changes one at a time. */
  private serial<T>(change: () => Promise<T>): Promise<T> {
    const next = this.queue.then(change, change);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async read(): Promise<FileContent> {
    try {
      const parsed = JSON.parse(await readFile(this.file, 'utf8')) as Partial<FileContent>;
      return { overrides: parsed.overrides ?? [], audit: parsed.audit ?? [] };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { overrides: [], audit: [] };
      throw error;
    }
  }

  private async write(content: FileContent): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${randomUUID()}.tmp`;
    await writeFile(temporary, `${JSON.stringify(content, null, 2)}\n`, 'utf8');
    await rename(temporary, this.file);
  }

  public async listOverrides(schedule?: string): Promise<ScheduleOverride[]> {
    const { overrides } = await this.read();
    return overrides
      .filter((override) => schedule === undefined || override.schedule === schedule)
      .sort((a, b) => a.createdAt - b.createdAt);
  }

  public putOverride(override: ScheduleOverride): Promise<void> {
    return this.serial(async () => {
      const content = await this.read();
      if (content.overrides.some((existing) => existing.id === override.id)) {
        throw new OnCallOverrideConflictError(`override '${override.id}' exists`);
      }
      content.overrides.push(override);
      await this.write(content);
    });
  }

  public deleteOverride(id: string): Promise<ScheduleOverride | undefined> {
    return this.serial(async () => {
      const content = await this.read();
      const found = content.overrides.find((override) => override.id === id);
      if (found === undefined) return undefined;
      content.overrides = content.overrides.filter((override) => override.id !== id);
      await this.write(content);
      return found;
    });
  }

  public appendAudit(record: OverrideAuditRecord): Promise<void> {
    return this.serial(async () => {
      const content = await this.read();
      content.audit.push(record);
      await this.write(content);
    });
  }

  public async listAudit(): Promise<OverrideAuditRecord[]> {
    return (await this.read()).audit.sort((a, b) => a.at - b.at);
  }
}

/**
 * The run-time overrides `vigil oncall override` wrote locally (`.vigil/oncall-overrides.json` under `cwd`),
 * for the local escalation engine: read at each page, so an override made while `npm start` runs counts.
 */
export const localOverrides =
  (cwd: string) =>
  (schedule: string): Promise<ScheduleOverride[]> =>
    new FileOverrideStore(join(cwd, LOCAL_OVERRIDES_FILE)).listOverrides(schedule);
