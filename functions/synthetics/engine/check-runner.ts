import { randomInt, randomUUID } from 'node:crypto';
import { type Clock, realClock } from '../../commons/clock';
import {
  checkSecretNames,
  checkTemplates,
  environmentVariablesUsed,
} from '../../commons/config/check-templates';
import { renderTemplate, templateReferences } from '../../commons/config/template';
import type { ResolvedCheck, ResolvedProbe, ResolvedStep } from '../../commons/config/types';
import { hasHeader } from '../../commons/http-headers';
import { isSensitiveName, Redactor } from '../../commons/redactor';
import type { TraceSpan } from '../types/ports';
import type {
  AssertionResult,
  AttemptResult,
  CheckResult,
  CheckStatus,
  RequestTimings,
  StepPhase,
  StepResult,
} from '../types/results';
import { evaluateAssertion } from './assertions';
import { runDnsProbe } from './dns-check';
import type { EngineOptions } from './engine-options';
import { CheckAbortedError, StepTimeoutError, TemplateVariableError } from './errors';
import { extractValues } from './extract';
import { HttpClient, HttpRequestError, type HttpResponse, roundMs, zeroTimings } from './http-client';
import { certificateInfo } from './peer-certificate';
import type { ProbeEnvironment, ProbeOutcome } from './probe-outcome';
import { responseView } from './response-view';
import { retryDelayMs } from './retry-policy';
import { runTcpProbe } from './tcp-check';
import { runTlsProbe } from './tls-check';
import { traceHeaders } from './trace-headers';
import { untracedTracing } from './untraced-tracing';

/** The HTTP client's trust settings from the engine's options. */
export const trustOf = (options: EngineOptions): { trustedCertificates?: readonly string[] } =>
  options.trustedCertificates !== undefined ? { trustedCertificates: options.trustedCertificates } : {};

/** Shares resolved secrets between the checks of one `runChecks` call: each secret is fetched once. */
export type SecretCache = Map<string, Promise<string>>;

/** What the checks of one `runChecks` call share. */
export interface SharedRun {
  readonly secretCache: SecretCache;
  /** Connection pool of the batch; when absent the check opens (and closes) its own. */
  readonly client?: HttpClient;
}

const USER_AGENT = 'Vigil-Synthetics/1.0';
const round = roundMs;

const worst = (a: CheckStatus, b: CheckStatus): CheckStatus =>
  a === 'failed' || b === 'failed' ? 'failed' : a === 'degraded' || b === 'degraded' ? 'degraded' : 'passed';

/** Everything one attempt shares: rendered variables, redactor, HTTP client, deadline. */
interface RunContext {
  readonly check: ResolvedCheck;
  readonly options: EngineOptions;
  readonly clock: Clock;
  readonly client: HttpClient;
  readonly redactor: Redactor;
  readonly secrets: ReadonlyMap<string, string>;
  readonly span: TraceSpan;
  /** `clock.monotonic()` value after which the check's budget is spent. */
  readonly deadline: number;
  readonly attempt: number;
  /** What the check's templates say (extracted variables sent on are credentials too). */
  readonly plan: TemplatePlan;
}

/**
 * Extracted values shorter than this are not treated as credentials even when sent on (an id `42` would
 * otherwise blank every `42` of a result). Secret values and credential-named variables are always redacted.
 */
const MIN_SENT_VALUE_CHARS = 4;

/** What a check's templates say: it cannot change while the check and the environment's variables do not. */
interface TemplatePlan {
  /** The environment variables (`options.variables`) the check (its steps, headers, body) uses. */
  readonly environmentVariables: readonly string[];
  /** The secrets the check needs, its environment variables' included. */
  readonly secretNames: readonly string[];
  /** Extracted variables the check sends on (a token from a login response sent as a bearer header). */
  readonly sentVariables: ReadonlySet<string>;
}

const NO_VARIABLES: Readonly<Record<string, string>> = Object.freeze({});

