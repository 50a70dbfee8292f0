import { isIP } from 'node:net';
import { z } from 'zod';
import { AWS_REGION_PATTERN } from '../aws-identifiers';
import { SEVERITIES } from '../severity';
import { durationSchema, positiveDurationSchema } from './duration';
import { flappingSchema, maintenanceSchema, quorumSchema } from './maintenance-schema';
import { urlTemplateProblem } from './template';

/** Names used as metric dimensions and in URLs: letters, digits, `_`, `-`, `.`. */
export const nameSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/,
    'use 1-64 letters, digits, "_", "-" or "." (starting with a letter or digit)',
  );

/** Alert severities, highest first. Mirrors the seeds' `critical` / `warning` / `info` labels. */
export const severitySchema = z.enum(SEVERITIES);

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

/**
 * When a check's failure alarm fires: `failures` failed runs among the last `outOf` (CloudWatch's
 * `datapointsToAlarm` of `evaluationPeriods`, one period per run). `outOf` × the check's interval must stay
 * within CloudWatch's evaluation range (1 day for intervals under an hour, else 7 days).
 *
 * @example
 * failWhen: { failures: 2, outOf: 5 } // pages when 2 of the last 5 runs failed
 */
export const failWhenSchema = z
  .strictObject({
    /** Failed runs that fire the alarm (N). */
    failures: z.number().int().min(1),
    /** Runs looked at (M), at least `failures`. @default failures */
    outOf: z.number().int().min(1).optional(),
  })
  .superRefine((value, ctx) => {
    if (value.outOf !== undefined && value.outOf < value.failures) {
      ctx.addIssue({
        code: 'custom',
        path: ['outOf'],
        message: `must be at least failures (${value.failures}): N failed runs out of the last M needs N <= M`,
      });
    }
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
  /**
   * "N failed runs out of the last M" before the failure alarm fires.
   * @default checkAlarms.failuresToAlarm of checkAlarms.outOf (2 of 2)
   */
  failWhen: failWhenSchema.optional(),
  maxBodyBytes: z.number().int().positive().optional(),
  maxRedirects: z.number().int().nonnegative().max(20).optional(),
  /**
   * Page only when at least `minFailingLocations` of the check's `locations` fail at once; the incident names
   * them. @default none: each location's alarm pages on its own
   */
  quorum: quorumSchema.optional(),
  /** Windows in which the check's alarm pages nobody (audited as silenced). @default none */
  maintenance: maintenanceSchema.optional(),
  /** Flap damping: one incident marked flapping, resolved after a quiet period. @default off */
  flapping: flappingSchema.optional(),
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

/** A DNS name: dot-separated labels of letters, digits, `-` and `_` (a trailing dot allowed). */
const DNS_NAME =
  /^(?=.{1,253}\.?$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?)*\.?$/;

/** A host to connect to: a DNS name or an IP address, without scheme or port. */
export const hostSchema = z.string().refine((host) => isIP(host) !== 0 || DNS_NAME.test(host), {
  message: 'a host name or IP address, e.g. "db.example.com" or "10.0.0.5" (no scheme, no port)',
});

/** A TCP port. */
export const portSchema = z
  .number()
  .int()
  .min(1, 'a port from 1 to 65535')
  .max(65_535, 'a port from 1 to 65535');

/** Text a banner or an issuer is compared with: `contains` (default), `equals` or `matches` (a regex). */
export const textMatchSchema = z.strictObject({
  op: z.enum(['contains', 'equals', 'matches']).default('contains'),
  value: z.string().min(1),
});

/** What every check kind has besides its settings. */
const checkIdentity = {
  name: nameSchema,
  description: z.string().optional(),
  group: nameSchema.optional(),
  enabled: z.boolean().default(true),
};

/**
 * A TCP check: connect (optionally over TLS), send bytes, expect a banner. The whole exchange is bounded
 * by `stepTimeout`, the connection by `connectTimeout`.
 */
export const tcpCheckSchema = checkSettingsSchema.extend({
  type: z.literal('tcp'),
  ...checkIdentity,
  host: hostSchema,
  port: portSchema,
  /** Speak TLS once connected (the certificate is verified, and its days to expiry recorded). @default false */
  tls: z.boolean().default(false),
  /** Name sent in SNI and checked against the certificate. @default `host` */
  servername: hostSchema.optional(),
  /** Bytes sent once connected (`"PING\r\n"`). @default nothing: wait for the server to speak first */
  send: z.string().optional(),
  /** What the server must answer (its banner, or the reply to `send`). @default connecting is enough */
  expect: textMatchSchema.optional(),
  /** Budget for DNS, connect (and TLS handshake). @default the step timeout */
  connectTimeout: positiveDurationSchema.optional(),
});

/** DNS record types a `dns` check queries. */
export const dnsRecordTypeSchema = z.enum(['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'NS', 'SOA', 'CAA']);

/** DNS response codes a `dns` check can expect (`NOERROR` with no answer counts as `NOERROR`). */
export const dnsRcodeSchema = z.enum(['NOERROR', 'NXDOMAIN', 'SERVFAIL', 'REFUSED', 'FORMERR', 'NOTIMP']);

/** One assertion on a DNS answer. */
export const dnsAssertionSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('answer'),
    /**
     * `contains`: one answer is `value`; `equals`: the answers are exactly `value` (a list, any order);
     * `matches`: one answer matches the regex `value`. @default 'contains'
     */
    op: z.enum(['contains', 'equals', 'matches']).default('contains'),
    value: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  }),
  z.strictObject({ type: z.literal('rcode'), value: dnsRcodeSchema }),
  z.strictObject({
    type: z.literal('ttl'),
    /** Every answer's TTL compared with `value` (seconds). A and AAAA records only. */
    op: z.enum(['<', '<=', '>', '>=', 'equals']).default('>='),
    value: z.number().int().nonnegative(),
  }),
]);

