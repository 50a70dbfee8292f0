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