/** One plan per check object and variables object, so a batch (and every later run) analyses a check once. */
const templatePlans = new WeakMap<
  ResolvedCheck,
  { readonly variables: Readonly<Record<string, string>>; readonly plan: TemplatePlan }
>();

const templatePlanOf = (
  check: ResolvedCheck,
  variables: Readonly<Record<string, string>> = NO_VARIABLES,
): TemplatePlan => {
  const cached = templatePlans.get(check);
  if (cached?.variables === variables) return cached.plan;
  const extracted = new Set(
    [...check.setup, ...check.steps, ...check.teardown].flatMap((step) =>
      step.extract.map((item) => item.name),
    ),
  );
  const used = checkTemplates({ setup: check.setup, steps: check.steps, teardown: check.teardown }).flatMap(
    ({ template }) => templateReferences(template),
  );
  const plan: TemplatePlan = {
    environmentVariables: environmentVariablesUsed(check, variables),
    secretNames: checkSecretNames(check, variables),
    sentVariables: new Set(used.filter((name) => extracted.has(name))),
  };
  templatePlans.set(check, { variables, plan });
  return plan;
};

/** Applies the redactor to everything a step reports: URL, assertion values and messages, error. */
const redactStep = (redactor: Redactor, step: StepResult): StepResult => ({
  ...step,
  request: { ...step.request, url: redactor.url(step.request.url) },
  assertions: step.assertions.map((assertion) => ({
    ...assertion,
    expected: redactor.value(assertion.expected),
    actual: redactor.value(assertion.actual),
    ...(assertion.message !== undefined ? { message: redactor.text(assertion.message) } : {}),
  })),
  ...(step.error !== undefined ? { error: redactor.text(step.error) } : {}),
});

/** Applies the redactor to an attempt once every value it may hold is known (a later step's token included). */
const redactAttempt = (redactor: Redactor, attempt: AttemptResult): AttemptResult => ({
  ...attempt,
  steps: attempt.steps.map((step) => redactStep(redactor, step)),
  ...(attempt.error !== undefined ? { error: redactor.text(attempt.error) } : {}),
});

/** Waits for `promise`, but no longer than `ms`; the timer is always cleared. */
const withinBudget = async <T>(promise: Promise<T>, ms: number, message: string): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new StepTimeoutError(message, ms)), Math.max(0, ms));
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
};

/**
 * Resolves a placeholder: the given scopes first (extracted values, check variables), then secrets,
 * built-ins, and last `environment` (the environment variables, already rendered).
 */
const makeLookup = (
  ctx: Pick<RunContext, 'options' | 'clock' | 'secrets'>,
  scopes: readonly Readonly<Record<string, string>>[],
  environment: Readonly<Record<string, string>> = {},
): ((name: string) => string | undefined) => {
  return (name) => {
    for (const scope of scopes) if (Object.hasOwn(scope, name)) return scope[name];
    if (name.startsWith('secrets.')) return ctx.secrets.get(name.slice(8));
    switch (name) {
      case 'baseUrl':
        return ctx.options.baseUrl;
      case '$uuid':
        return randomUUID();
      case '$now':
        return new Date(ctx.clock.now()).toISOString();
      case '$timestamp':
        return String(ctx.clock.now());
      case '$randomInt':
        return String(randomInt(0, 1_000_000));
      default:
        return Object.hasOwn(environment, name) ? environment[name] : undefined;
    }
  };
};

const joinUrl = (baseUrl: string, url: string): string =>
  url.startsWith('/') ? `${baseUrl.replace(/\/+$/, '')}${url}` : url;

interface RenderedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

const renderRequest = (
  step: ResolvedStep,
  lookup: (name: string) => string | undefined,
  baseUrl: string,
): RenderedRequest => {
  const missing: string[] = [];
  // A text without `{{` has no placeholder (most URLs and headers): nothing to render.
  const render = (text: string, where: string) =>
    text.includes('{{')
      ? renderTemplate(text, lookup, (name) => missing.push(`'${name}' in ${where}`))
      : text;
  const url = joinUrl(baseUrl, render(step.request.url, 'url'));
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(step.request.headers))
    headers[name] = render(value, `header ${name}`);
  const body = step.request.body === undefined ? undefined : render(step.request.body, 'body');
  if (missing.length > 0) {
    throw new TemplateVariableError(`unknown template variable ${missing.join(', ')}`);
  }
  return { method: step.request.method, url, headers, ...(body !== undefined ? { body } : {}) };
};

