import type { z } from 'zod';
import { hasHeader } from '../http-headers';
import type { checkSchema, checkSettingsSchema, stepSchema } from './check-schema';
import { checkSecretNames } from './check-templates';
import { CHECK_DEFAULTS } from './defaults';
import { ConfigValidationError, formatPath } from './errors';
import { resolveFailWhen } from './fail-when';
import { type ResolvedSchedule, resolveSchedule } from './schedule';
import { configSchema, type VigilConfig } from './schema';
import type { ResolvedCheck, ResolvedProbe, ResolvedRetry, ResolvedStep } from './types';

type Settings = z.output<typeof checkSettingsSchema>;
type Step = z.output<typeof stepSchema>;
type Check = z.output<typeof checkSchema>;

/**
 * Validates unknown input against the config schema, collecting every problem with its path.
 *
 * @throws {ConfigValidationError} listing all problems at once
 * @example
 * const config = parseConfig(JSON.parse(text), 'vigil.config.json');
 */
export const parseConfig = (input: unknown, source = 'config'): VigilConfig => {
  const result = configSchema.safeParse(input);
  if (result.success) return result.data;
  throw new ConfigValidationError(
    result.error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message })),
    source,
  );
};

const firstDefined = <T>(...values: (T | undefined)[]): T | undefined =>
  values.find((value) => value !== undefined);

const resolveRetry = (retry: Settings['retry']): ResolvedRetry =>
  retry
    ? {
        strategy: retry.strategy,
        maxAttempts: retry.maxAttempts,
        delayMs: retry.delay,
        maxDelayMs: retry.maxDelay,
      }
    : CHECK_DEFAULTS.retry;

const resolveStep = (step: Step, stepTimeoutMs: number): ResolvedStep => ({
  name: step.name,
  request: {
    method: step.request.method,
    url: step.request.url,
    headers:
      step.request.json !== undefined && !hasHeader(step.request.headers, 'content-type')
        ? { ...step.request.headers, 'content-type': 'application/json' }
        : step.request.headers,
    ...(step.request.json !== undefined
      ? { body: JSON.stringify(step.request.json) }
      : step.request.body !== undefined
        ? { body: step.request.body }
        : {}),
  },
  extract: step.extract,
  assert: step.assert,
  timeoutMs: step.timeout ?? stepTimeoutMs,
  ...(step.degradedAfter !== undefined ? { degradedAfterMs: step.degradedAfter } : {}),
  ...(step.failedAfter !== undefined ? { failedAfterMs: step.failedAfter } : {}),
});

/** The probe of a network check, timeouts resolved (the step timeout bounds the whole exchange). */
const resolveProbe = (check: Check, stepTimeoutMs: number): ResolvedProbe | undefined => {
  switch (check.type) {
    case 'tcp':
      return {
        type: 'tcp',
        host: check.host,
        port: check.port,
        tls: check.tls,
        ...(check.servername !== undefined ? { servername: check.servername } : {}),
        ...(check.send !== undefined ? { send: check.send } : {}),
        ...(check.expect !== undefined ? { expect: check.expect } : {}),
        connectTimeoutMs: Math.min(check.connectTimeout ?? stepTimeoutMs, stepTimeoutMs),
        timeoutMs: stepTimeoutMs,
      };
    case 'dns':
      return {
        type: 'dns',
        query: check.query,
        recordType: check.recordType,
        resolvers: check.resolvers ?? [],
        assert: check.assert,
        timeoutMs: stepTimeoutMs,
      };
    case 'tls':
      return {
        type: 'tls',
        host: check.host,
        port: check.port,
        ...(check.servername !== undefined ? { servername: check.servername } : {}),
        warningDays: check.daysBeforeExpiry.warning,
        criticalDays: check.daysBeforeExpiry.critical,
        ...(check.minProtocol !== undefined ? { minProtocol: check.minProtocol } : {}),
        ...(check.issuer !== undefined ? { issuer: check.issuer } : {}),
        connectTimeoutMs: Math.min(check.connectTimeout ?? stepTimeoutMs, stepTimeoutMs),
        timeoutMs: stepTimeoutMs,
      };
    default:
      return undefined;
  }
};

