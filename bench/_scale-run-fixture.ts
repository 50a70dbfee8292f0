import type { ResolvedCheck } from '../functions/commons/config/types';
import { stableHash } from '../functions/synthetics/planning/check-offsets';
import type { RunnerConfig } from '../functions/synthetics/types/runner-config';
import { benchCheck } from './_resolved-check';

/** What the scale-run parent and its shard processes share to build the same runner config. */
export interface ScaleRunSpec {
  readonly checks: number;
  readonly concurrency: number;
  readonly baseUrl: string;
  /** A 127.0.0.1 port nothing listens on: the refused checks point there. */
  readonly deadPort: number;
  readonly periodMs: number;
}

/** One check in 200 (0.5 %) points at a port nothing listens on: connection refused, every run. */
export const isRefused = (index: number): boolean => stableHash(`refused:${index}`) % 200 === 0;

/**
 * The runner config of the scale run: `checks` checks on one rate schedule of `periodMs`, each one GET
 * with a 10 s timeout asserting the status and a JSON field, as a typical API check.
 */
export const scaleRunConfig = (spec: ScaleRunSpec): RunnerConfig => {
  const minutes = spec.periodMs / 60_000;
  const schedule = {
    key: `every-${minutes}m`,
    expression: `rate(${minutes} minute${minutes === 1 ? '' : 's'})`,
    everyMs: spec.periodMs,
  };
  const checks = Array.from(
    { length: spec.checks },
    (_, i): ResolvedCheck =>
      benchCheck(
        `check-${String(i).padStart(5, '0')}`,
        [
          {
            name: 'get',
            request: {
              method: 'GET',
              url: isRefused(i) ? `http://127.0.0.1:${spec.deadPort}/r` : `/r?i=${i}`,
              headers: {},
            },
            extract: [],
            assert: [
              { type: 'status', op: 'equals', value: 200 },
              { type: 'jsonPath', path: '$.ok', op: 'equals', value: true },
            ],
            timeoutMs: 10_000,
          },
        ],
        { schedule },
      ),
  );
  return {
    app: 'scale-run',
    environment: 'bench',
    baseUrl: spec.baseUrl,
    variables: {},
    concurrency: spec.concurrency,
    metrics: 'essential',
    connections: 'reuse',
    location: 'us-east-1',
    secrets: {},
    checks,
  };
};