/** Result of one step plus what it extracted. */
interface StepOutcome {
  readonly result: StepResult;
  readonly values: Readonly<Record<string, string>>;
}

const runStep = async (
  ctx: RunContext,
  step: ResolvedStep,
  phase: StepPhase,
  lookup: (name: string) => string | undefined,
): Promise<StepOutcome> => {
  const { check, redactor, clock } = ctx;
  const span = ctx.span.child(step.name);
  span.annotate('check', check.name);
  span.annotate('step', step.name);
  span.annotate('attempt', ctx.attempt);
  const started = clock.monotonic();
  let method = step.request.method;
  let url = step.request.url;
  let response: HttpResponse | undefined;
  let timings: RequestTimings = zeroTimings();
  let redirects = 0;
  let error: string | undefined;
  let assertions: AssertionResult[] = [];
  let values: Record<string, string> = {};
  try {
    const request = renderRequest(step, lookup, ctx.options.baseUrl);
    method = request.method;
    url = request.url;
    const remaining = ctx.deadline - clock.monotonic();
    if (remaining <= 0)
      throw new StepTimeoutError(`not run: check timeout of ${check.timeoutMs} ms reached`, check.timeoutMs);
    const headers = { ...request.headers };
    for (const [name, value] of Object.entries(traceHeaders(span)))
      if (!hasHeader(headers, name)) headers[name] = value;
    if (!hasHeader(headers, 'user-agent')) headers['user-agent'] = USER_AGENT;
    const checkBound = remaining < step.timeoutMs;
    try {
      response = await ctx.client.request({
        method: request.method,
        url: request.url,
        headers,
        ...(request.body !== undefined ? { body: request.body } : {}),
        timeoutMs: Math.min(step.timeoutMs, remaining),
        maxBodyBytes: check.maxBodyBytes,
        maxRedirects: check.maxRedirects,
        ...(ctx.options.signal ? { signal: ctx.options.signal } : {}),
      });
    } catch (caught) {
      if (caught instanceof HttpRequestError) {
        timings = caught.timings;
        redirects = caught.redirects;
        if (caught.cause instanceof StepTimeoutError && checkBound) {
          throw new StepTimeoutError(`check timed out after ${check.timeoutMs} ms`, check.timeoutMs, {
            cause: caught,
          });
        }
      }
      throw caught;
    }
    timings = response.timings;
    redirects = response.redirects;
    const view = responseView({ ...response, totalMs: timings.totalMs });
    const extraction = extractValues(step.extract, view);
    values = { ...extraction.values };
    for (const [name, value] of Object.entries(values)) {
      if (isSensitiveName(name) || (ctx.plan.sentVariables.has(name) && value.length >= MIN_SENT_VALUE_CHARS))
        redactor.add(value);
    }
    assertions = step.assert.map((assertion) => evaluateAssertion(assertion, view));
    // Every failing assertion is named: a 503 from /health/ready also says which dependency is down.
    const failed = assertions.filter((assertion) => !assertion.ok);
    if (failed.length > 0)
      error = failed.map((item) => item.message ?? `expected ${item.description}`).join('; ');
    else if (extraction.errors.length > 0) error = extraction.errors.join('; ');
  } catch (caught) {
    error = (caught as Error).message;
  }
  const latency = timings.totalMs;
  const failedAfter = step.failedAfterMs;
  const degradedAfter = step.degradedAfterMs;
  let status: CheckStatus = error === undefined ? 'passed' : 'failed';
  if (status === 'passed' && failedAfter !== undefined && latency > failedAfter) {
    status = 'failed';
    error = `latency ${round(latency)} ms above failedAfter ${failedAfter} ms`;
  } else if (status === 'passed' && degradedAfter !== undefined && latency > degradedAfter) {
    status = 'degraded';
  }
  const safeUrl = redactor.url(url);
  const safeError = error === undefined ? undefined : redactor.text(error);
  span.http(
    { method, url: safeUrl },
    response ? { status: response.status, contentLength: response.bytes } : undefined,
  );
  span.metadata('timings', timings);
  span.annotate('status', status);
  if (safeError !== undefined) span.fail(safeError);
  span.close();
  // Not redacted here: `runCheck` redacts every attempt once, when all the values to scrub are known.
  return {
    values,
    result: {
      name: step.name,
      phase,
      status,
      durationMs: round(clock.monotonic() - started),
      timings,
      request: { method, url },
      ...(response ? { statusCode: response.status } : {}),
      responseBytes: response?.bytes ?? 0,
      redirects,
      assertions,
      ...(response?.certificate !== undefined
        ? { certificate: certificateInfo(response.certificate, clock.now()) }
        : {}),
      ...(error !== undefined ? { error } : {}),
    },
  };
};

