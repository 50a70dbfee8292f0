import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * Creates, in moto (AWS_ENDPOINT_URL from the global setup), a table keyed like Vigil's incident and on-call
 * tables: string `pk` (hash) and `sk` (range), billed per request.
 */
export const createPkSkTable = async (
  tableName: string,
  dynamodb = new DynamoDBClient({}),
): Promise<void> => {
  await dynamodb.send(
    new CreateTableCommand({
      TableName: tableName,
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
};