/** A resolver address: an IP, with an optional port (`1.1.1.1`, `127.0.0.1:5353`, `[::1]:53`). */
const resolverSchema = z.string().refine(
  (text) => {
    if (isIP(text) !== 0) return true;
    const match = /^\[([^\]]+)\]:(\d{1,5})$/.exec(text) ?? /^([^:]+):(\d{1,5})$/.exec(text);
    const port = Number(match?.[2]);
    return match?.[1] !== undefined && isIP(match[1]) !== 0 && port >= 1 && port <= 65_535;
  },
  { message: 'an IP address with an optional port, e.g. "1.1.1.1", "127.0.0.1:5353" or "[::1]:53"' },
);

/**
 * A DNS check: queries one record type and asserts the answers, the response code and TTLs. Without an
 * `rcode` assertion the query must succeed with at least one answer.
 */
export const dnsCheckSchema = checkSettingsSchema.extend({
  type: z.literal('dns'),
  ...checkIdentity,
  /** The name queried (`example.com`). */
  query: hostSchema,
  recordType: dnsRecordTypeSchema.default('A'),
  /** Resolvers asked, in order. @default the system's (`/etc/resolv.conf`) */
  resolvers: z.array(resolverSchema).min(1).optional(),
  assert: z.array(dnsAssertionSchema).default([]),
});

/** TLS protocol versions, oldest first. */
export const tlsVersionSchema = z.enum(['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3']);

/**
 * A TLS check: the certificate chain is valid and names the host, and expires no sooner than the
 * thresholds (`degraded` under `warning` days, `failed` under `critical`).
 */
export const tlsCheckSchema = checkSettingsSchema.extend({
  type: z.literal('tls'),
  ...checkIdentity,
  host: hostSchema,
  port: portSchema.default(443),
  /** Name sent in SNI and checked against the certificate. @default `host` */
  servername: hostSchema.optional(),
  /** Days before expiry under which the check is degraded (`warning`) or failed (`critical`). */
  daysBeforeExpiry: z
    .strictObject({
      warning: z.number().int().nonnegative().default(30),
      critical: z.number().int().nonnegative().default(7),
    })
    .default({ warning: 30, critical: 7 }),
  /** Oldest protocol version accepted from the server. @default any the runtime negotiates */
  minProtocol: tlsVersionSchema.optional(),
  /** What the leaf certificate's issuer (`CN=R11, O=Let's Encrypt, C=US`) must be. */
  issuer: textMatchSchema.optional(),
  /** Budget for DNS and connect. @default the step timeout */
  connectTimeout: positiveDurationSchema.optional(),
});

/** Any check. */
export const checkSchema = z.discriminatedUnion('type', [
  healthCheckSchema,
  apiCheckSchema,
  tcpCheckSchema,
  dnsCheckSchema,
  tlsCheckSchema,
]);

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