const probeRunner = (probe: ResolvedProbe, env: ProbeEnvironment): Promise<ProbeOutcome> => {
  switch (probe.type) {
    case 'tcp':
      return runTcpProbe(probe, env);
    case 'dns':
      return runDnsProbe(probe, env);
    case 'tls':
      return runTlsProbe(probe, env);
  }
};

/**
 * Runs the probe of a `tcp`, `dns` or `tls` check as the check's one step (named after its kind), within
 * the probe's timeout and what is left of the check's. A probe that found a problem fails the step; one
 * that only warns (a certificate inside its warning window) makes it `degraded`, its `error` saying why.
 */
const runProbeStep = async (ctx: RunContext, probe: ResolvedProbe): Promise<StepResult> => {
  const { check, clock } = ctx;
  const span = ctx.span.child(probe.type);
  span.annotate('check', check.name);
  span.annotate('step', probe.type);
  span.annotate('attempt', ctx.attempt);
  const started = clock.monotonic();
  const remaining = ctx.deadline - started;
  const outcome: ProbeOutcome =
    remaining <= 0
      ? {
          method: probe.type === 'dns' ? 'DNS' : probe.type === 'tls' ? 'TLS' : 'TCP',
          url: probe.type === 'dns' ? `dns://${probe.query}` : `${probe.type}://${probe.host}:${probe.port}`,
          timings: zeroTimings(),
          assertions: [],
          responseBytes: 0,
          error: `not run: check timeout of ${check.timeoutMs} ms reached`,
        }
      : await probeRunner(probe, {
          now: () => clock.now(),
          budgetMs: Math.min(probe.timeoutMs, remaining),
          ...(ctx.options.signal !== undefined ? { signal: ctx.options.signal } : {}),
          ...(ctx.options.trustedCertificates !== undefined
            ? { trustedCertificates: ctx.options.trustedCertificates }
            : {}),
        });
  const status: CheckStatus =
    outcome.error !== undefined ? 'failed' : outcome.warning !== undefined ? 'degraded' : 'passed';
  const error = outcome.error ?? outcome.warning;
  // Redacted with the rest of the attempt in `runCheck`; the span gets its own redacted error.
  const result: StepResult = {
    name: probe.type,
    phase: 'main',
    status,
    durationMs: round(clock.monotonic() - started),
    timings: outcome.timings,
    request: { method: outcome.method, url: outcome.url },
    responseBytes: outcome.responseBytes,
    redirects: 0,
    assertions: outcome.assertions,
    ...(outcome.certificate !== undefined ? { certificate: outcome.certificate } : {}),
    ...(error !== undefined ? { error } : {}),
  };
  span.metadata('timings', outcome.timings);
  span.annotate('status', status);
  if (status === 'failed' && error !== undefined) span.fail(ctx.redactor.text(error));
  span.close();
  return result;
};

