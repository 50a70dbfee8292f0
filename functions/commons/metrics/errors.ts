/**
 * Named errors of the EMF writer (house rule 5). Each says which name or value is wrong and why; none is
 * ever published: a record with a problem is refused whole, before any of its documents is written.
 */

/** A namespace, metric, dimension or metadata name CloudWatch or EMF would not take, or two that collide. */
export class EmfNameError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EmfNameError';
  }
}

/** A metric value, unit or timestamp CloudWatch would not store (NaN, ±Infinity, beyond ±2^360...). */
export class EmfValueError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EmfValueError';
  }
}

/** A dimension value CloudWatch would drop (non-ASCII, control characters, blank, too long) or a bad set. */
export class EmfDimensionError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EmfDimensionError';
  }
}

/** A document over a CloudWatch Logs event's size. */
export class EmfSizeError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EmfSizeError';
  }
}
