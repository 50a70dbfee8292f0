import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { XRayClient } from '@aws-sdk/client-xray';
import { awsEnricher } from '../../../../functions/escalation/adapters/aws-enricher';
import type { Incident } from '../../../../functions/escalation/types/incident';
import { HANG_GUARD_MS } from '../../../helpers/patience';

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

/** A request a local AWS JSON endpoint received. */
interface Received {
  readonly path: string;
  readonly target: string;
  readonly body: Record<string, unknown>;
}

/** A local endpoint answering AWS JSON calls with `answer`, recording each call. */
const startEndpoint = async (answer: (call: Received) => { status: number; body: unknown }) => {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => {
      const call = {
        path: req.url ?? '',
        target: String(req.headers['x-amz-target'] ?? ''),
        body: JSON.parse(body) as Record<string, unknown>,
      };
      received.push(call);
      const { status, body: reply } = answer(call);
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify(reply));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    received,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

/** The first bytes of a PNG file: enough for the enricher, which stores whatever image it gets. */
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);

const xrayAnswer = () => ({
  status: 200,
  body: { TraceSummaries: [{ Id: '1-67c4b2a8-0123456789abcdef01234567', Duration: 1.25, HasFault: true }] },
});

describe('AWS enricher', () => {
  // moto implements neither X-Ray filter expressions nor GetMetricWidgetImage: local endpoints answer
  // for X-Ray and CloudWatch; S3 is moto.
  it('asks X-Ray for the service’s faulted traces and links them', async () => {
    // Prepare
    const xrayApi = await startEndpoint(xrayAnswer);
    const cloudwatchApi = await startEndpoint(() => ({
      status: 200,
      body: { MetricWidgetImage: PNG.toString('base64') },
    }));
    const enrich = awsEnricher({
      xray: new XRayClient({ endpoint: xrayApi.url }),
      cloudwatch: new CloudWatchClient({ endpoint: cloudwatchApi.url }),
      s3,
      bucket: BUCKET,
    });
    // Act
    const enrichment = await enrich(incident, 60_000);
    await Promise.all([xrayApi.close(), cloudwatchApi.close()]);
    // Assess
    expect(xrayApi.received).toHaveLength(1);
    expect(xrayApi.received[0]?.path).toBe('/TraceSummaries');
    expect(xrayApi.received[0]?.body.FilterExpression).toBe('service("payment-service") { fault = true }');
    expect(enrichment.traces).toEqual([
      {
        id: '1-67c4b2a8-0123456789abcdef01234567',
        url: 'https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#xray:traces/1-67c4b2a8-0123456789abcdef01234567',
        durationMs: 1250,
      },
    ]);
  });

  it("graphs the alarm's metric, stores the PNG in S3 and links it with a presigned URL", async () => {
    // Prepare
    const xrayApi = await startEndpoint(xrayAnswer);
    const cloudwatchApi = await startEndpoint(() => ({
      status: 200,
      body: { MetricWidgetImage: PNG.toString('base64') },
    }));
    const enrich = awsEnricher({
      xray: new XRayClient({ endpoint: xrayApi.url }),
      cloudwatch: new CloudWatchClient({ endpoint: cloudwatchApi.url }),
      s3,
      bucket: BUCKET,
      urlTtlSeconds: 3_600,
    });
    // Act
    const enrichment = await enrich(incident, 60_000);
    await Promise.all([xrayApi.close(), cloudwatchApi.close()]);
    // Assess
    expect(enrichment.skipped).toBeUndefined();
    expect(cloudwatchApi.received.map((call) => call.target)).toEqual([
      'GraniteServiceVersion20100801.GetMetricWidgetImage',
    ]);
    const widget = JSON.parse(String(cloudwatchApi.received[0]?.body.MetricWidget)) as Record<
      string,
      unknown
    >;
    expect(widget).toMatchObject({
      title: 'shop-check-pay',
      metrics: [['Vigil', 'CheckSuccess', 'Check', 'pay']],
      stat: 'Average',
      period: 60,
    });
    const url = new URL(enrichment.graphUrl ?? 'http://no-graph-url/');
    expect(url.pathname).toBe(`/${BUCKET}/graphs/${incident.id}.png`);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('3600');
    const stored = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: `graphs/${incident.id}.png` }));
    expect(stored.ContentType).toBe('image/png');
    expect(Buffer.from(await stored.Body!.transformToByteArray())).toEqual(PNG);
  });

  it('keeps the traces and lists the graph as skipped when CloudWatch refuses the image', async () => {
    // Prepare: the error the service gives for a widget it cannot draw (the SDK names it DashboardInvalidInputError).
    const xrayApi = await startEndpoint(xrayAnswer);
    const cloudwatchApi = await startEndpoint(() => ({
      status: 400,
      body: { __type: 'InvalidParameterInput', message: 'The widget is not valid' },
    }));
    const enrich = awsEnricher({
      xray: new XRayClient({ endpoint: xrayApi.url }),
      cloudwatch: new CloudWatchClient({ endpoint: cloudwatchApi.url }),
      s3,
      bucket: BUCKET,
    });
    // Act
    const enrichment = await enrich({ ...incident, id: 'shop-check-pay-refused' }, HANG_GUARD_MS);
    await Promise.all([xrayApi.close(), cloudwatchApi.close()]);
    // Assess
    expect(enrichment.graphUrl).toBeUndefined();
    expect(enrichment.skipped).toEqual(['graph: DashboardInvalidInputError']);
    expect(enrichment.traces).toHaveLength(1);
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
