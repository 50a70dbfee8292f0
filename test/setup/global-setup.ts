import { startMoto } from './moto-server';

/**
 * Starts one moto server for the whole run and points every AWS SDK client at it through
 * AWS_ENDPOINT_URL with dummy credentials. Workers inherit these variables.
 */
export default async function globalSetup(): Promise<void> {
  const moto = await startMoto();
  (globalThis as { __MOTO__?: unknown }).__MOTO__ = moto;
  process.env.AWS_ENDPOINT_URL = moto.endpoint;
  process.env.AWS_ACCESS_KEY_ID = 'testing';
  process.env.AWS_SECRET_ACCESS_KEY = 'testing';
  process.env.AWS_REGION = 'us-east-1';
  process.env.AWS_DEFAULT_REGION = 'us-east-1';
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_SESSION_TOKEN;
}
