/** One problem found in a fault description, with where it is (`routes["GET /api/flights"].status`). */
export interface FaultsIssue {
  readonly path: string;
  readonly message: string;
}

/** Thrown when a fault description is invalid. Carries every problem found, not just the first. */
export class FaultsValidationError extends Error {
  public readonly issues: readonly FaultsIssue[];

  public constructor(issues: readonly FaultsIssue[], source = 'faults') {
    super(
      `${source} are invalid: ${issues.map((issue) => `${issue.path || '(root)'}: ${issue.message}`).join('; ')}`,
    );
    this.name = 'FaultsValidationError';
    this.issues = issues;
  }
}

/** Thrown when the demo API's command-line arguments or `VIGIL_DEMO_FAULTS` cannot be used. */
export class FlightApiArgsError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FlightApiArgsError';
  }
}

/** Thrown when the demo API cannot listen (port in use, bad host). */
export class FlightApiStartError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FlightApiStartError';
  }
}
