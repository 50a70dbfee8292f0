import { retryDelayMs } from '../../../../functions/synthetics/engine/retry-policy';

describe('retryDelayMs', () => {
  it.each([
    ['fixed', [500, 500, 500, 500]],
    ['linear', [500, 1_000, 1_500, 1_800]],
    ['exponential', [500, 1_000, 1_800, 1_800]],
  ] as const)('spaces %s retries and caps them at maxDelay', (strategy, expected) => {
    // Act
    const delays = [1, 2, 3, 4].map((retry) =>
      retryDelayMs({ strategy, maxAttempts: 5, delayMs: 500, maxDelayMs: 1_800 }, retry),
    );

    // Assess
    expect(delays).toEqual(expected);
  });
});
