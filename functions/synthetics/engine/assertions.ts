import { DEPENDENCY_STATUSES } from '../../commons/config/defaults';
import type { Assertion, Comparison } from '../../commons/config/types';
import { ownValue } from '../../commons/own-value';
import { isSensitiveHeader, isSensitiveName, REDACTED } from '../../commons/redactor';
import type { AssertionResult } from '../types/results';
import { bodyExcerpt } from './body-excerpt';
import { evaluateJsonPath } from './json-path';
import { type JsonSchema, validateJsonSchema } from './json-schema';
import type { ResponseView } from './response-view';

/** The outcome of one comparison: whether it held, and why not. */
interface Comparison_ {
  readonly ok: boolean;
  readonly reason?: string;
}

const show = (value: unknown): string => (typeof value === 'string' ? `'${value}'` : JSON.stringify(value));

const deepEqual = (a: unknown, b: unknown): boolean => {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    // Scalars compare loosely across string/number/boolean: a header '5' equals 5.
    const scalar = (v: unknown) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
    return scalar(a) && scalar(b) && String(a) === String(b);
  }
  return JSON.stringify(a) === JSON.stringify(b);
};

const toNumber = (value: unknown): number | undefined => {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
};

/**
 * Applies a comparison operator. `contains` works on strings (substring), arrays (an element equal to the
 * value) and objects (a key); `matches` takes a regular expression source; `<`..`>=` need numbers (numeric
 * strings count); `exists`/`notExists` look only at presence.
 */
export const compare = (
  op: Comparison,
  present: boolean,
  actual: unknown,
  expected: unknown,
): Comparison_ => {
  switch (op) {
    case 'exists':
      return present ? { ok: true } : { ok: false, reason: 'absent' };
    case 'notExists':
      return present ? { ok: false, reason: 'present' } : { ok: true };
    case 'equals':
      return { ok: present && deepEqual(actual, expected) };
    case 'notEquals':
      return { ok: !present || !deepEqual(actual, expected) };
    case 'contains':
    case 'notContains': {
      let contains = false;
      if (typeof actual === 'string') contains = actual.includes(String(expected));
      else if (Array.isArray(actual)) contains = actual.some((item) => deepEqual(item, expected));
      else if (actual !== null && typeof actual === 'object')
        contains = Object.hasOwn(actual, String(expected));
      else if (actual !== undefined) contains = String(actual).includes(String(expected));
      return { ok: op === 'contains' ? present && contains : !contains };
    }
    case 'matches': {
      if (!present) return { ok: false, reason: 'absent' };
      let pattern: RegExp;
      try {
        pattern = new RegExp(String(expected));
      } catch (error) {
        return { ok: false, reason: `invalid regular expression: ${(error as Error).message}` };
      }
      return { ok: pattern.test(typeof actual === 'string' ? actual : JSON.stringify(actual)) };
    }
    case '<':
    case '<=':
    case '>':
    case '>=': {
      const a = toNumber(actual);
      const b = toNumber(expected);
      if (a === undefined || b === undefined) {
        return { ok: false, reason: a === undefined ? 'not a number' : 'expected value is not a number' };
      }
      const ok = op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
      return { ok };
    }
    default: {
      const never: never = op;
      return { ok: false, reason: `unknown operator ${String(never)}` };
    }
  }
};

const describe = (subject: string, op: Comparison, value: unknown): string =>
  op === 'exists' || op === 'notExists' ? `${subject} ${op}` : `${subject} ${op} ${show(value)}`;

const result = (
  description: string,
  outcome: Comparison_,
  expected: unknown,
  actual: unknown,
  message?: string,
): AssertionResult => {
  if (outcome.ok) return { ok: true, description, expected, actual };
  const got = outcome.reason && actual === undefined ? outcome.reason : show(actual);
  return {
    ok: false,
    description,
    expected,
    actual,
    message:
      message ??
      `expected ${description}, got ${got}${outcome.reason && actual !== undefined ? ` (${outcome.reason})` : ''}`,
  };
};

