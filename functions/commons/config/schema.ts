import { z } from 'zod';
import { namespaceProblem } from '../metrics/emf-rules';
import { DEFAULT_METRICS_NAMESPACE, errorsNamespace } from '../metrics/metric-catalog';
import { checkAlerting } from './check-alerting';
import {
  checkGroupSchema,
  checkSchema,
  checkSettingsSchema,
  environmentSchema,
  nameSchema,
  secretRefSchema,
} from './check-schema';
import { checkTemplates, secretNameOf, templateSecretNames } from './check-templates';
import { checkTimings } from './check-timing';
import { checkEscalationConfig, escalationConfigShape } from './escalation-schema';
import { heartbeatsSchema, refineHeartbeats } from './heartbeat-schema';
import { datasourcesSchema, kpisSchema, refineKpis } from './kpi-schema';
import { networkCheckIssues, regexIssue } from './network-check-issues';
import { checkObservabilityConfig, observabilityConfigShape } from './observability-schema';
import { checkOnCallConfig, oncallConfigShape } from './oncall-schema';
import { checkPagingConfig, pagingConfigShape } from './paging-schema';
import { parsedParts } from './parsed-parts';
import { resolveSchedule } from './schedule';
import { checkServiceLimits } from './service-limits';
import { BUILTIN_VARIABLES, templateReferences } from './template';

/** Where and how the synthetics runner Lambda runs. */
export const runnerSchema = z.strictObject({
  /** Checks run at once per invocation. @default 20 */
  concurrency: z.number().int().min(1).max(200).default(20),
  /** Lambda memory in MB. @default 512 */
  memorySize: z.number().int().min(128).max(10_240).default(512),
  /**
   * Which metrics each check publishes. `essential`: 1 per check (CheckDuration of every run, 0 for a
   * failed one: what the alarms, SLOs and dashboards read), plus one
   * CertificateDaysToExpiry per host a check sees. `detailed` adds CheckDegraded, CheckRetries
   * and per-step success/degraded/duration and phase timings.
   * Everything is always in the EMF log record for Logs Insights. @default 'essential'
   */
  metrics: z.enum(['essential', 'detailed']).default('essential'),
  /**
   * `reuse`: checks of one run share keep-alive connections (a long-lived client; DNS/connect/TLS show only
   * on a connection's first request). `fresh`: every check opens its own, so each run measures DNS, connect
   * and TLS like a new visitor, at the cost of a handshake per check. @default 'reuse'
   */
  connections: z.enum(['reuse', 'fresh']).default('reuse'),
  /** Place the runner in a VPC to reach private endpoints. @default no VPC */
  vpc: z
    .strictObject({
      vpcId: z.string().regex(/^vpc-[0-9a-f]+$/),
      subnetIds: z.array(z.string().regex(/^subnet-[0-9a-f]+$/)).min(1),
      securityGroupIds: z.array(z.string().regex(/^sg-[0-9a-f]+$/)).min(1),
    })
    .optional(),
});

/** How `cdk deploy` targets AWS. */
export const deploySchema = z.strictObject({
  /** Which entry of `environments` the deployed checks run against. */
  environment: nameSchema,
  /** Account to deploy to. @default the CLI's current account */
  account: z
    .string()
    .regex(/^\d{12}$/)
    .optional(),
  /** Region of the shared (non-runner) resources. @default the first check location, else us-east-1 */
  region: z.string().optional(),
});

/** The config's values, before the checks across them. */
const configShape = z.strictObject({
  $schema: z.string().optional(),
  /** The application or service name; prefixes metrics namespaces and stack names. */
  app: nameSchema,
  /**
   * The CloudWatch namespace of every metric Vigil publishes for this app (checks, KPIs, heartbeats, the
   * engine's own) and that its alarms and dashboards read. @default 'Vigil'
   */
  metricsNamespace: z
    .string()
    .superRefine((value, ctx) => {
      // The error counts go to `<namespace>/Errors`, which must be a namespace too.
      const problem = namespaceProblem(value) ?? namespaceProblem(errorsNamespace(value));
      if (problem) ctx.addIssue({ code: 'custom', message: `metrics namespace '${value}' ${problem}` });
    })
    .default(DEFAULT_METRICS_NAMESPACE),
  environments: z.record(nameSchema, environmentSchema),
  deploy: deploySchema.optional(),
  /** Settings every check inherits unless its group or itself says otherwise. */
  defaults: checkSettingsSchema.default({}),
  secrets: z.record(nameSchema, secretRefSchema).default({}),
  runner: runnerSchema.default({
    concurrency: 20,
    memorySize: 512,
    metrics: 'essential',
    connections: 'reuse',
  }),
  checkGroups: z.array(checkGroupSchema).default([]),
  checks: z.array(checkSchema).default([]),
  ...escalationConfigShape,
  /** Databases KPIs query, by name. */
  datasources: datasourcesSchema.default({}),
  /** Business KPIs: scheduled read-only SQL published as metrics, alarmed by severity. */
  kpis: kpisSchema.default([]),
  /** Heartbeat monitors: jobs that ping Vigil when they run; a missing ping pages. */
  heartbeats: heartbeatsSchema.default([]),
  ...observabilityConfigShape,
  ...oncallConfigShape,
  ...pagingConfigShape,
});

