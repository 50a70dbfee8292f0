/** Matches `{{ name }}` placeholders in check templates. */
export const TEMPLATE_PATTERN = /\{\{\s*([^{}]+?)\s*\}\}/g;

/** Placeholders every template may use, filled in per run. */
export const BUILTIN_VARIABLES = ['baseUrl', '$uuid', '$now', '$timestamp', '$randomInt'] as const;

/** Lists the placeholder names used in a template string, in order. */
export const templateReferences = (template: string): string[] =>
  [...template.matchAll(TEMPLATE_PATTERN)].map((match) => match[1] ?? '');

/**
 * Replaces `{{ name }}` placeholders using `lookup`. Unknown names are reported through `onMissing`
 * and left empty, so a missing variable shows up as a failed request rather than a literal `{{x}}`.
 */
export const renderTemplate = (
  template: string,
  lookup: (name: string) => string | undefined,
  onMissing: (name: string) => void = () => undefined,
): string =>
  template.replace(TEMPLATE_PATTERN, (_whole, name: string) => {
    const value = lookup(name);
    if (value === undefined) {
      onMissing(name);
      return '';
    }
    return value;
  });

/** What a URL template's placeholders stand for when it is checked: a leading one gives the scheme and host. */
const SAMPLE_ORIGIN = 'http://sample.invalid';
const SAMPLE_VALUE = 'sample';

/**
 * Why a URL template can never render to an absolute http(s) URL, or `undefined` when it can: braces
 * outside a `{{name}}` placeholder (`{{baseUrl}/ok`), or text that is no absolute URL once placeholders hold
 * sample values (a leading placeholder stands for an origin, as `{{baseUrl}}` does).
 *
 * @example
 * urlTemplateProblem('{{baseUrl}}/flights?from={{from}}'); // undefined
 * urlTemplateProblem('{{baseUrl}/ok'); // "unbalanced braces ..."
 */
export const urlTemplateProblem = (template: string): string | undefined => {
  if (/[{}]/.test(template.replace(TEMPLATE_PATTERN, ''))) {
    return `unbalanced braces in '${template}': write placeholders as {{name}} (and literal braces as %7B / %7D)`;
  }
  const sample = template.replace(TEMPLATE_PATTERN, (_whole, _name, offset: number) =>
    offset === 0 ? SAMPLE_ORIGIN : SAMPLE_VALUE,
  );
  let url: URL;
  try {
    url = new URL(sample);
  } catch {
    return `'${template}' is not an absolute URL: start it with {{baseUrl}} or http(s)://`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `'${template}' is not an http(s) URL (scheme '${url.protocol.slice(0, -1)}')`;
  }
  return undefined;
};
