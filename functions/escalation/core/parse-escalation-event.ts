import type * as z from 'zod/mini';
import { formatPath } from '../../commons/config/errors';
import { EscalationEventError, type EscalationEventIssue } from './errors';

/**
 * The value `schema` reads from an incoming event, or an {@link EscalationEventError} naming the path of every
 * problem at once (`detail.alarmName is missing; region: "x" is not an AWS region`). `subject` names the
 * whole input when the problem is the input itself.
 *
 * @throws {EscalationEventError} with one issue per problem
 */
export const parseEscalationEvent = <S extends z.ZodMiniType>(
  schema: S,
  input: unknown,
  subject: string,
): z.output<S> => {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues: EscalationEventIssue[] = parsed.error.issues.map((issue) => ({
    path: formatPath(issue.path) || subject,
    message: issue.message,
  }));
  throw new EscalationEventError(
    issues
      .map(({ path, message }) => `${path}${message.startsWith('is ') ? ' ' : ': '}${message}`)
      .join('; '),
    { issues },
  );
};
