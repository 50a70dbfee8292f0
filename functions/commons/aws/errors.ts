/**
 * Named errors of Vigil's lean AWS clients (house rule 5). None carries credentials, a signature or a signed
 * header: only the operation, what the service answered and how many attempts were made.
 */

/**
 * Error codes AWS services (DynamoDB among them) use for throttling, as the SDK classifies them: retried, and
 * flagged as throttles in traces.
 */
export const AWS_THROTTLING_ERROR_CODES: ReadonlySet<string> = new Set([
  'BandwidthLimitExceeded',
  'EC2ThrottledException',
  'LimitExceededException',
  'PriorRequestNotComplete',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ThrottledException',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'TransactionInProgressException',
]);

/** What went wrong with one DynamoDB call, as {@link DynamoDbRequestError} reports it. */
export interface DynamoDbRequestFailure {
  /** The API operation (`PutItem`). */
  readonly operation: string;
  /**
   * DynamoDB's error code (`ConditionalCheckFailedException`, `ThrottlingException`), or Vigil's own for a
   * failure without one: `NetworkError`, `TimeoutError`, `MalformedResponse`, `ResponseTooLarge`.
   */
  readonly code: string;
  /** What the service (or the failure) said, trimmed and scrubbed of anything the request signed. */
  readonly detail: string;
  /** The HTTP status of the last attempt, when a response came back. */
  readonly status?: number;
  /** AWS's request id of the last attempt, when a response came back. */
  readonly requestId?: string;
  /** Attempts after the first. */
  readonly retries: number;
}

/**
 * A DynamoDB call that failed: the service refused it (`code` is DynamoDB's error name, e.g.
 * `ConditionalCheckFailedException`), or no usable answer came back within the attempts allowed.
 */
export class DynamoDbRequestError extends Error {
  /** The API operation (`PutItem`). */
  public readonly operation: string;
  /** DynamoDB's error code, or `NetworkError` / `TimeoutError` / `MalformedResponse` / `ResponseTooLarge`. */
  public readonly code: string;
  /** The HTTP status of the last attempt, when a response came back. */
  public readonly status: number | undefined;
  /** AWS's request id of the last attempt, when a response came back. */
  public readonly requestId: string | undefined;
  /** Attempts after the first. */
  public readonly retries: number;

  public constructor(failure: DynamoDbRequestFailure, options?: { cause?: unknown }) {
    const status = failure.status === undefined ? '' : ` (HTTP ${failure.status})`;
    const requestId = failure.requestId === undefined ? '' : `, request id ${failure.requestId}`;
    const attempts = `${failure.retries + 1} attempt${failure.retries === 0 ? '' : 's'}`;
    super(
      `DynamoDB ${failure.operation} failed: ${failure.code}${status}: ${failure.detail} (${attempts}${requestId})`,
      options,
    );
    this.name = 'DynamoDbRequestError';
    this.operation = failure.operation;
    this.code = failure.code;
    this.status = failure.status;
    this.requestId = failure.requestId;
    this.retries = failure.retries;
  }
}

/** The AWS settings a lean client needs (region, credentials) are missing from its environment. */
export class AwsClientConfigError extends Error {
  /** The environment variables that were missing, all of them. */
  public readonly missing: readonly string[];

  public constructor(client: string, missing: readonly string[]) {
    super(`${client}: environment variable(s) ${missing.join(', ')} required but not set`);
    this.name = 'AwsClientConfigError';
    this.missing = missing;
  }
}
