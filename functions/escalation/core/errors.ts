/** One thing wrong with an incoming event: where (`detail.state.value`) and what. */
export interface EscalationEventIssue {
  readonly path: string;
  readonly message: string;
}

/**
 * Thrown when an incoming event is not an alarm state change Vigil understands. Its message names the path of
 * every problem (`detail.alarmName is missing; region: "x" is not an AWS region`); `issues` lists them.
 */
export class EscalationEventError extends Error {
  public readonly issues: readonly EscalationEventIssue[];

  public constructor(
    message: string,
    options?: { cause?: unknown; issues?: readonly EscalationEventIssue[] },
  ) {
    super(message, options?.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = 'EscalationEventError';
    this.issues = options?.issues ?? [];
  }
}

/** Thrown when a Task receives input the engine did not produce (a definition/handler mismatch). */
export class EscalationInputError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EscalationInputError';
  }
}

/** A delivery that failed after every retry. Names the channel, never its URL or key. */
export class EscalationDeliveryError extends Error {
  public readonly attempts: number;
  public readonly retryable: boolean;
  /** The receiver's `Retry-After`, when it asked for a longer pause than one round may wait. */
  public readonly retryAfterMs?: number;

  public constructor(
    message: string,
    attempts: number,
    retryable: boolean,
    options?: { cause?: unknown; retryAfterMs?: number },
  ) {
    super(message, options?.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = 'EscalationDeliveryError';
    this.attempts = attempts;
    this.retryable = retryable;
    if (options?.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }
}

/**
 * Thrown by the `Wait for signal` task when the alarm recovered before the wait was armed: the definition
 * catches it by name and checks at once (the OK event's signal may have found no token to wake).
 */
export class EscalationAlarmRecoveredError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EscalationAlarmRecoveredError';
  }
}

/**
 * An alarm's current state could not be read (access denied, another account, throttling, an outage): its
 * state is unknown, which is not the same as deleted. Names the alarm, never credentials.
 */
export class EscalationAlarmStateUnreadableError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EscalationAlarmStateUnreadableError';
  }
}

/**
 * Names of the errors a retry cannot fix: the task's input or the bundled config is wrong, and the same
 * invocation fails the same way again. The state machine fails such a task at once instead of retrying it;
 * every other task error (throttling, 5xx, timeouts, a dependency down) is retried with backoff.
 */
export const NON_RETRYABLE_ESCALATION_ERRORS = [
  'EscalationInputError',
  'EscalationEventError',
  'EscalationConfigMissingError',
  'EscalationConfigLoadError',
] as const;
