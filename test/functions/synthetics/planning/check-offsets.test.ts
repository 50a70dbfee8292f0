import { checkOffsetMs } from '../../../../functions/synthetics/planning/check-offsets';

describe('checkOffsetMs', () => {
  it('gives a check the same offset every time', () => {
    expect(checkOffsetMs('checkout-api', 25_000)).toBe(checkOffsetMs('checkout-api', 25_000));
  });

  it('spreads a thousand checks over the window instead of one second', () => {
    // Prepare
    const names = Array.from({ length: 1_000 }, (_, i) => `check-${i}`);

    // Act
    const offsets = names.map((name) => checkOffsetMs(name, 25_000));

    // Assess: all in the window, and no one-second slot holds more than 3x its fair share (40)
    expect(Math.min(...offsets)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...offsets)).toBeLessThan(25_000);
    const perSecond = new Map<number, number>();
    for (const offset of offsets) {
      const second = Math.floor(offset / 1_000);
      perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
    }
    expect(perSecond.size).toBe(25);
    expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(120);
  });

  it('starts every check at once when there is no window', () => {
    expect(checkOffsetMs('checkout-api', 0)).toBe(0);
  });
});
