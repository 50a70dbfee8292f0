import { Metrics } from '@aws-lambda-powertools/metrics';
import {
  metricCountPerCheck,
  publishCheckMetrics,
} from '../../../../functions/synthetics/adapters/emf-publisher';
import { runCheck } from '../../../../functions/synthetics/engine/check-runner';
import type { CheckResult } from '../../../../functions/synthetics/types/results';
import { check, step } from '../../../helpers/http/check-fixture';
import { startTestServer, type TestServer } from '../../../helpers/http/test-server';

interface EmfRecord {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: {
      Namespace: string;
      Dimensions: string[][];
      Metrics: { Name: string; Unit: string }[];
    }[];
  };
  [key: string]: unknown;
}

const UNITS = new Set(['Count', 'Milliseconds']);

/** Checks a record against the EMF specification and the limits Vigil keeps to. */
const assertValidEmf = (record: EmfRecord): void => {
  expect(Number.isInteger(record._aws.Timestamp)).toBe(true);
  expect(record._aws.CloudWatchMetrics).toHaveLength(1);
  for (const directive of record._aws.CloudWatchMetrics) {
    expect(directive.Namespace).toMatch(/^[\w./#:-]{1,255}$/);
    expect(directive.Dimensions).toHaveLength(1);
    for (const set of directive.Dimensions) {
      expect(set.length).toBeLessThanOrEqual(30);
      for (const name of set) expect(typeof record[name]).toBe('string');
    }
    expect(directive.Metrics.length).toBeGreaterThan(0);
    expect(directive.Metrics.length).toBeLessThanOrEqual(100);
    for (const metric of directive.Metrics) {
      expect(UNITS.has(metric.Unit)).toBe(true);
      expect(typeof record[metric.Name]).toBe('number');
    }
  }
};

const capture = (publish: () => void): EmfRecord[] => {
  const lines: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    publish();
  } finally {
    spy.mockRestore();
  }
  return lines
    .join('')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as EmfRecord);
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

  const newMetrics = () => new Metrics({ namespace: 'Vigil/Test', serviceName: 'flight-booking' });

  it('publishes 4 check metrics in one valid EMF record at the essential level, details as metadata', () => {
    // Act
    const records = capture(() => publishCheckMetrics(newMetrics(), result, 'essential'));

    // Assess
    expect(records).toHaveLength(1);
    const [record] = records as [EmfRecord];
    assertValidEmf(record);
    expect(record._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([['service', 'Check']]);
    expect(record._aws.CloudWatchMetrics[0]?.Metrics).toEqual([
      { Name: 'CheckSuccess', Unit: 'Count' },
      { Name: 'CheckDegraded', Unit: 'Count' },
      { Name: 'CheckDuration', Unit: 'Milliseconds' },
      { Name: 'CheckRetries', Unit: 'Count' },
    ]);
    expect(record).toMatchObject({
      service: 'flight-booking',
      Check: 'booking_creation',
      CheckSuccess: 1,
      CheckDegraded: 1,
      CheckRetries: 0,
      status: 'degraded',
      location: 'eu-west-1',
      error: 'cancel: expected status equals 204, got 404',
    });
    expect(record.CheckDuration).toBe(result.attempts.at(-1)?.durationMs);
    expect(record.durationMs).toBe(result.durationMs);
    const steps = record.steps as { name: string; status: string; timings: { totalMs: number } }[];
    expect(steps.map((s) => [s.name, s.status])).toEqual([
      ['search', 'passed'],
      ['book', 'degraded'],
      ['cancel', 'failed'],
    ]);
    expect(typeof steps[0]?.timings.totalMs).toBe('number');
    expect(metricCountPerCheck('essential', 3)).toBe(4);
  });

  it('adds one record of 8 step metrics per step at the detailed level, each with one dimension set', () => {
    // Act
    const records = capture(() => publishCheckMetrics(newMetrics(), result, 'detailed'));

    // Assess
    expect(records).toHaveLength(4);
    for (const record of records) assertValidEmf(record);
    const stepRecords = records.slice(1);
    expect(stepRecords.map((record) => record.Step)).toEqual(['search', 'book', 'cancel']);
    for (const record of stepRecords) {
      expect(record._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([['service', 'Check', 'Step']]);
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
    expect(metricTotal).toBe(28);
  });

  it('flushes metrics the caller stored earlier under their own dimensions first', () => {
    // Prepare
    const metrics = newMetrics();
    metrics.addMetric('Other', 'Count', 1);

    // Act
    const records = capture(() => publishCheckMetrics(metrics, result, 'essential'));

    // Assess
    expect(records).toHaveLength(2);
    expect(records[0]?._aws.CloudWatchMetrics[0]?.Metrics).toEqual([{ Name: 'Other', Unit: 'Count' }]);
    expect(records[0]?.Check).toBeUndefined();
    expect(records[1]?.Check).toBe('booking_creation');
  });
});
