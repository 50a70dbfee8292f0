import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OnCallConfig } from '../../commons/config/oncall-schema';
import type { SecretRef } from '../../commons/config/types';

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

/** The file the shift-notifier construct places next to its Lambda's `index.js`. */
export const SHIFT_NOTICES_CONFIG_FILE = 'shift-notices-config.json';

/** What the shift notifier is made from: people, schedules and how to reach people (no secret values). */
export type BundledShiftNoticeConfig = Pick<OnCallConfig, 'people' | 'schedules'> & {
  readonly paging: {
    readonly sms?: { readonly originationIdentity: string };
    readonly email?: { readonly from: string };
    readonly slack?: { readonly apiUrl: string; readonly botToken: SecretRef };
  };
};

/** The bundled part of a validated config for the shift notifier (calls are never made: no `voice`). */
export const bundledShiftNoticeConfig = (
  config: Pick<OnCallConfig, 'people' | 'schedules'> & {
    readonly paging: BundledShiftNoticeConfig['paging'];
  },
): BundledShiftNoticeConfig => ({
  people: config.people,
  schedules: config.schedules,
  paging: {
    ...(config.paging.sms !== undefined ? { sms: config.paging.sms } : {}),
    ...(config.paging.email !== undefined ? { email: config.paging.email } : {}),
    ...(config.paging.slack !== undefined ? { slack: config.paging.slack } : {}),
  },
});

/**
 * Reads {@link SHIFT_NOTICES_CONFIG_FILE} at Lambda init.
 *
 * @throws {OnCallConfigLoadError} naming the file when it is unreadable or not a shift-notice config
 */
export const loadBundledShiftNoticeConfig = (
  env: NodeJS.ProcessEnv = process.env,
  dir: string = __dirname,
): BundledShiftNoticeConfig => {
  const file = env[ONCALL_CONFIG_FILE_ENV] ?? join(dir, SHIFT_NOTICES_CONFIG_FILE);
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new OnCallConfigLoadError(
      `cannot read the bundled shift-notice config ${file}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  const record = value as Record<string, unknown>;
  const isObject = (part: unknown) => typeof part === 'object' && part !== null && !Array.isArray(part);
  if (!isObject(value) || !['people', 'schedules', 'paging'].every((key) => isObject(record[key])))
    throw new OnCallConfigLoadError(
      `${file} is not a shift-notice config: expected objects 'people', 'schedules' and 'paging'`,
    );
  return value as BundledShiftNoticeConfig;
};
