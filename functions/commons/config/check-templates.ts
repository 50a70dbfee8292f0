import { templateReferences } from './template';

/** The prefix of a secret placeholder: `{{secrets.apiToken}}` names the secret `apiToken`. */
export const SECRET_PREFIX = 'secrets.';

/** The secret a placeholder names (`secrets.apiToken` → `apiToken`), or `undefined` for other placeholders. */
export const secretNameOf = (reference: string): string | undefined =>
  reference.startsWith(SECRET_PREFIX) ? reference.slice(SECRET_PREFIX.length) : undefined;

/** What {@link checkTemplates} reads of a step: its request, as written or as resolved. */
export interface StepTemplateSource {
  readonly request: {
    readonly url: string;
    readonly headers?: Readonly<Record<string, string>>;
    readonly body?: string;
    /** A JSON body as written in config (a resolved step carries it as `body`). */
    readonly json?: unknown;
  };
}

/**
 * What {@link checkTemplates} reads of a check. Both shapes fit: a check as written in config (a health
 * probe has `url` and `headers`, a journey `variables` and steps) and a `ResolvedCheck`.
 */
export interface CheckTemplateSource {
  readonly url?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly variables?: Readonly<Record<string, string>>;
  readonly setup?: readonly StepTemplateSource[];
  readonly steps?: readonly StepTemplateSource[];
  readonly teardown?: readonly StepTemplateSource[];
}

/** One template string of a check and where it is, relative to the check (`['steps', 0, 'request', 'url']`). */
export interface CheckTemplate {
  readonly path: readonly (string | number)[];
  readonly template: string;
}

/**
 * Every template string of a check, with its path: a health probe's `url` and `headers`, a journey's
 * `variables`, then each setup, main and teardown step's URL, headers and body (`json` as its JSON text),
 * in that order.
 *
 * @example
 * checkTemplates({ variables: { auth: 'Bearer {{secrets.token}}' }, steps: [] });
 * // [{ path: ['variables', 'auth'], template: 'Bearer {{secrets.token}}' }]
 */
export const checkTemplates = (check: CheckTemplateSource): CheckTemplate[] => {
  const out: CheckTemplate[] = [];
  if (check.url !== undefined) out.push({ path: ['url'], template: check.url });
  for (const [key, value] of Object.entries(check.headers ?? {}))
    out.push({ path: ['headers', key], template: value });
  for (const [key, value] of Object.entries(check.variables ?? {}))
    out.push({ path: ['variables', key], template: value });
  for (const phase of ['setup', 'steps', 'teardown'] as const) {
    (check[phase] ?? []).forEach((step, index) => {
      const at = [phase, index, 'request'] as const;
      out.push({ path: [...at, 'url'], template: step.request.url });
      for (const [key, value] of Object.entries(step.request.headers ?? {}))
        out.push({ path: [...at, 'headers', key], template: value });
      if (step.request.body !== undefined) out.push({ path: [...at, 'body'], template: step.request.body });
      if (step.request.json !== undefined)
        out.push({ path: [...at, 'json'], template: JSON.stringify(step.request.json) });
    });
  }
  return out;
};

/** The secret names one template references, in order. */
export const templateSecretNames = (template: string): string[] =>
  templateReferences(template).flatMap((reference) => secretNameOf(reference) ?? []);

/**
 * The environment variables (`environments.<env>.variables`) a check uses: those its templates name and
 * its own `variables` do not shadow, sorted.
 */
export const environmentVariablesUsed = (
  check: CheckTemplateSource,
  environmentVariables: Readonly<Record<string, string>>,
): string[] => {
  const used = new Set<string>();
  for (const { template } of checkTemplates(check)) {
    for (const reference of templateReferences(template)) {
      if (Object.hasOwn(environmentVariables, reference) && !Object.hasOwn(check.variables ?? {}, reference))
        used.add(reference);
    }
  }
  return [...used].sort();
};

/**
 * Every secret a check needs, sorted: the `{{secrets.x}}` of its steps (setup, main, teardown: URL,
 * headers, body), its health probe URL and headers, its `variables`, and the environment variables it uses.
 * The one list the config validator, the engine (what it resolves) and the IAM grants (what the runner may
 * read) all take, so a secret that works locally cannot be denied when deployed.
 *
 * @example
 * checkSecretNames({ variables: { auth: 'Bearer {{secrets.token}}' }, steps: [] }); // ['token']
 */
export const checkSecretNames = (
  check: CheckTemplateSource,
  environmentVariables: Readonly<Record<string, string>> = {},
): string[] => {
  const names = new Set<string>();
  for (const { template } of checkTemplates(check))
    for (const name of templateSecretNames(template)) names.add(name);
  for (const name of environmentVariablesUsed(check, environmentVariables))
    for (const secret of templateSecretNames(environmentVariables[name] ?? '')) names.add(secret);
  return [...names].sort();
};
