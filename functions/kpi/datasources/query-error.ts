import { redactSecrets } from '../../commons/redactor';
import { KpiQueryError } from '../errors';

const HINTS: Record<string, string> = {
  '25006': 'the query tried to write; KPI queries run in a READ ONLY transaction',
  '57014': 'the query was cancelled by its statement timeout',
  '55P03': 'the query waited too long for a lock (lock_timeout)',
};

/**
 * Wraps a database error as a {@link KpiQueryError} with its SQLSTATE and a plain-words hint for the
 * cases users meet (write attempt, statement timeout, lock timeout), secrets removed.
 */
export const toKpiQueryError = (
  error: unknown,
  secrets: readonly (string | undefined)[] = [],
): KpiQueryError => {
  const code =
    typeof (error as { code?: unknown })?.code === 'string'
      ? ((error as { code: string }).code as string)
      : undefined;
  const raw = error instanceof Error ? error.message : String(error);
  const hint = code !== undefined ? HINTS[code] : undefined;
  const message = redactSecrets(
    `${hint ? `${hint}: ` : ''}${raw}${code !== undefined ? ` (SQLSTATE ${code})` : ''}`,
    secrets,
  );
  return new KpiQueryError(message, { code, cause: error });
};