const lastName = (path: string): string => /([A-Za-z_$][\w$-]*)['"\]]*$/.exec(path)?.[1] ?? '';

/** Where health bodies usually keep per-dependency statuses, tried in order when no path is given. */
const DEPENDENCY_PATHS = ['$.checks', '$.dependencies', '$.services', '$.components'] as const;

/** Keys of a dependency object that hold its status (`{ db: { status: 'UP', latencyMs: 3 } }`). */
const STATUS_KEYS = ['status', 'state', 'health', 'healthy', 'ok', 'up'] as const;

type Health = 'up' | 'down' | 'unrecognised';

/** The status words of one dependency's value: a word, a boolean, an object with a status key, or a list of those. */
const statusWords = (value: unknown): string[] => {
  if (typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number')
    return [String(value)];
  if (Array.isArray(value)) return value.flatMap(statusWords);
  if (value !== null && typeof value === 'object') {
    for (const key of STATUS_KEYS)
      if (Object.hasOwn(value, key)) return statusWords((value as Record<string, unknown>)[key]);
  }
  return [value === null ? 'null' : 'unknown'];
};

const dependencies = (
  assertion: Extract<Assertion, { type: 'dependencies' }>,
  response: ResponseView,
): AssertionResult => {
  const healthyWords = assertion.healthy ?? DEPENDENCY_STATUSES.healthy;
  const healthy = new Set(healthyWords.map((word) => word.toLowerCase()));
  const unhealthy = new Set(
    (assertion.unhealthy ?? DEPENDENCY_STATUSES.unhealthy).map((w) => w.toLowerCase()),
  );
  const where = assertion.path ?? DEPENDENCY_PATHS.join(' or ');
  const description = `dependencies at ${where} are healthy`;
  const expected = [...healthyWords];
  const nothing = (why: string): AssertionResult =>
    assertion.required !== false
      ? {
          ok: false,
          description,
          expected,
          actual: undefined,
          message: `expected ${description}, but ${why}`,
        }
      : { ok: true, description, expected, actual: 'no dependency statuses reported' };
  const parsed = response.json();
  if (!parsed.ok) return nothing(`the ${parsed.error}`);
  let statuses: unknown;
  let found = false;
  for (const path of assertion.path !== undefined ? [assertion.path] : DEPENDENCY_PATHS) {
    const match = evaluateJsonPath(parsed.value, path);
    if (match.found && match.value !== null && typeof match.value === 'object') {
      statuses = match.value;
      found = true;
      break;
    }
  }
  if (!found || statuses === null || typeof statuses !== 'object') {
    return nothing('the body reports no dependency statuses there');
  }
  // `[{ name: 'db', status: 'UP' }]` as well as `{ db: 'UP' }`.
  const entries: [string, unknown][] = Array.isArray(statuses)
    ? statuses.map((item, index) => {
        const name =
          (item as { name?: unknown; componentId?: unknown } | null)?.name ??
          (item as { componentId?: unknown } | null)?.componentId;
        return [typeof name === 'string' ? name : String(index), item];
      })
    : Object.entries(statuses);
  const seen: Record<string, string> = {};
  const down: { name: string; status: string; health: Health }[] = [];
  for (const [name, value] of entries) {
    const words = statusWords(value);
    const judged = words.map((word): [string, Health] => {
      const key = word.trim().toLowerCase();
      return [word, unhealthy.has(key) ? 'down' : healthy.has(key) ? 'up' : 'unrecognised'];
    });
    const worst =
      judged.find(([, health]) => health === 'down') ??
      judged.find(([, health]) => health === 'unrecognised');
    seen[name] = (worst ?? judged[0])?.[0] ?? 'unknown';
    if (worst) down.push({ name, status: worst[0], health: worst[1] });
  }
  if (down.length === 0) return { ok: true, description, expected, actual: seen };
  const named = down.map((item) =>
    item.health === 'down'
      ? `'${item.name}' is ${item.status}`
      : `'${item.name}' reports unrecognised status '${item.status}'`,
  );
  const hint = down.some((item) => item.health === 'unrecognised')
    ? ' (declare the words this service uses as healthy or unhealthy values)'
    : '';
  return {
    ok: false,
    description,
    expected,
    actual: seen,
    message: `${down.length === 1 ? 'dependency' : 'dependencies'} ${named.join(', ')}${hint}`,
  };
};

/**
 * Evaluates one assertion against a response. Never throws: a bad regular expression or a body that is
 * not JSON is a failed assertion saying so. Values of sensitive headers (`authorization`, `set-cookie`,
 * ...) and credential-like JSON fields (`$.token`) are reported as `[REDACTED]`.
 *
 * @example
 * evaluateAssertion({ type: 'jsonPath', path: '$.flights.length', op: '>', value: 0 }, view);
 * // { ok: false, description: '$.flights.length > 0', expected: 0, actual: 0, message: '... got 0' }
 */
export const evaluateAssertion = (assertion: Assertion, response: ResponseView): AssertionResult => {
  switch (assertion.type) {
    case 'status': {
      const description = describe('status', assertion.op, assertion.value);
      return result(
        description,
        compare(assertion.op, true, response.status, assertion.value),
        assertion.value,
        response.status,
      );
    }
    case 'header': {
      const name = assertion.name.toLowerCase();
      const value = ownValue(response.headers, name);
      const description = describe(`header ${name}`, assertion.op, assertion.value);
      const outcome = compare(assertion.op, value !== undefined, value, assertion.value);
      const sensitive = isSensitiveHeader(name);
      return result(
        description,
        outcome,
        sensitive && assertion.value !== undefined ? REDACTED : assertion.value,
        sensitive && value !== undefined ? REDACTED : value,
      );
    }
    case 'jsonPath': {
      const description = describe(assertion.path, assertion.op, assertion.value);
      const parsed = response.json();
      if (!parsed.ok) {
        const outcome = compare(assertion.op, false, undefined, assertion.value);
        return outcome.ok
          ? { ok: true, description, expected: assertion.value, actual: undefined }
          : {
              ok: false,
              description,
              expected: assertion.value,
              actual: undefined,
              message: `expected ${description}, but the ${parsed.error}`,
            };
      }
      let match: ReturnType<typeof evaluateJsonPath>;
      try {
        match = evaluateJsonPath(parsed.value, assertion.path);
      } catch (error) {
        const message = (error as Error).message;
        return { ok: false, description, expected: assertion.value, actual: undefined, message };
      }
      const outcome = compare(assertion.op, match.found, match.value, assertion.value);
      const sensitive = isSensitiveName(lastName(assertion.path));
      return result(
        description,
        outcome,
        sensitive && assertion.value !== undefined ? REDACTED : assertion.value,
        sensitive && match.value !== undefined ? REDACTED : match.value,
      );
    }
    case 'body': {
      const description = describe('body', assertion.op, assertion.value);
      const outcome = compare(assertion.op, true, response.body, assertion.value);
      return result(description, outcome, assertion.value, bodyExcerpt(response));
    }
    case 'responseTime': {
      const description = `response time ${assertion.op} ${assertion.value} ms`;
      const outcome = compare(assertion.op, true, response.totalMs, assertion.value);
      return result(description, outcome, assertion.value, Math.round(response.totalMs * 100) / 100);
    }
    case 'jsonSchema': {
      const description = 'body matches JSON schema';
      const parsed = response.json();
      if (!parsed.ok) {
        return {
          ok: false,
          description,
          expected: 'JSON',
          actual: undefined,
          message: `expected ${description}, but the ${parsed.error}`,
        };
      }
      const problems = validateJsonSchema(assertion.schema as JsonSchema, parsed.value);
      return problems.length === 0
        ? { ok: true, description, expected: 'valid', actual: 'valid' }
        : {
            ok: false,
            description,
            expected: 'valid',
            actual: problems,
            message: `expected ${description}: ${problems.slice(0, 3).join('; ')}`,
          };
    }
    case 'dependencies':
      return dependencies(assertion, response);
    default: {
      const never: never = assertion;
      return {
        ok: false,
        description: 'unknown assertion',
        expected: undefined,
        actual: never,
        message: 'unknown assertion type',
      };
    }
  }
};
