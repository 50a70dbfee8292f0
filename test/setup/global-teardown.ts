import type { MotoServer } from './moto-server';

/** Stops the moto server started by global-setup. */
export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __MOTO__?: MotoServer }).__MOTO__?.stop();
}