/**
 * The whole Vigil config. One schema is the source of truth for the TypeScript types,
 * validation and the generated JSON Schema (`schema/vigil.schema.json`).
 */
export const configSchema = configShape
  // Runs even when values failed to parse (`when`), on the parts that did: every problem in one pass.
  .superRefine(
    (parsed, ctx) => {
      const parts = parsedParts(parsed, ctx.issues);
      if (parts.value === undefined) return;
      const config = parts.value;
      const issue = (path: PropertyKey[], message: string) => {
        const at = parts.inputPath(path);
        // A value that did not parse gets its parse problem only, not what its absence implies.
        if (!parts.failedAt(at)) ctx.addIssue({ code: 'custom', path: at, message });
      };
      const partly = <A extends unknown[]>(check: (...args: A) => void) => partlyParsed(parts.clean, check);
      partly(checkEscalationConfig)(config, issue);
      partly(refineKpis)(config, issue);
      partly(refineHeartbeats)(config, issue);
      partly(checkObservabilityConfig)(config, issue);
      partly(checkOnCallConfig)(config, issue);
      partly(checkPagingConfig)(config, issue);
      partly(checkChecks)(config, issue, parts.clean);
      partly(checkTimings)(config, issue);
      partly(checkAlerting)(config, issue);
      partly(checkServiceLimits)(config, issue);
    },
    { when: () => true },
  );

type Issue = (path: PropertyKey[], message: string) => void;

/**
 * A semantic check that, on a partly parsed config, stops at a part that did not parse (a `TypeError` on a
 * value left out) instead of failing the whole parse: that part's own problem is already reported.
 */
const partlyParsed =
  <A extends unknown[]>(clean: boolean, check: (...args: A) => void) =>
  (...args: A): void => {
    try {
      check(...args);
    } catch (error) {
      if (clean || !(error instanceof TypeError)) throw error;
    }
  };

