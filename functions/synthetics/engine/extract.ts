import type { Extractor } from '../../commons/config/types';
import { evaluateJsonPath } from './json-path';
import type { ResponseView } from './response-view';

/** Values pulled from a response, and the extractors that found nothing (in words). */
export interface Extraction {
  readonly values: Readonly<Record<string, string>>;
  readonly errors: readonly string[];
}

const asText = (value: unknown): string =>
  typeof value === 'string'
    ? value
    : value === null || typeof value !== 'object'
      ? String(value)
      : JSON.stringify(value);

/**
 * Runs a step's extractors: `json` (a JSON path; objects and arrays become JSON text), `header`
 * (case-insensitive) and `regex` (on the body, `group` 0 for the whole match). A missing value is an
 * error for the step: later steps would otherwise run with an empty `{{variable}}`.
 *
 * @example
 * extractValues([{ name: 'flightId', from: 'json', path: '$.flights[0].id' }], view);
 * // { values: { flightId: 'FL123' }, errors: [] }
 */
export const extractValues = (extractors: readonly Extractor[], response: ResponseView): Extraction => {
  const values: Record<string, string> = {};
  const errors: string[] = [];
  for (const extractor of extractors) {
    if (extractor.from === 'header') {
      const value = response.headers[extractor.header.toLowerCase()];
      if (value === undefined)
        errors.push(`extract '${extractor.name}': header ${extractor.header} not found`);
      else values[extractor.name] = value;
    } else if (extractor.from === 'json') {
      const parsed = response.json();
      if (!parsed.ok) {
        errors.push(`extract '${extractor.name}': ${parsed.error}`);
        continue;
      }
      try {
        const match = evaluateJsonPath(parsed.value, extractor.path);
        if (!match.found || match.value === undefined) {
          errors.push(`extract '${extractor.name}': ${extractor.path} not found`);
        } else {
          values[extractor.name] = asText(match.value);
        }
      } catch (error) {
        errors.push(`extract '${extractor.name}': ${(error as Error).message}`);
      }
    } else {
      let pattern: RegExp;
      try {
        pattern = new RegExp(extractor.pattern);
      } catch (error) {
        errors.push(`extract '${extractor.name}': invalid regular expression: ${(error as Error).message}`);
        continue;
      }
      const match = pattern.exec(response.body);
      const value = match?.[extractor.group];
      if (value === undefined) {
        errors.push(
          `extract '${extractor.name}': /${extractor.pattern}/ group ${extractor.group} did not match`,
        );
      } else {
        values[extractor.name] = value;
      }
    }
  }
  return { values, errors };
};