/**
 * Applies inheritance (check > group > `defaults` > built-ins), expands health probes into a step and
 * network checks into their `probe`,
 * giving the checks exactly as the engine runs them.
 */
export const resolveChecks = (config: VigilConfig): ResolvedCheck[] => {
  const groups = new Map(config.checkGroups.map((group) => [group.name, group]));
  return config.checks
    .filter((check) => check.enabled)
    .map((check): ResolvedCheck => {
      const group: Settings = (check.group !== undefined ? groups.get(check.group) : undefined) ?? {};
      const pick = <K extends keyof Settings>(key: K): Settings[K] =>
        firstDefined(check[key], group[key], config.defaults[key]);
      const schedule = resolveSchedule(pick('schedule') ?? CHECK_DEFAULTS.schedule) as ResolvedSchedule;
      const stepTimeoutMs = pick('stepTimeout') ?? CHECK_DEFAULTS.stepTimeoutMs;
      const degradedAfterMs = pick('degradedAfter');
      const failedAfterMs = pick('failedAfter');
      const runbookUrl = pick('runbookUrl');
      const probe = resolveProbe(check, stepTimeoutMs);
      const steps: ResolvedStep[] =
        check.type !== 'api' && check.type !== 'health'
          ? []
          : check.type === 'health'
            ? [
                {
                  name: 'probe',
                  request: { method: 'GET', url: check.url, headers: check.headers },
                  extract: [],
                  assert: [
                    { type: 'status', op: 'equals', value: check.expectStatus },
                    {
                      type: 'dependencies',
                      ...(check.dependenciesPath !== undefined ? { path: check.dependenciesPath } : {}),
                      ...(check.healthyValues !== undefined ? { healthy: check.healthyValues } : {}),
                      ...(check.unhealthyValues !== undefined ? { unhealthy: check.unhealthyValues } : {}),
                      // Told where the statuses are, the probe needs them; otherwise a text body passes.
                      required: check.dependenciesPath !== undefined,
                    },
                  ],
                  timeoutMs: stepTimeoutMs,
                },
              ]
            : check.steps.map((step) => resolveStep(step, stepTimeoutMs));
      const setup = check.type === 'api' ? check.setup.map((step) => resolveStep(step, stepTimeoutMs)) : [];
      const teardown =
        check.type === 'api' ? check.teardown.map((step) => resolveStep(step, stepTimeoutMs)) : [];
      return {
        name: check.name,
        type: check.type,
        ...(check.description !== undefined ? { description: check.description } : {}),
        ...(check.group !== undefined ? { group: check.group } : {}),
        schedule,
        locations: pick('locations') ?? [...CHECK_DEFAULTS.locations],
        severity: pick('severity') ?? CHECK_DEFAULTS.severity,
        team: pick('team') ?? CHECK_DEFAULTS.team,
        ...(runbookUrl !== undefined ? { runbookUrl } : {}),
        tags: { ...config.defaults.tags, ...group.tags, ...check.tags },
        timeoutMs: pick('timeout') ?? CHECK_DEFAULTS.timeoutMs,
        ...(degradedAfterMs !== undefined ? { degradedAfterMs } : {}),
        ...(failedAfterMs !== undefined ? { failedAfterMs } : {}),
        failWhen: resolveFailWhen(pick('failWhen'), config.checkAlarms),
        retry: resolveRetry(pick('retry')),
        maxBodyBytes: pick('maxBodyBytes') ?? CHECK_DEFAULTS.maxBodyBytes,
        maxRedirects: pick('maxRedirects') ?? CHECK_DEFAULTS.maxRedirects,
        variables: check.type === 'api' ? check.variables : {},
        setup,
        steps,
        teardown,
        ...(probe !== undefined ? { probe } : {}),
        secrets: checkSecretNames({
          variables: check.type === 'api' ? check.variables : {},
          setup,
          steps,
          teardown,
        }),
      };
    });
};