/** Semantic checks of environments, deploy, check groups and checks: references, templates, schedules. */
const checkChecks = (config: z.output<typeof configShape>, issue: Issue, clean: boolean): void => {
  if (Object.keys(config.environments).length === 0) {
    issue(
      ['environments'],
      'define at least one environment, e.g. { local: { baseUrl: "http://127.0.0.1:4010" } }',
    );
  }
  if (config.deploy && !Object.hasOwn(config.environments, config.deploy.environment)) {
    issue(['deploy', 'environment'], `unknown environment '${config.deploy.environment}'`);
  }
  for (const [name, environment] of Object.entries(config.environments)) {
    for (const [key, value] of Object.entries(environment?.variables ?? {})) {
      if (value === undefined) continue; // it did not parse: its own problem is reported
      for (const ref of templateReferences(value)) {
        const secret = secretNameOf(ref);
        if (secret !== undefined && !Object.hasOwn(config.secrets, secret)) {
          issue(
            ['environments', name, 'variables', key],
            `unknown secret '${ref}': declare it under 'secrets'`,
          );
        } else if (secret === undefined && !(BUILTIN_VARIABLES as readonly string[]).includes(ref)) {
          issue(
            ['environments', name, 'variables', key],
            `unknown variable '{{${ref}}}': environment variables may use only secrets and built-ins`,
          );
        }
      }
    }
  }
  const groups = new Map<string, number>();
  config.checkGroups.forEach((group, index) => {
    if (groups.has(group.name)) issue(['checkGroups', index, 'name'], `duplicate group name '${group.name}'`);
    groups.set(group.name, index);
    if (group.schedule !== undefined)
      scheduleIssue(group.schedule, ['checkGroups', index, 'schedule'], issue);
  });
  if (config.defaults.schedule !== undefined)
    scheduleIssue(config.defaults.schedule, ['defaults', 'schedule'], issue);

  const names = new Set<string>();
  const envVariables = new Set(
    Object.values(config.environments).flatMap((env) => Object.keys(env?.variables ?? {})),
  );
  // One check that did not parse far enough stops its own checks only.
  const checkCheck = (check: (typeof config.checks)[number], index: number) => {
    if (names.has(check.name)) issue(['checks', index, 'name'], `duplicate check name '${check.name}'`);
    names.add(check.name);
    if (check.group !== undefined && !groups.has(check.group)) {
      issue(['checks', index, 'group'], `unknown check group '${check.group}'`);
    }
    if (check.schedule !== undefined) scheduleIssue(check.schedule, ['checks', index, 'schedule'], issue);

    const known = new Set<string>([...BUILTIN_VARIABLES, ...envVariables]);
    const checkRef = (template: string | undefined, path: PropertyKey[]) => {
      if (template === undefined) return; // it did not parse: its own problem is reported
      for (const ref of templateReferences(template)) {
        if (secretNameOf(ref) !== undefined) continue; // checked once for every template below
        if (!known.has(ref)) {
          issue(
            path,
            `unknown variable '{{${ref}}}': not a built-in, an environment or check variable, or extracted by an earlier step`,
          );
        }
      }
    };
    if (check.type === 'tcp' || check.type === 'dns' || check.type === 'tls') {
      networkCheckIssues(check, ['checks', index], issue);
      return;
    }
    for (const { path, template } of checkTemplates(check)) {
      if (template === undefined) continue; // it did not parse: its own problem is reported
      for (const name of templateSecretNames(template)) {
        if (!Object.hasOwn(config.secrets, name))
          issue(['checks', index, ...path], `unknown secret 'secrets.${name}': declare it under 'secrets'`);
      }
    }
    if (check.type === 'health') {
      checkRef(check.url, ['checks', index, 'url']);
      for (const [key, value] of Object.entries(check.headers))
        checkRef(value, ['checks', index, 'headers', key]);
      return;
    }
    for (const [key, value] of Object.entries(check.variables))
      checkRef(value, ['checks', index, 'variables', key]);
    for (const key of Object.keys(check.variables)) known.add(key);
    for (const phase of ['setup', 'steps', 'teardown'] as const) {
      check[phase].forEach((step, stepIndex) => {
        const at = ['checks', index, phase, stepIndex];
        checkRef(step.request.url, [...at, 'request', 'url']);
        for (const [key, value] of Object.entries(step.request.headers)) {
          checkRef(value, [...at, 'request', 'headers', key]);
        }
        if (step.request.body !== undefined) checkRef(step.request.body, [...at, 'request', 'body']);
        if (step.request.json !== undefined)
          checkRef(JSON.stringify(step.request.json), [...at, 'request', 'json']);
        if (step.request.body !== undefined && step.request.json !== undefined) {
          issue([...at, 'request'], "give either 'body' or 'json', not both");
        }
        step.assert.forEach((assertion, assertIndex) => {
          if ((assertion.type === 'header' || assertion.type === 'jsonPath') && needsValue(assertion.op)) {
            if (assertion.value === undefined) {
              issue([...at, 'assert', assertIndex, 'value'], `operator '${assertion.op}' needs a value`);
            }
          }
          if (
            (assertion.type === 'body' || assertion.type === 'header' || assertion.type === 'jsonPath') &&
            assertion.op === 'matches' &&
            typeof assertion.value === 'string'
          ) {
            regexIssue(assertion.value, [...at, 'assert', assertIndex, 'value'], issue);
          }
        });
        step.extract.forEach((extractor, extractIndex) => {
          if (extractor.from === 'regex')
            regexIssue(extractor.pattern, [...at, 'extract', extractIndex, 'pattern'], issue);
          known.add(extractor.name);
        });
      });
    }
  };
  config.checks.forEach(partlyParsed(clean, checkCheck));
};

const needsValue = (op: string) => op !== 'exists' && op !== 'notExists';

const scheduleIssue = (
  schedule: Parameters<typeof resolveSchedule>[0],
  path: PropertyKey[],
  issue: (path: PropertyKey[], message: string) => void,
) => {
  const resolved = resolveSchedule(schedule);
  if ('error' in resolved) issue(path, resolved.error);
};

/** What users write (durations as text, defaults omitted). */
export type VigilConfigInput = z.input<typeof configSchema>;
/** A parsed config (defaults applied, durations in milliseconds). */
export type VigilConfig = z.output<typeof configSchema>;