/**
 * Runs one attempt: setup, then the main steps, stopping at the first failure, then teardown (always).
 *
 * Status rules: a failed setup or main step fails the attempt. A failed teardown step is reported as
 * failed on its own, but only makes the attempt `degraded` when everything before it passed: the
 * journey itself worked, cleanup did not, and someone should look. Step latency is compared with the
 * step's `failedAfterMs`/`degradedAfterMs`; the check's thresholds apply to the time of setup plus main
 * steps (teardown excluded). Any degraded step makes the attempt degraded.
 */
const runAttempt = async (ctx: RunContext): Promise<AttemptResult> => {
  const { check, clock } = ctx;
  const started = clock.monotonic();
  const steps: StepResult[] = [];
  let status: CheckStatus = 'passed';
  let error: string | undefined;
  const extracted: Record<string, string> = {};
  const checkVariables: Record<string, string> = {};
  const environment: Record<string, string> = {};
  const lookup = makeLookup(ctx, [extracted, checkVariables], environment);
  const variableLookup = makeLookup(ctx, [], environment);
  const missing: string[] = [];
  const environmentVariables = ctx.options.variables ?? NO_VARIABLES;
  for (const name of ctx.plan.environmentVariables) {
    // Environment variables may hold `{{secrets.x}}` and built-ins (not other variables).
    environment[name] = renderTemplate(environmentVariables[name] ?? '', makeLookup(ctx, []), (ref) =>
      missing.push(`'${ref}' in environment variable ${name}`),
    );
  }
  for (const [name, value] of Object.entries(check.variables)) {
    // Check variables are rendered once per attempt, so `{{$uuid}}` in one is the same in every step.
    checkVariables[name] = renderTemplate(value, variableLookup, (ref) =>
      missing.push(`'${ref}' in variable ${name}`),
    );
  }
  const record = (step: StepResult): void => {
    steps.push(step);
    if (step.status !== 'passed' && error === undefined && step.error !== undefined) {
      error = `${step.name}: ${step.error}`;
    }
  };
  if (missing.length > 0) {
    status = 'failed';
    error = ctx.redactor.text(`unknown template variable ${missing.join(', ')}`);
  } else if (check.probe !== undefined) {
    const step = await runProbeStep(ctx, check.probe);
    record(step);
    status = worst(status, step.status);
  } else {
    for (const [phase, list] of [
      ['setup', check.setup],
      ['main', check.steps],
    ] as const) {
      for (const step of list) {
        if (status === 'failed') break;
        const outcome = await runStep(ctx, step, phase, lookup);
        Object.assign(extracted, outcome.values);
        record(outcome.result);
        status = worst(status, outcome.result.status);
      }
    }
  }
  const mainMs = clock.monotonic() - started;
  if (status !== 'failed') {
    if (check.failedAfterMs !== undefined && mainMs > check.failedAfterMs) {
      status = 'failed';
      error = `latency ${round(mainMs)} ms above failedAfter ${check.failedAfterMs} ms`;
    } else if (check.degradedAfterMs !== undefined && mainMs > check.degradedAfterMs) {
      status = worst(status, 'degraded');
    }
  }
  for (const step of check.teardown) {
    const outcome = await runStep(ctx, step, 'teardown', lookup);
    Object.assign(extracted, outcome.values);
    record(outcome.result);
    if (outcome.result.status === 'failed') status = worst(status, 'degraded');
  }
  return {
    attempt: ctx.attempt,
    status,
    durationMs: round(clock.monotonic() - started),
    steps,
    ...(error !== undefined ? { error } : {}),
  };
};

