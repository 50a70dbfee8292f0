import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { XRayClient } from '@aws-sdk/client-xray';
import { awsEnricher } from '../../../../functions/escalation/adapters/aws-enricher';
import type { Incident } from '../../../../functions/escalation/types/incident';

const BUCKET = 'enricher-graphs';
const s3 = new S3Client({ forcePathStyle: true });

const incident: Incident = {
  id: 'shop-check-pay-20260302T103000Z-1',
  alarm: {
    alarmName: 'shop-check-pay',
    state: 'ALARM',
    reason: 'x',
    stateChangedAt: '2026-03-02T10:30:00.000Z',
    region: 'us-east-1',
    metric: { namespace: 'Vigil', name: 'CheckSuccess', dimensions: { Check: 'pay' } },
    source: 'eventbridge',
  },
  severity: 'critical',
  team: 'payments',
  policy: 'critical',
  summary: 'pay',
  tags: { 'vigil:service': 'payment-service' },
  startedAt: Date.now(),
};

beforeAll(async () => {
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
});

describe('AWS enricher', () => {
  it('asks X-Ray for the service’s faulted traces, links them, and degrades gracefully without a graph', async () => {
    // Prepare: moto does not implement X-Ray filter expressions, so a local X-Ray endpoint answers instead.
    const requests: { path: string; body: Record<string, unknown> }[] = [];
    const xrayServer = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      req.on('end', () => {
        requests.push({ path: req.url ?? '', body: JSON.parse(body) as Record<string, unknown> });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            TraceSummaries: [{ Id: '1-67c4b2a8-0123456789abcdef01234567', Duration: 1.25, HasFault: true }],
          }),
        );
      });
    });
    await new Promise<void>((resolve) => xrayServer.listen(0, '127.0.0.1', resolve));
    const xray = new XRayClient({
      endpoint: `http://127.0.0.1:${(xrayServer.address() as AddressInfo).port}`,
    });
    const enrich = awsEnricher({ xray, cloudwatch: new CloudWatchClient({}), s3, bucket: BUCKET });
    // Act
    const enrichment = await enrich(incident, 5_000);
    xrayServer.close();
    // Assess
    expect(requests[0]?.path).toBe('/TraceSummaries');
    expect(requests[0]?.body.FilterExpression).toBe('service("payment-service") { fault = true }');
    expect(enrichment.traces).toEqual([
      {
        id: '1-67c4b2a8-0123456789abcdef01234567',
        url: 'https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#xray:traces/1-67c4b2a8-0123456789abcdef01234567',
        durationMs: 1250,
      },
    ]);
    expect(
      enrichment.graphUrl ?? enrichment.skipped?.find((text) => text.startsWith('graph: ')),
    ).toBeDefined();
  });

  it('returns within its time budget when the APIs hang, listing what was skipped', async () => {
    // Prepare: endpoints that accept connections and never answer.
    const hung = createServer(() => undefined);
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(hung.address() as AddressInfo).port}`;
    const enrich = awsEnricher({
      xray: new XRayClient({ endpoint }),
      cloudwatch: new CloudWatchClient({ endpoint }),
      s3,
      bucket: BUCKET,
    });
    // Act
    const enrichment = await enrich(incident, 300);
    hung.closeAllConnections();
    hung.close();
    // Assess
    expect(enrichment.skipped).toEqual(['traces: EnrichmentBudgetError', 'graph: EnrichmentBudgetError']);
  });
});
