import { DynamoDbPageLog } from '../../../../functions/escalation/adapters/dynamodb-page-log';
import { aws, createIncidentTable } from '../helpers/moto-escalation';

describe('DynamoDbPageLog', () => {
  it('returns a person’s pages newest first, at most the limit, and only theirs', async () => {
    // Prepare
    const table = `vigil-pages-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
    await createIncidentTable(table);
    const log = new DynamoDbPageLog(aws.dynamodb, table);
    const at = Date.parse('2026-03-02T10:30:00Z');
    await log.recordPage({ personId: 'ada', incidentId: 'i-1', at, method: 'sms' });
    await log.recordPage({ personId: 'ada', incidentId: 'i-2', at: at + 60_000, method: 'sms' });
    await log.recordPage({ personId: 'ada', incidentId: 'i-2', at: at + 120_000, method: 'voice' });
    await log.recordPage({ personId: 'grace', incidentId: 'i-3', at: at + 180_000, method: 'sms' });
    // Act
    const latest = await log.recentPages('ada', 2);
    // Assess
    expect(latest).toEqual([
      { personId: 'ada', incidentId: 'i-2', at: at + 120_000, method: 'voice' },
      { personId: 'ada', incidentId: 'i-2', at: at + 60_000, method: 'sms' },
    ]);
    expect((await log.recentPages('ada', 10)).map((page) => page.incidentId)).toEqual(['i-2', 'i-2', 'i-1']);
  });
});
