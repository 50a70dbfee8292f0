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
