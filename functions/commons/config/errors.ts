/** One problem found in a config, with where it is (`checks[3].steps[1].assert[0]`). */
export interface ConfigIssue {
  readonly path: string;
  readonly message: string;
}

/**
 * Thrown when a config is invalid. Carries every problem found, not just the first.
 */
export class ConfigValidationError extends Error {
  public readonly issues: readonly ConfigIssue[];

  public constructor(issues: readonly ConfigIssue[], source = 'config') {
    super(
      `${source} is invalid (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n${issues
        .map((issue) => `  ${issue.path || '(root)'}: ${issue.message}`)
        .join('\n')}`,
    );
    this.name = 'ConfigValidationError';
    this.issues = issues;
  }
}

/** Thrown when a config file cannot be found or loaded. */
export class ConfigLoadError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConfigLoadError';
  }
}

/** Formats a zod-style path (`['checks', 3, 'steps', 1]`) as `checks[3].steps[1]`. */
export const formatPath = (path: readonly PropertyKey[]): string =>
  path.reduce<string>((text, key) => {
    if (typeof key === 'number') return `${text}[${key}]`;
    const name = String(key);
    if (/^[A-Za-z_$][\w$]*$/.test(name)) return text ? `${text}.${name}` : name;
    return `${text}[${JSON.stringify(name)}]`;
  }, '');
