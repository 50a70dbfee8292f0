import { z } from 'zod';
import { AWS_REGION_PATTERN } from '../aws-identifiers';
import { durationSchema, positiveDurationSchema } from './duration';
import { urlTemplateProblem } from './template';

/** Names used as metric dimensions and in URLs: letters, digits, `_`, `-`, `.`. */
export const nameSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/,
    'use 1-64 letters, digits, "_", "-" or "." (starting with a letter or digit)',
  );

/** Alert severities, highest first. Mirrors the seeds' `critical` / `warning` / `info` labels. */
export const severitySchema = z.enum(['critical', 'warning', 'info']);

/**
 * When a check runs: `'1m'` / `{ every: '1m' }` (a rate) or `{ cron: '0/5 * * * ? *' }`
 * (an EventBridge Scheduler cron expression, six fields, in UTC).
 */
export const scheduleSchema = z.union([
  z.string().meta({ description: "Shorthand for { every: '...' }" }),
  z.strictObject({ every: z.string() }),
  z.strictObject({ cron: z.string() }),
]);

/** Comparison operators shared by JSON path, header and status assertions. */
export const comparisonSchema = z.enum([
  'equals',
  'notEquals',
  'contains',
  'notContains',
  'matches',
  '<',
  '<=',
  '>',
  '>=',
  'exists',
  'notExists',
]);

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** Status words of a health body's dependencies, compared case-insensitively. */
const dependencyStatusesSchema = z.array(z.string().min(1)).min(1);

/** One assertion on a step's response. */
export const assertionSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('status'),
    op: comparisonSchema.default('equals'),
    value: z.number().int(),
  }),
  z.strictObject({
    type: z.literal('header'),
    name: z.string().min(1),
    op: comparisonSchema.default('equals'),
    value: scalar.optional(),
  }),
  z.strictObject({
    type: z.literal('jsonPath'),
    path: z.string().regex(/^\$/, "JSON paths start with '$', e.g. '$.flights[0].id'"),
    op: comparisonSchema.default('equals'),
    value: z.union([scalar, z.array(scalar)]).optional(),
  }),
  z.strictObject({
    type: z.literal('body'),
    op: z.enum(['contains', 'notContains', 'matches']).default('contains'),
    value: z.string(),
  }),
  z.strictObject({
    type: z.literal('responseTime'),
    op: z.enum(['<', '<=']).default('<'),
    value: positiveDurationSchema,
  }),
  z.strictObject({
    type: z.literal('jsonSchema'),
    schema: z.record(z.string(), z.unknown()),
  }),
  z.strictObject({
    type: z.literal('dependencies'),
    /** Where the per-dependency statuses are. @default the first of `$.checks`, `$.dependencies`, `$.services`, `$.components` present */
    path: z.string().regex(/^\$/).optional(),
    /** Statuses that mean up, replacing the built-in list (`ok`, `up`, `connected`, `pass`, `true`, ...). */
    healthy: dependencyStatusesSchema.optional(),
    /** Statuses that mean down, replacing the built-in list (`down`, `error`, `fail`, `false`, ...). */
    unhealthy: dependencyStatusesSchema.optional(),
    /** Fail when the body is not JSON or reports no statuses. @default true */
    required: z.boolean().optional(),
  }),
]);

/** Pulls a value out of a response into a variable for later steps (`{{name}}`). */
export const extractorSchema = z.discriminatedUnion('from', [
  z.strictObject({ name: nameSchema, from: z.literal('json'), path: z.string().regex(/^\$/) }),
  z.strictObject({ name: nameSchema, from: z.literal('header'), header: z.string().min(1) }),
  z.strictObject({
    name: nameSchema,
    from: z.literal('regex'),
    pattern: z.string(),
    group: z.number().int().nonnegative().default(1),
  }),
]);

/**
 * A URL template (`{{baseUrl}}/flights/{{id}}`): checked on its own, so a malformed one is reported next to
 * every other problem, even when the rest of its check does not parse.
 */
export const urlTemplateSchema = z
  .string()
  .min(1)
  .superRefine((template, ctx) => {
    const problem = template === '' ? undefined : urlTemplateProblem(template);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  })
  .meta({ description: "An absolute http(s) URL, placeholders allowed: '{{baseUrl}}/flights/{{id}}'" });

/** The HTTP request of one step. Strings may use `{{baseUrl}}`, `{{variable}}`, `{{secrets.x}}`, `{{$uuid}}`. */
export const requestSchema = z.strictObject({
  method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']).default('GET'),
  url: urlTemplateSchema,
  headers: z.record(z.string(), z.string()).default({}),
  body: z.string().optional(),
  json: z.unknown().optional(),
});

