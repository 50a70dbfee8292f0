import type { z } from 'zod';
import type { stepSchema } from './check-schema';
import type { VigilConfigInput } from './schema';

/** One journey step as written in config: lets configs share steps between checks. */
export type StepInput = z.input<typeof stepSchema>;

/**
 * Typed helper for `vigil.config.ts`: gives editor completion and type errors while writing a config.
 * Validation happens when the config is loaded (`cdk synth`, every `vigil` command).
 *
 * @example
 * export const config = defineConfig({
 *   app: 'shop',
 *   environments: { prod: { baseUrl: 'https://api.example.com' } },
 *   checks: [{ type: 'health', name: 'live', url: '{{baseUrl}}/health/live', schedule: '1m' }],
 * });
 */
export const defineConfig = (config: VigilConfigInput): VigilConfigInput => config;
