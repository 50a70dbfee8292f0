import type { AwsCallOutcome, TraceAwsCall } from './aws-call-tracing';

/** The name of the middleware on a traced client's stack (adding it twice replaces it). */
const MIDDLEWARE_NAME = 'VigilAwsCallTracing';

/** Input fields that name the resource a call is on, and the name X-Ray gives each. */
const RESOURCE_FIELDS = { TableName: 'table_name', SecretId: 'secret_id' } as const;

/** What the middleware reads of an AWS SDK v3 client: its stack and its region. */
export interface TraceableAwsClient {
  readonly middlewareStack: {
    add(middleware: unknown, options: { step: 'build'; name: string; override: boolean }): void;
  };
  readonly config: { region: () => Promise<string> | string };
}

/** What an AWS SDK v3 response or service error carries about the call. */
interface ResponseMetadata {
  readonly httpStatusCode?: number;
  readonly requestId?: string;
  readonly attempts?: number;
}

const metadataOf = (value: unknown): ResponseMetadata | undefined =>
  typeof value === 'object' && value !== null && '$metadata' in value
    ? (value.$metadata as ResponseMetadata)
    : undefined;

const outcomeOf = (metadata: ResponseMetadata | undefined, error?: Error): AwsCallOutcome => ({
  ...(metadata?.httpStatusCode !== undefined ? { httpStatus: metadata.httpStatusCode } : {}),
  ...(metadata?.requestId !== undefined ? { requestId: metadata.requestId } : {}),
  retries: Math.max(0, (metadata?.attempts ?? 1) - 1),
  ...(error ? { error } : {}),
});

/** `SecretsManagerClient` → `SecretsManager`, `GetSecretValueCommand` → `GetSecretValue`, as the X-Ray SDK names them. */
const strip = (name: string, suffix: string): string =>
  name.endsWith(suffix) ? name.slice(0, -suffix.length) : name;

/**
 * Traces every `send` of AWS SDK v3 clients through a {@link TraceAwsCall}, as the X-Ray SDK's
 * `captureAWSv3Client` does, without loading it: a `build`-step middleware (so one span covers the call's
 * retries) naming the service after the client (`SecretsManager`, `SSM`, `DynamoDB`), the operation after the
 * command, the resource from the input (`TableName`, `SecretId`), and reading the request id, HTTP status and
 * attempts from the response's (or the service error's) `$metadata`. Returns the client it was given.
 *
 * @example
 * const backend = createAwsSecretBackend(traceAwsSdkClient(tracing.traceAwsCall));
 */
export const traceAwsSdkClient =
  (trace: TraceAwsCall) =>
  <T>(client: T): T => {
    const { middlewareStack, config } = client as unknown as TraceableAwsClient;
    const middleware =
      (
        next: (args: { input?: Record<string, unknown> }) => Promise<unknown>,
        context: Record<string, unknown>,
      ) =>
      async (args: { input?: Record<string, unknown> }) => {
        const input = args.input ?? {};
        const resources = Object.fromEntries(
          Object.entries(RESOURCE_FIELDS).flatMap(([field, name]) =>
            typeof input[field] === 'string' ? [[name, input[field]]] : [],
          ),
        );
        const span = trace({
          service: strip(String(context.clientName ?? 'AWS'), 'Client'),
          operation: strip(String(context.commandName ?? 'Unknown'), 'Command'),
          region: await config.region(),
          ...(Object.keys(resources).length > 0 ? { resources } : {}),
        });
        try {
          const result = (await next(args)) as { output?: unknown };
          span.end(outcomeOf(metadataOf(result.output)));
          return result;
        } catch (error) {
          const failure = error instanceof Error ? error : new Error(String(error));
          span.end(outcomeOf(metadataOf(error), failure));
          throw error;
        }
      };
    middlewareStack.add(middleware, { step: 'build', name: MIDDLEWARE_NAME, override: true });
    return client;
  };
