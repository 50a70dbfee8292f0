/**
 * Tracing of one AWS API call, as a port: the code that calls AWS says when a call starts and how it ended;
 * the adapter decides where that goes (an X-Ray `aws` subsegment in Lambda, nothing elsewhere). It lets a
 * function trace its AWS calls without loading the X-Ray SDK.
 */

/** How a traced AWS call ended. */
export interface AwsCallOutcome {
  /** The HTTP status of the last attempt, when a response came back. */
  readonly httpStatus?: number;
  /** AWS's request id (`x-amzn-requestid`) of the last attempt, when a response came back. */
  readonly requestId?: string;
  /** Attempts after the first. */
  readonly retries: number;
  /** The error the call ended with, when it failed (never carrying credentials or signed headers). */
  readonly error?: Error;
}

/** One AWS call being traced. */
export interface AwsCallSpan {
  /** Ends the call's span (a second call is ignored). */
  end(outcome: AwsCallOutcome): void;
}

/** What is being called. */
export interface AwsCall {
  /** The service, as X-Ray names it: `DynamoDB`, `SecretsManager`, `SSM`. */
  readonly service: string;
  /** The API operation: `PutItem`, `GetSecretValue`. */
  readonly operation: string;
  /** The region the call goes to. */
  readonly region: string;
  /** Resource names X-Ray shows for the call (`table_name`, `secret_id` …). */
  readonly resources?: Readonly<Record<string, string>>;
}

/** Starts tracing one AWS call. */
export type TraceAwsCall = (call: AwsCall) => AwsCallSpan;

const NOTHING: AwsCallSpan = { end: () => undefined };

/**
 * Traces nothing: for tests, local mode and functions whose tracing is off.
 *
 * @example
 * const client = new DynamoDbJsonClient({ ..., trace: untracedAwsCalls });
 */
export const untracedAwsCalls: TraceAwsCall = () => NOTHING;
