import { type DynamoDBClient, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import type { PersonPage } from '../types/incident';
import type { PageLog } from '../types/ports';
import { INCIDENT_RETENTION_DAYS } from './dynamodb-incident-store';

/** The sort key of a page: newest last in key order, one item per (time, incident, method). */
const pageKey = (page: PersonPage): string =>
  `page#${String(page.at).padStart(15, '0')}#${page.incidentId}#${page.method}`;

/**
 * {@link PageLog} on the incidents table (`pk` = `person#<id>`, `sk` = `page#<epoch ms>#<incident>#<method>`),
 * kept as long as incidents are.
 */
export class DynamoDbPageLog implements PageLog {
  public constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  public async recordPage(page: PersonPage): Promise<void> {
    await this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: {
          pk: { S: `person#${page.personId}` },
          sk: { S: pageKey(page) },
          at: { N: String(page.at) },
          data: { S: JSON.stringify(page) },
          expiresAt: { N: String(Math.floor(page.at / 1000) + INCIDENT_RETENTION_DAYS * 86_400) },
        },
      }),
    );
  }

  public async recentPages(personId: string, limit: number): Promise<PersonPage[]> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :page)',
        ExpressionAttributeValues: { ':pk': { S: `person#${personId}` }, ':page': { S: 'page#' } },
        ScanIndexForward: false,
        Limit: limit,
        ConsistentRead: true,
      }),
    );
    return (result.Items ?? []).flatMap((item) =>
      item.data?.S !== undefined ? [JSON.parse(item.data.S) as PersonPage] : [],
    );
  }
}
