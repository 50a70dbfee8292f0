import { BoundedCache } from '../../../../functions/synthetics/engine/bounded-cache';

describe('BoundedCache', () => {
  it('makes a value once and hands the kept one back while it is held', () => {
    // Prepare
    const cache = new BoundedCache<string, { source: string }>(4);
    let made = 0;
    const make = (source: string) => {
      made += 1;
      return { source };
    };

    // Act
    const first = cache.get('^220 ', make);
    const second = cache.get('^220 ', make);

    // Assess
    expect(second).toBe(first);
    expect(made).toBe(1);
  });

  it('keeps a value that is undefined instead of making it again', () => {
    // Prepare
    const cache = new BoundedCache<string, undefined>(2);
    let made = 0;

    // Act
    cache.get('a', () => {
      made += 1;
      return undefined;
    });
    cache.get('a', () => {
      made += 1;
      return undefined;
    });

    // Assess
    expect(made).toBe(1);
  });

  it('holds at most its limit, forgetting the oldest entry first', () => {
    // Prepare
    const cache = new BoundedCache<number, string>(3);
    const made: number[] = [];
    const make = (key: number) => {
      made.push(key);
      return String(key);
    };

    // Act
    for (const key of [1, 2, 3, 4]) cache.get(key, make);
    cache.get(2, make); // still held
    cache.get(1, make); // forgotten when 4 came: made again

    // Assess
    expect(cache.size).toBe(3);
    expect(made).toEqual([1, 2, 3, 4, 1]);
  });

  it('does not keep a value whose making threw', () => {
    // Prepare
    const cache = new BoundedCache<string, RegExp>(2);

    // Act
    const bad = () => cache.get('(', (source) => new RegExp(source));

    // Assess
    expect(bad).toThrow(SyntaxError);
    expect(cache.size).toBe(0);
  });

  it('rejects a limit that would keep nothing', () => {
    // Act
    const zero = () => new BoundedCache<string, string>(0);

    // Assess
    expect(zero).toThrow('BoundedCache limit must be a positive integer, got 0');
  });
});
