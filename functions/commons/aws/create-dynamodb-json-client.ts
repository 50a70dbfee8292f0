import { DynamoDbJsonClient, type DynamoDbJsonClientOptions } from './dynamodb-json-client';
import { AwsClientConfigError } from './errors';

/**
 * The one place a {@link DynamoDbJsonClient} is configured from the environment, as the SDK would be: region
 * `AWS_REGION`; credentials `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` / `AWS_SESSION_TOKEN` (what Lambda
 * sets); endpoint `AWS_ENDPOINT_URL_DYNAMODB`, else `AWS_ENDPOINT_URL`, else DynamoDB's regional endpoint (`.amazonaws.com.cn` in China).
 * Call it at module scope: it costs no I/O. @throws {@link AwsClientConfigError} naming every missing variable
 *
 * @example
 * const dynamo = createDynamoDbJsonClient({ trace: tracedAwsCalls(tracer) });
 */
export const createDynamoDbJsonClient = (
  options: Omit<DynamoDbJsonClientOptions, 'region' | 'credentials' | 'endpoint'> = {},
  env: NodeJS.ProcessEnv = process.env,
): DynamoDbJsonClient => {
  const value = (name: string): string | undefined => (env[name] === '' ? undefined : env[name]);
  const region = value('AWS_REGION');
  const accessKeyId = value('AWS_ACCESS_KEY_ID');
  const secretAccessKey = value('AWS_SECRET_ACCESS_KEY');
  const sessionToken = value('AWS_SESSION_TOKEN');
  const missing = Object.entries({
    AWS_REGION: region,
    AWS_ACCESS_KEY_ID: accessKeyId,
    AWS_SECRET_ACCESS_KEY: secretAccessKey,
  }).flatMap(([name, found]) => (found === undefined ? [name] : []));
  if (region === undefined || accessKeyId === undefined || secretAccessKey === undefined)
    throw new AwsClientConfigError('DynamoDB client', missing);
  return new DynamoDbJsonClient({
    ...options,
    region,
    credentials: { accessKeyId, secretAccessKey, ...(sessionToken === undefined ? {} : { sessionToken }) },
    endpoint:
      value('AWS_ENDPOINT_URL_DYNAMODB') ??
      value('AWS_ENDPOINT_URL') ??
      `https://dynamodb.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`,
  });
};
