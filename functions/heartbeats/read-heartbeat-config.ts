import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HEARTBEAT_CONFIG_FILE, type HeartbeatRuntimeConfig } from './types/heartbeat-config';

/**
 * Reads the bundled heartbeat config (once, at module load). `VIGIL_HEARTBEAT_CONFIG_FILE` points tests at
 * their own file.
 */
export const readHeartbeatConfig = (
  dir: string,
  env: NodeJS.ProcessEnv = process.env,
): HeartbeatRuntimeConfig =>
  JSON.parse(
    readFileSync(env.VIGIL_HEARTBEAT_CONFIG_FILE ?? join(dir, HEARTBEAT_CONFIG_FILE), 'utf8'),
  ) as HeartbeatRuntimeConfig;