/** One step of a journey: a request, what to extract and what to assert. */
export const stepSchema = z.strictObject({
  name: nameSchema,
  request: requestSchema,
  extract: z.array(extractorSchema).default([]),
  assert: z.array(assertionSchema).default([]),
  /** Per-step timeout. @default the check's `stepTimeout` */
  timeout: positiveDurationSchema.optional(),
  /** Latency above which the step is `degraded`. */
  degradedAfter: positiveDurationSchema.optional(),
  /** Latency above which the step is `failed`. */
  failedAfter: positiveDurationSchema.optional(),
});

/** Retry of a whole check after a failed attempt. */
export const retrySchema = z.strictObject({
  strategy: z.enum(['fixed', 'linear', 'exponential']).default('fixed'),
  maxAttempts: z.number().int().min(1).max(5),
  delay: durationSchema.default(1_000),
  maxDelay: durationSchema.default(10_000),
});

/** Settings a check inherits from its group, then from `defaults`. */
export const checkSettingsSchema = z.strictObject({
  schedule: scheduleSchema.optional(),
  locations: z
    .array(z.string().regex(AWS_REGION_PATTERN, "an AWS region, e.g. 'eu-west-1'"))
    .min(1)
    .optional(),
  severity: severitySchema.optional(),
  team: nameSchema.optional(),
  runbookUrl: z.url().optional(),
  tags: z.record(z.string(), z.string()).optional(),
  /** Whole-check timeout, across steps and retries. */
  timeout: positiveDurationSchema.optional(),
  stepTimeout: positiveDurationSchema.optional(),
  degradedAfter: positiveDurationSchema.optional(),
  failedAfter: positiveDurationSchema.optional(),
  retry: retrySchema.optional(),
  maxBodyBytes: z.number().int().positive().optional(),
  maxRedirects: z.number().int().nonnegative().max(20).optional(),
});

/** A multi-step API check or journey. */
export const apiCheckSchema = checkSettingsSchema.extend({
  type: z.literal('api').default('api'),
  name: nameSchema,
  description: z.string().optional(),
  group: nameSchema.optional(),
  enabled: z.boolean().default(true),
  variables: z.record(z.string(), z.string()).default({}),
  setup: z.array(stepSchema).default([]),
  steps: z.array(stepSchema).min(1),
  teardown: z.array(stepSchema).default([]),
});

/** A health probe following the seeds' `/health/live|ready|startup` contract. */
export const healthCheckSchema = checkSettingsSchema.extend({
  type: z.literal('health'),
  name: nameSchema,
  description: z.string().optional(),
  group: nameSchema.optional(),
  enabled: z.boolean().default(true),
  url: urlTemplateSchema,
  headers: z.record(z.string(), z.string()).default({}),
  expectStatus: z.number().int().default(200),
  /**
   * Where per-dependency statuses live in the body (`{ checks: { db: 'ok' } }`). Given, the body must be
   * JSON and report them there. @default the first of `$.checks`, `$.dependencies`, `$.services`,
   * `$.components` present, if the body is JSON (a plain-text liveness probe passes on its status)
   */
  dependenciesPath: z.string().regex(/^\$/).optional(),
  /** Dependency statuses that mean up, replacing the built-in list (`ok`, `up`, `connected`, `pass`, ...). */
  healthyValues: dependencyStatusesSchema.optional(),
  /** Dependency statuses that mean down, replacing the built-in list (`down`, `error`, `fail`, ...). */
  unhealthyValues: dependencyStatusesSchema.optional(),
});

/** Any check. */
export const checkSchema = z.discriminatedUnion('type', [healthCheckSchema, apiCheckSchema]);

/** A group of checks sharing settings (`critical-paths`, `health`). */
export const checkGroupSchema = checkSettingsSchema.extend({
  name: nameSchema,
  description: z.string().optional(),
});

/** A secret referenced by checks: resolved at run time, never inlined. */
export const secretRefSchema = z.union([
  z.strictObject({ secretsManager: z.string().min(1), jsonKey: z.string().optional() }),
  z.strictObject({ ssm: z.string().regex(/^\//, "SSM parameter names start with '/'") }),
]);

/** A stage the checks run against. */
export const environmentSchema = z.strictObject({
  baseUrl: z.url({ protocol: /^https?$/, error: 'an absolute http(s) URL, e.g. "https://shop.example.com"' }),
  variables: z.record(z.string(), z.string()).default({}),
});
