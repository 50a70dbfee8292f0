import { createEmfWriter, EmfDimensionError, type EmfWriter } from '../../../../functions/commons/metrics';
import {
  metricCountPerCheck,
  publishCheckMetrics,
} from '../../../../functions/synthetics/adapters/emf-publisher';
import { runCheck } from '../../../../functions/synthetics/engine/check-runner';
import type { CheckResult } from '../../../../functions/synthetics/types/results';
import { expectValidEmf } from '../../../helpers/emf-spec';
import { check, step } from '../../../helpers/http/check-fixture';
import { startTestServer, type TestServer } from '../../../helpers/http/test-server';

interface EmfRecord {
  _aws: { CloudWatchMetrics: { Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] };
  [key: string]: unknown;
}

/** Publishes through a writer whose sink keeps the lines, checks them against the EMF spec, parses them. */
const capture = (publish: (writer: EmfWriter) => void): EmfRecord[] => {
  const lines: string[] = [];
  publish(
    createEmfWriter({
      namespace: 'Vigil/Test',
      defaultDimensions: { App: 'flight-booking' },
      sink: (line) => lines.push(line),
    }),
  );
  expectValidEmf(lines);
  return lines.map((line) => JSON.parse(line) as EmfRecord);
};

describe('publishCheckMetrics', () => {
  let server: TestServer;
  let result: CheckResult;
  beforeAll(async () => {
    server = await startTestServer({ '/ok': { status: 200 }, '/slow': { delayMs: 60, status: 200 } });
    result = await runCheck(
      check('booking_creation', [step('search', '/ok'), step('book', '/slow', { degradedAfterMs: 10 })], {
        teardown: [step('cancel', '/missing', { assert: [{ type: 'status', op: 'equals', value: 204 }] })],
      }),
      { baseUrl: server.url, concurrency: 1, location: 'eu-west-1' },
    );
  });
  afterAll(async () => {
    await server.close();
  });

  it('publishes only CheckDuration of a passing (here degraded) run at the essential level, the rest as metadata', () => {
    // Act
    const records = capture((writer) => publishCheckMetrics(writer, result, 'essential'));

    // Assess
    expect(records).toHaveLength(1);
    const [record] = records as [EmfRecord];
    expect(record._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([['App', 'Check']]);
    expect(record._aws.CloudWatchMetrics[0]?.Metrics).toEqual([
      { Name: 'CheckDuration', Unit: 'Milliseconds' },
    ]);
    expect(record).not.toHaveProperty('CheckSuccess');
    expect(record).not.toHaveProperty('CheckDegraded');
    expect(record).not.toHaveProperty('CheckRetries');
    expect(record).toMatchObject({
      App: 'flight-booking',
      Check: 'booking_creation',
      attempts: 1,
      status: 'degraded',
      location: 'eu-west-1',
      error: 'cancel: expected status equals 204, got 404',
    });
    expect(record.CheckDuration).toBe(Math.max(0.001, result.attempts.at(-1)?.durationMs ?? 0));
    expect(record.CheckDuration).toBeGreaterThan(0);
    expect(record.durationMs).toBe(result.durationMs);
    const steps = record.steps as { name: string; status: string; timings: { totalMs: number } }[];
    expect(steps.map((s) => [s.name, s.status])).toEqual([
      ['search', 'passed'],
      ['book', 'degraded'],
      ['cancel', 'failed'],
    ]);
    expect(typeof steps[0]?.timings.totalMs).toBe('number');
    expect(metricCountPerCheck('essential', 3)).toBe(1);
  });

  it.each([
    ['passed', 0],
    ['passed', 0.0004],
    ['degraded', 0],
  ] as const)(
    'publishes a %s run measured at %d ms as a CheckDuration above 0, never read as a failed run',
    (status, durationMs) => {
      // Prepare: a real result whose final attempt took no measurable time (a sub-millisecond probe)
      const attempt = result.attempts.at(-1);
      if (attempt === undefined) throw new Error('the fixture run has an attempt');
      const instant: CheckResult = { ...result, status, attempts: [{ ...attempt, durationMs }] };

      // Act: through the real writer and its serializer
      const records = capture((writer) => publishCheckMetrics(writer, instant, 'essential'));

      // Assess
      expect(records[0]?._aws.CloudWatchMetrics[0]?.Metrics).toEqual([
        { Name: 'CheckDuration', Unit: 'Milliseconds' },
      ]);
      expect(records[0]?.CheckDuration).toBe(0.001);
      expect(records[0]?.CheckDuration).toBeGreaterThan(0);
    },
  );

  it("publishes a failed run's CheckDuration as exactly 0 and no CheckSuccess: the failure alarm sees a real datapoint in the period the run failed", async () => {
    // Prepare
    const failed = await runCheck(
      check('down', [step('home', '/missing', { assert: [{ type: 'status', op: 'equals', value: 200 }] })]),
      {
        baseUrl: server.url,
        concurrency: 1,
      },
    );
    expect(failed.status).toBe('failed');

    // Act
    const records = capture((writer) => publishCheckMetrics(writer, failed, 'essential'));

    // Assess
    expect(records).toHaveLength(1);
    expect(records[0]?._aws.CloudWatchMetrics[0]?.Metrics).toEqual([
      { Name: 'CheckDuration', Unit: 'Milliseconds' },
    ]);
    expect(records[0]).toMatchObject({ CheckDuration: 0, status: 'failed' });
    expect(records[0]).not.toHaveProperty('CheckSuccess');
  });

  it('adds CheckDegraded, CheckRetries and one record of 8 step metrics per step at the detailed level', () => {
    // Act
    const records = capture((writer) => publishCheckMetrics(writer, result, 'detailed'));

    // Assess
    expect(records).toHaveLength(4);
    expect(records[0]?._aws.CloudWatchMetrics[0]?.Metrics.map((metric) => metric.Name)).toEqual([
      'CheckDuration',
      'CheckDegraded',
      'CheckRetries',
    ]);
    expect(records[0]).toMatchObject({ CheckDegraded: 1, CheckRetries: 0 });
    const stepRecords = records.slice(1);
    expect(stepRecords.map((record) => record.Step)).toEqual(['search', 'book', 'cancel']);
    for (const record of stepRecords) {
      expect(record._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([['App', 'Check', 'Step']]);
      expect(record._aws.CloudWatchMetrics[0]?.Metrics.map((metric) => metric.Name)).toEqual([
        'StepSuccess',
        'StepDegraded',
        'StepDuration',
        'StepDnsTime',
        'StepConnectTime',
        'StepTlsTime',
        'StepFirstByteTime',
        'StepDownloadTime',
      ]);
    }
    expect(stepRecords[2]).toMatchObject({ StepSuccess: 0, status: 'failed', statusCode: 404 });
    const metricTotal = records.reduce(
      (sum, record) => sum + (record._aws.CloudWatchMetrics[0]?.Metrics.length ?? 0),
      0,
    );
    expect(metricTotal).toBe(metricCountPerCheck('detailed', 3));
    expect(metricTotal).toBe(27);
  });

  it('publishes none of a check whose step name CloudWatch would drop as a dimension value', () => {
    // Prepare
    const lines: string[] = [];
    const writer = createEmfWriter({ namespace: 'Vigil/Test', sink: (line) => lines.push(line) });
    const odd: CheckResult = { ...result, steps: [...result.steps, { ...result.steps[0]!, name: 'Zürich' }] };

    // Act
    const publish = () => publishCheckMetrics(writer, odd, 'detailed');

    // Assess
    expect(publish).toThrow(EmfDimensionError);
    expect(lines).toEqual([]);
  });
});
