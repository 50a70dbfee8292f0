/**
 * A count with its noun, plural unless the count is 1, as messages and CLI lines say it.
 *
 * @example
 * plural(1, 'day'); // '1 day'
 * plural(3, 'schedule'); // '3 schedules'
 */
export const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`;
