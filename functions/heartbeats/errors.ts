/** Thrown when the ping tokens cannot be loaded (Secrets Manager unreachable, a secret missing). */
export class HeartbeatTokensError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HeartbeatTokensError';
  }
}

/** Thrown when the heartbeat store cannot record or read pings. */
export class HeartbeatStoreError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HeartbeatStoreError';
  }
}
