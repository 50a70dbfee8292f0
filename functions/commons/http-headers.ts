/**
 * Header lookups by name, whatever the case of the keys (HTTP header names are case-insensitive). `name` is
 * given in lower case.
 */

/**
 * True when `headers` has a header named `name`.
 *
 * @example
 * hasHeader({ 'Content-Type': 'text/plain' }, 'content-type'); // true
 */
export const hasHeader = (headers: Readonly<Record<string, string | undefined>>, name: string): boolean =>
  Object.keys(headers).some((key) => key.toLowerCase() === name);

/**
 * The value of the header named `name`, or `undefined` when there is none.
 *
 * @example
 * headerValue({ 'X-Slack-Signature': 'v0=ab' }, 'x-slack-signature'); // 'v0=ab'
 */
export const headerValue = (
  headers: Readonly<Record<string, string | undefined>>,
  name: string,
): string | undefined => Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
