/** Thrown when a required environment variable is missing at module load. */
export class MissingEnvironmentError extends Error {
  public constructor(name: string) {
    super(`environment variable ${name} is required but not set`);
    this.name = 'MissingEnvironmentError';
  }
}

/**
 * Reads an environment variable once (call at module scope), throwing a clear error when it is missing.
 *
 * @example
 * const tableName = requireEnv('VIGIL_TABLE_NAME');
 */
export const requireEnv = (name: string, env: NodeJS.ProcessEnv = process.env): string => {
  const value = env[name];
  if (value === undefined || value === '') throw new MissingEnvironmentError(name);
  return value;
};
