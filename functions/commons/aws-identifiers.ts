/**
 * What an AWS region name and an account id look like, and the console origin of a region: one home for the
 * config schema (check locations), the alarm-event parser and the links Vigil puts in messages.
 */

/** An AWS region name: `eu-west-1`, `us-gov-west-1`, `cn-north-1`, `ap-southeast-5`. */
export const AWS_REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d$/;

/** An AWS account id: exactly 12 digits. */
export const AWS_ACCOUNT_PATTERN = /^\d{12}$/;

/** Whether `value` is a well-formed AWS region name. */
export const isAwsRegion = (value: unknown): value is string =>
  typeof value === 'string' && AWS_REGION_PATTERN.test(value);

/** Whether `value` is a well-formed AWS account id. */
export const isAwsAccountId = (value: unknown): value is string =>
  typeof value === 'string' && AWS_ACCOUNT_PATTERN.test(value);

/**
 * The AWS console origin serving a region (its partition's console host), or `undefined` when the value is not
 * a region name or the region's partition has no public console (the ISO partitions). Links are only ever
 * built from this, so no alarm field can point a button at another host.
 *
 * @example
 * consoleOrigin('eu-west-1'); // 'https://eu-west-1.console.aws.amazon.com'
 * consoleOrigin('evil.example.com#'); // undefined
 */
export const consoleOrigin = (region: unknown): string | undefined => {
  if (!isAwsRegion(region) || region.startsWith('us-iso')) return undefined;
  if (region.startsWith('cn-')) return `https://${region}.console.amazonaws.cn`;
  if (region.startsWith('us-gov-')) return `https://${region}.console.amazonaws-us-gov.com`;
  return `https://${region}.console.aws.amazon.com`;
};
