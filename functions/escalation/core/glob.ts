const cache = new Map<string, RegExp>();

/**
 * Matches a name against a pattern where `*` stands for any run of characters (case-sensitive, whole name).
 *
 * @example
 * globMatch('shop-check-*', 'shop-check-health_live'); // true
 */
export const globMatch = (pattern: string, name: string): boolean => {
  let regex = cache.get(pattern);
  if (regex === undefined) {
    regex = new RegExp(
      `^${pattern
        .split('*')
        .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
    );
    cache.set(pattern, regex);
  }
  return regex.test(name);
};