const resolveSecrets = async (
  check: ResolvedCheck,
  names: readonly string[],
  options: EngineOptions,
  cache: SecretCache,
  budgetMs: number,
): Promise<Map<string, string>> => {
  const resolved = new Map<string, string>();
  if (names.length === 0) return resolved;
  const resolver = options.secrets;
  if (!resolver)
    throw new Error(
      `secret${names.length > 1 ? 's' : ''} ${names.map((n) => `'${n}'`).join(', ')} used but no secret resolver configured`,
    );
  const values = await withinBudget(
    Promise.all(
      names.map((name) => {
        let pending = cache.get(name);
        if (!pending) {
          pending = Promise.resolve().then(() => resolver(name));
          pending.catch(() => undefined);
          cache.set(name, pending);
        }
        return pending;
      }),
    ),
    budgetMs,
    `resolving secrets took longer than the check timeout of ${check.timeoutMs} ms`,
  );
  for (const [index, name] of names.entries()) resolved.set(name, values[index] ?? '');
  return resolved;
};

/**
 * Runs one check: resolves its secrets, runs attempts (setup -> steps -> teardown) until one does not
 * fail or `retry.maxAttempts` is reached, waiting per the retry strategy in between, all within the
 * check's `timeoutMs`. Never rejects: errors become a failed result. Secrets and credentials are
 * redacted from everything in the result.
 *
 * @param shared what the checks of one `runChecks` call share: resolved secrets and, unless
 *   `reuseConnections` is `'check'`, the connection pool
 * @example
 * const result = await runCheck(check, { baseUrl: 'http://127.0.0.1:8080', concurrency: 1 });
 * if (result.status === 'failed') console.log(result.error);
 */
export const runCheck = async (
  check: ResolvedCheck,
  options: EngineOptions,
  shared: SharedRun = { secretCache: new Map() },
): Promise<CheckResult> => {
  const clock = options.clock ?? realClock;
  const tracing = options.tracing ?? untracedTracing(clock.now);
  const startedAt = new Date(clock.now()).toISOString();
  const startedMono = clock.monotonic();
  const deadline = startedMono + check.timeoutMs;
  const span = tracing.startCheck(check.name);
  span.annotate('check', check.name);
  const client = shared.client ?? new HttpClient(1, trustOf(options));
  const redactor = new Redactor();
  const plan = templatePlanOf(check, options.variables);
  const attempts: AttemptResult[] = [];
  let setupError: string | undefined;
  try {
    if (options.signal?.aborted) throw new CheckAbortedError('check run aborted before the check started');
    const secrets = await resolveSecrets(
      check,
      plan.secretNames,
      options,
      shared.secretCache,
      check.timeoutMs,
    );
    for (const value of secrets.values()) redactor.add(value);
    for (let attempt = 1; attempt <= check.retry.maxAttempts; attempt += 1) {
      if (attempt > 1) {
        const wait = retryDelayMs(check.retry, attempt - 1);
        if (clock.monotonic() + wait >= deadline || options.signal?.aborted) break;
        await clock.sleep(wait, options.signal);
        if (options.signal?.aborted) break;
      }
      const result = await runAttempt({
        check,
        options,
        clock,
        client,
        redactor,
        secrets,
        span,
        deadline,
        attempt,
        plan,
      });
      attempts.push(result);
      if (result.status !== 'failed') break;
    }
  } catch (caught) {
    setupError = redactor.text((caught as Error).message);
  } finally {
    if (client !== shared.client) client.close();
  }
  // Every value to scrub is known now (a token a later step extracted and sent on included).
  const reported = attempts.map((attempt) => redactAttempt(redactor, attempt));
  const final = reported.at(-1);
  const status: CheckStatus = final?.status ?? 'failed';
  const rawError = final?.error ?? setupError;
  const error = rawError === undefined ? undefined : redactor.text(rawError);
  span.annotate('status', status);
  span.metadata('result', { status, attempts: attempts.length, error });
  if (status === 'failed' && error !== undefined) span.fail(error);
  span.close();
  return {
    name: check.name,
    status,
    startedAt,
    durationMs: round(clock.monotonic() - startedMono),
    steps: final?.steps ?? [],
    firstAttemptStatus: reported[0]?.status ?? 'failed',
    retries: Math.max(0, reported.length - 1),
    attempts: reported,
    ...(error !== undefined ? { error } : {}),
    traceId: span.traceId,
    severity: check.severity,
    team: check.team,
    ...(options.location !== undefined ? { location: options.location } : {}),
  };
};
