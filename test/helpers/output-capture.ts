/** What {@link captureJsonOutput} collected, and how to stop collecting. */
export interface JsonOutputCapture {
  /** Every JSON line written so far (logs, EMF documents, Powertools warnings), in order. */
  readonly lines: string[];
  /** The lines, parsed. */
  readonly records: () => Record<string, unknown>[];
  /** The EMF documents among the lines (those with an `_aws` member). */
  readonly emfLines: () => string[];
  /** Puts `process.stdout.write` and `process.stderr.write` back. */
  readonly restore: () => void;
}

/**
 * Captures the JSON lines Powertools and the EMF writer print (logs and EMF documents on stdout, warnings on
 * stderr), keeping them off the test output; non-JSON lines are dropped. Call `restore()` when done.
 */
export const captureJsonOutput = (): JsonOutputCapture => {
  const lines: string[] = [];
  const capture = (chunk: string | Uint8Array) => {
    lines.push(
      ...String(chunk)
        .split('\n')
        .filter((line) => line.startsWith('{')),
    );
    return true;
  };
  const spies = [
    jest.spyOn(process.stdout, 'write').mockImplementation(capture),
    jest.spyOn(process.stderr, 'write').mockImplementation(capture),
  ];
  return {
    lines,
    records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    emfLines: () => lines.filter((line) => line.includes('"_aws"')),
    restore: () => {
      for (const spy of spies) spy.mockRestore();
    },
  };
};
