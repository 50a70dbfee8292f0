/** An on-call override was refused (unknown schedule or person, bad times, unknown id); nothing was changed. */
export class OnCallOverrideRejectedError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OnCallOverrideRejectedError';
  }
}

/** A schedule was asked for that the config does not define. */
export class OnCallUnknownScheduleError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OnCallUnknownScheduleError';
  }
}

/** An override with the same id is already stored (ids are random: a retry of a write that went through). */
export class OnCallOverrideConflictError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OnCallOverrideConflictError';
  }
}

/** A shift notice could not be delivered through one method (recorded with the notice, not retried). */
export class OnCallNoticeDeliveryError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OnCallNoticeDeliveryError';
  }
}
