import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OnCallConfig } from '../../commons/config/oncall-schema';

/** The file the calendar-feed construct places next to its Lambda's `index.js`. */
export const ONCALL_CONFIG_FILE = 'oncall-config.json';
/** Optional override of the bundled file's path (tests running the handler from source). */
export const ONCALL_CONFIG_FILE_ENV = 'VIGIL_ONCALL_CONFIG_FILE';

/** Environment variable holding `{ "<subscriber>": "<token secret ARN>" }` (ARNs only, never a token). */
export const CALENDAR_TOKEN_SECRETS_ENV = 'VIGIL_CALENDAR_TOKEN_SECRETS';

/** The part of the config a calendar feed is made from: validated at synth, bundled as JSON. */
export type BundledOnCallConfig = Pick<OnCallConfig, 'people' | 'schedules' | 'calendars'>;

/** Thrown at Lambda init when the bundled on-call config is missing or malformed. */
export class OnCallConfigLoadError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OnCallConfigLoadError';
  }
}

/** The bundled part of a validated config (what {@link loadBundledOnCallConfig} reads back). */
export const bundledOnCallConfig = (config: OnCallConfig): BundledOnCallConfig => ({
  people: config.people,
  schedules: config.schedules,
  calendars: config.calendars,
});

/**
 * Reads {@link ONCALL_CONFIG_FILE} at Lambda init.
 *
 * @throws {OnCallConfigLoadError} naming the file when it is unreadable or not an on-call config
 */
export const loadBundledOnCallConfig = (
  env: NodeJS.ProcessEnv = process.env,
  dir: string = __dirname,
): BundledOnCallConfig => {
  const file = env[ONCALL_CONFIG_FILE_ENV] ?? join(dir, ONCALL_CONFIG_FILE);
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new OnCallConfigLoadError(
      `cannot read the bundled on-call config ${file}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  const isObject = (part: unknown) => typeof part === 'object' && part !== null && !Array.isArray(part);
  const record = value as Record<string, unknown>;
  if (!isObject(value) || !['people', 'schedules', 'calendars'].every((key) => isObject(record[key])))
    throw new OnCallConfigLoadError(
      `${file} is not an on-call config: expected objects 'people', 'schedules' and 'calendars'`,
    );
  return value as BundledOnCallConfig;
};
