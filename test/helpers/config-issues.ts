import { type ConfigIssue, ConfigValidationError } from '../../functions/commons/config/errors';
import { parseConfig } from '../../functions/commons/config/resolve-config';

/** The problems `parseConfig` reports for an input, or none when it is valid. */
export const configIssues = (input: unknown): readonly ConfigIssue[] => {
  try {
    parseConfig(input);
    return [];
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.issues;
    throw error;
  }
};

/** The same problems as `path: message` lines, the form users see. */
export const configIssueLines = (input: unknown): string[] =>
  configIssues(input).map((issue) => `${issue.path}: ${issue.message}`);
