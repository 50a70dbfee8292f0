import { type Faults, type FlightApi, startFlightApi } from '../../examples/flight-api';
import { resolveChecks } from '../../functions/commons/config/resolve-config';
import type { ResolvedSchedule } from '../../functions/commons/config/schedule';
import { createSecretResolver } from '../../functions/commons/secret-resolver';
import { runChecks } from '../../functions/synthetics/engine';
import type { CheckResult } from '../../functions/synthetics/types/results';
import { formatCheckLine } from '../commands/check-report';
import type { CliIO } from '../commands/cli-command';
import { loadCliConfig } from '../commands/load-cli-config';
import { createLocalSecretBackend } from '../commands/local-secret-backend';
import { type LocalJob, type LocalScheduler, startLocalScheduler } from './local-scheduler';

/** Options for {@link startLocalMode}. */
export interface LocalModeOptions {
  readonly io: CliIO;
  /** Config file. @default vigil.config.ts in io.cwd */
  readonly configPath?: string;
  /** Port of the bundled demo API; 0 picks a free one. @default 4010 */
  readonly port?: number;
  /** Faults injected into the demo API from the start. @default none */
  readonly faults?: Faults;
  /** Run every job at this interval instead of its schedule (demos). @default the configured schedules */
  readonly intervalMs?: number;
  /** Observes every check result (tests, other local components). */
  readonly onCheckResult?: (result: CheckResult) => void;
}

/** The running local mode. */
export interface LocalMode {
  readonly api: FlightApi;
  readonly baseUrl: string;
  /** Runs every job once now and resolves when they finish (`npm start -- --once`). */
  runOnce(): Promise<readonly CheckResult[]>;
  /** Starts the schedules (results print as they come). */
  startSchedules(): void;
  /** Stops schedules, in-flight checks and the demo API. */
  stop(): Promise<void>;
}

/**
 * Vigil's main job without AWS: starts the bundled demo flight API, then runs the config's checks on
 * their schedules with the same engine as the Lambda, printing each result.
 *
 * @returns undefined when the config is invalid (already reported on stderr)
 */
export const startLocalMode = async (options: LocalModeOptions): Promise<LocalMode | undefined> => {
  const { io } = options;
  const api = await startFlightApi({
    port: options.port ?? 4010,
    ...(options.faults ? { faults: options.faults } : {}),
  });
  const loaded = loadCliConfig(io, options.configPath, 'local', api.url);
  if (!loaded) {
    await api.close();
    return undefined;
  }
  const checks = resolveChecks(loaded.config);
  const secrets = createSecretResolver(loaded.config.secrets, createLocalSecretBackend(io.env));
  const groups = new Map<string, { schedule: ResolvedSchedule; names: string[] }>();
  for (const check of checks) {
    const group = groups.get(check.schedule.key) ?? { schedule: check.schedule, names: [] };
    group.names.push(check.name);
    groups.set(check.schedule.key, group);
  }
  const report = (result: CheckResult) => {
    io.stdout(`${new Date().toISOString().slice(11, 19)} ${formatCheckLine(result)}\n`);
    options.onCheckResult?.(result);
  };
  const runGroup = (key: string, signal?: AbortSignal) =>
    runChecks(
      checks.filter((check) => check.schedule.key === key),
      {
        baseUrl: api.url,
        variables: loaded.variables,
        concurrency: loaded.config.runner.concurrency,
        secrets,
        location: 'local',
        onResult: report,
        ...(signal ? { signal } : {}),
      },
    );
  const jobs: LocalJob[] = [...groups].map(([key, { schedule }]) => ({
    name: `checks:${key}`,
    schedule:
      options.intervalMs !== undefined ? { key, expression: 'local', everyMs: options.intervalMs } : schedule,
    run: async (signal) => {
      await runGroup(key, signal);
    },
  }));

  io.stdout(
    [
      `Demo flight API on ${api.url} (inject faults: curl -X PUT ${api.url}/__faults -d '{"down":["redis"]}')`,
      `${checks.length} checks from ${loaded.file}: ${[...groups]
        .map(([, group]) => `${group.names.length} on ${group.schedule.expression}`)
        .join(', ')}`,
      '',
    ].join('\n'),
  );

  let scheduler: LocalScheduler | undefined;
  return {
    api,
    baseUrl: api.url,
    async runOnce() {
      const results = await Promise.all([...groups.keys()].map((key) => runGroup(key, io.signal)));
      return results.flat();
    },
    startSchedules() {
      scheduler ??= startLocalScheduler(jobs, {
        onError: (job, error) => io.stderr(`${job.name} failed to run: ${(error as Error).message}\n`),
      });
    },
    async stop() {
      await scheduler?.stop();
      await api.close();
    },
  };
};
