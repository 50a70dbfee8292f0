import { ArnFormat, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { SecretRef } from '../../functions/commons/config/types';

/**
 * The IAM resource ARNs that allow reading exactly one Secrets Manager secret given by name or ARN.
 * A secret's full ARN ends in a random 6-character suffix, a partial ARN or a name does not: the name form
 * gets `-??????`, and an ARN is allowed both as given and with the suffix (the two cannot be told apart).
 *
 * @example
 * secretArns(stack, 'shop/api-token'); // ['arn:${Partition}:secretsmanager:${Region}:${Account}:secret:shop/api-token-??????']
 */
export const secretArns = (scope: IConstruct, secretId: string): string[] =>
  secretId.startsWith('arn:')
    ? [secretId, `${secretId}-??????`]
    : [
        Stack.of(scope).formatArn({
          service: 'secretsmanager',
          resource: 'secret',
          resourceName: `${secretId}-??????`,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ];

/** The ARN of an SSM parameter given by its name (`/shop/api-key`). */
export const parameterArn = (scope: IConstruct, name: string): string =>
  Stack.of(scope).formatArn({ service: 'ssm', resource: 'parameter', resourceName: name.replace(/^\//, '') });

/**
 * The resources to grant for secret references: Secrets Manager ARNs and SSM parameter ARNs, deduplicated
 * and sorted so templates are stable.
 */
export const secretRefArns = (
  scope: IConstruct,
  refs: readonly SecretRef[],
): { readonly secrets: string[]; readonly parameters: string[] } => {
  const secrets = new Set<string>();
  const parameters = new Set<string>();
  for (const ref of refs) {
    if ('ssm' in ref) parameters.add(parameterArn(scope, ref.ssm));
    else for (const arn of secretArns(scope, ref.secretsManager)) secrets.add(arn);
  }
  return { secrets: [...secrets].sort(), parameters: [...parameters].sort() };
};
