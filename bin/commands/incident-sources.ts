import { type DynamoDBClient, paginateScan } from '@aws-sdk/client-dynamodb';
import { DynamoDbIncidentStore } from '../../functions/escalation/adapters/dynamodb-incident-store';
import type { AckRecord, AuditRecord, Incident } from '../../functions/escalation/types/incident';
import { readIncidentJournal } from '../local/incident-journal';
import type { IncidentRecords } from './incident-report';

/** Where `vigil incidents` reads incidents from. */
export interface IncidentSource {
  /** For messages: `.vigil/incidents.jsonl`, `DynamoDB table shop-incidents`. */
  readonly description: string;
  /** Every incident with its ack and audit trail. */
  all(): Promise<IncidentRecords[]>;
  /** One incident, or undefined when the source has no such id. */
  one(incidentId: string): Promise<IncidentRecords | undefined>;
}

const recordsOf = (
  incidents: Iterable<Incident>,
  acks: ReadonlyMap<string, AckRecord>,
  audit: ReadonlyMap<string, readonly AuditRecord[]>,
): IncidentRecords[] =>
  [...incidents].map((incident) => {
    const ack = acks.get(incident.id);
    return { incident, ...(ack !== undefined ? { ack } : {}), audit: audit.get(incident.id) ?? [] };
  });

/** The journal `npm start` writes (`.vigil/incidents.jsonl`). */
export const journalSource = (file: string): IncidentSource => ({
  description: file,
  async all() {
    const { incidents, acks, audit } = readIncidentJournal(file);
    return recordsOf(incidents, acks, audit);
  },
  async one(incidentId) {
    return (await this.all()).find((records) => records.incident.id === incidentId);
  },
});

/**
 * The escalation stack's DynamoDB table, read with {@link DynamoDbIncidentStore} for one incident and one
 * paginated Scan for the list (the table is keyed by incident, so listing reads it whole).
 */
export const dynamoDbSource = (client: DynamoDBClient, tableName: string): IncidentSource => {
  const store = new DynamoDbIncidentStore(client, tableName);
  return {
    description: `DynamoDB table ${tableName}`,
    async all() {
      const incidents: Incident[] = [];
      const acks = new Map<string, AckRecord>();
      const audit = new Map<string, AuditRecord[]>();
      for await (const page of paginateScan(
        { client },
        {
          TableName: tableName,
          ProjectionExpression: 'sk, #data',
          ExpressionAttributeNames: { '#data': 'data' },
        },
      )) {
        for (const item of page.Items ?? []) {
          const sk = item.sk?.S ?? '';
          const data = item.data?.S;
          if (data === undefined) continue;
          if (sk === 'incident') incidents.push(JSON.parse(data) as Incident);
          else if (sk === 'ack') {
            const ack = JSON.parse(data) as AckRecord;
            acks.set(ack.incidentId, ack);
          } else if (sk.startsWith('audit#')) {
            const record = JSON.parse(data) as AuditRecord;
            audit.set(record.incidentId, [...(audit.get(record.incidentId) ?? []), record]);
          }
        }
      }
      for (const records of audit.values()) records.sort((a, b) => a.at - b.at);
      return recordsOf(incidents, acks, audit);
    },
    async one(incidentId) {
      const [incident, ack, audit] = await Promise.all([
        store.getIncident(incidentId),
        store.getAck(incidentId),
        store.listAudit(incidentId),
      ]);
      if (incident === undefined) return undefined;
      return { incident, ...(ack !== undefined ? { ack } : {}), audit };
    },
  };
};
