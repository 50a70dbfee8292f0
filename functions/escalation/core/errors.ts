/** Thrown when an incoming event is not an alarm state change Vigil understands. */
export class EscalationEventError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EscalationEventError';
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

  public constructor(message: string, attempts: number, retryable: boolean, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EscalationDeliveryError';
    this.attempts = attempts;
    this.retryable = retryable;
  }
}
