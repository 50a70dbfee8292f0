import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireEnv } from '../../commons/env';
import { withRuntimeContext } from '../core/resolve-runtime-config';
import type {
  BundledRuntimeConfig,
  EscalationRuntimeConfig,
  RuntimeConfigContext,
} from '../types/runtime-config';

/** The file the construct places next to the check-status and notify Lambdas' `index.js`. */
export const ESCALATION_CONFIG_FILE = 'escalation-config.json';
/** Environment variable holding the deploy-time values ({@link RuntimeConfigContext}) as JSON. */
export const ESCALATION_CONTEXT_ENV = 'VIGIL_ESCALATION_CONTEXT';
/** Optional override of the bundled file's path (tests and tools running a handler outside its bundle). */
export const ESCALATION_CONFIG_FILE_ENV = 'VIGIL_ESCALATION_CONFIG_FILE';

/** Thrown at Lambda init when the bundled config or its deploy-time values are unreadable. */
export class EscalationConfigLoadError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EscalationConfigLoadError';
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const parseJson = (text: string, what: string): unknown => {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new EscalationConfigLoadError(`${what} is not valid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
};

const bundledFrom = (file: string): BundledRuntimeConfig => {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new EscalationConfigLoadError(
      `cannot read the bundled escalation config ${file}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  const value = parseJson(text, file);
  const missing = ['channels', 'policies'].filter(
    (key) => !isObject(isObject(value) ? value[key] : undefined),
  );
  if (!isObject(value) || missing.length > 0 || !Array.isArray(value.rules) || !Array.isArray(value.silences))
    throw new EscalationConfigLoadError(
      `${file} is not an escalation config: expected objects 'channels' and 'policies' and arrays 'rules' and 'silences'`,
    );
  return value as unknown as BundledRuntimeConfig;
};

const contextFrom = (env: NodeJS.ProcessEnv): RuntimeConfigContext => {
  const value = parseJson(requireEnv(ESCALATION_CONTEXT_ENV, env), ESCALATION_CONTEXT_ENV);
  if (!isObject(value) || typeof value.ackUrl !== 'string')
    throw new EscalationConfigLoadError(
      `${ESCALATION_CONTEXT_ENV}: expected an object with a string 'ackUrl'`,
    );
  const context = value as unknown as RuntimeConfigContext;
  const region = context.region ?? env.AWS_REGION;
  return region !== undefined ? { ...context, region } : context;
};

/**
 * Loads the runtime config at Lambda init: the config-derived part from the bundled
 * {@link ESCALATION_CONFIG_FILE}, the deployment's values from {@link ESCALATION_CONTEXT_ENV}.
 *
 * @throws {EscalationConfigLoadError} naming the file or variable that is missing or malformed
 */
export const loadRuntimeConfig = (
  env: NodeJS.ProcessEnv = process.env,
  dir: string = __dirname,
): EscalationRuntimeConfig =>
  withRuntimeContext(
    bundledFrom(env[ESCALATION_CONFIG_FILE_ENV] ?? join(dir, ESCALATION_CONFIG_FILE)),
    contextFrom(env),
  );
