import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { realClock } from '../../functions/commons/clock';
import { resolveHeartbeats } from '../../functions/commons/config/heartbeat-schema';
import { loadConfig } from '../../functions/commons/config/load-config';
import { resolveKpis } from '../../functions/commons/config/resolve-kpis';
import type { VigilConfig } from '../../functions/commons/config/schema';
import {
  CHECK_METRICS,
  createLambdaEmfWriter,
  type EmfWriter,
  ENGINE_METRICS,
  HEARTBEAT_METRICS,
  KPI_HEALTH_METRICS,
  ONCALL_METRICS,
  RUNNER_METRICS,
} from '../../functions/commons/metrics';
import { MemoryHeartbeatStore } from '../../functions/heartbeats/adapters/memory-heartbeat-store';
import { evaluateHeartbeats } from '../../functions/heartbeats/evaluate-heartbeats';
import { publishKpi } from '../../functions/kpi/kpi-metric-records';
import { checkPublishing, publishCheckMetrics } from '../../functions/synthetics/adapters/emf-publisher';
import { runCheck } from '../../functions/synthetics/engine/check-runner';
import type { CheckResult } from '../../functions/synthetics/types/results';
import type { RunnerConfig } from '../../functions/synthetics/types/runner-config';
import { type EmfDatapoint, emfDatapoints, emfLines, expectValidEmf } from '../helpers/emf-spec';
import { check, step } from '../helpers/http/check-fixture';
import { startTestServer, type TestServer } from '../helpers/http/test-server';
import { type SynthesizedVigil, synthVigil } from '../helpers/synth-vigil';

const NAMESPACE = 'Acme/Monitoring';
const demo = loadConfig(join(__dirname, '../../vigil.config.ts')).config;
/** The demo with a non-default namespace; its rule over a KPI metric names that namespace too. */
const config: VigilConfig = {
  ...demo,
  metricsNamespace: NAMESPACE,
  alarms: demo.alarms.map((alarm) => {
    const metric = 'metric' in alarm ? alarm.metric : undefined;
    return typeof metric === 'object' && metric.namespace === 'Vigil'
      ? { ...alarm, metric: { ...metric, namespace: NAMESPACE } }
      : alarm;
  }) as VigilConfig['alarms'],
};

interface Resource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}
type Dimensions = Record<string, string>;
/** A metric an alarm reads: namespace, name, dimensions. */
interface ReadMetric {
  readonly alarm: string;
  readonly namespace: string;
  readonly metric: string;
  readonly dimensions: Dimensions;
}

const resourcesOf = (file: string): Resource[] =>
  Object.values(
    (JSON.parse(readFileSync(file, 'utf8')) as { Resources: Record<string, Resource> }).Resources,
  );

const dimensionsOf = (list: unknown): Dimensions =>
  Object.fromEntries(((list ?? []) as { Name: string; Value: string }[]).map((d) => [d.Name, d.Value]));

/** Every metric every alarm of the templates reads (single-metric and metric-math alarms alike). */
const alarmReads = (templates: readonly string[]): ReadMetric[] =>
  templates.flatMap(resourcesOf).flatMap((resource) => {
    if (resource.Type !== 'AWS::CloudWatch::Alarm') return [];
    const p = resource.Properties ?? {};
    const alarm = String(p.AlarmName);
    if (typeof p.MetricName === 'string') {
      return [
        {
          alarm,
          namespace: String(p.Namespace),
          metric: p.MetricName,
          dimensions: dimensionsOf(p.Dimensions),
        },
      ];
    }
    return ((p.Metrics ?? []) as { MetricStat?: { Metric: Record<string, unknown> } }[]).flatMap((query) =>
      query.MetricStat
        ? [
            {
              alarm,
              namespace: String(query.MetricStat.Metric.Namespace),
              metric: String(query.MetricStat.Metric.MetricName),
              dimensions: dimensionsOf(query.MetricStat.Metric.Dimensions),
            },
          ]
        : [],
    );
  });

/** The environment of the synthesized Vigil function that has environment variable `name`. */
const functionEnvironment = (templates: readonly string[], name: string): NodeJS.ProcessEnv => {
  const found = templates
    .flatMap(resourcesOf)
    .filter((resource) => resource.Type === 'AWS::Lambda::Function')
    .map(
      (resource) =>
        (resource.Properties?.Environment as { Variables?: NodeJS.ProcessEnv } | undefined)?.Variables,
    )
    .find((variables) => variables !== undefined && Object.hasOwn(variables, name));
  if (found === undefined) throw new Error(`no function with environment variable ${name}`);
  return found;
};

/** Runs `publish` with the Lambda EMF writer made from a synthesized function's environment; parses stdout. */
const publishedBy = async (
  env: NodeJS.ProcessEnv,
  publish: (writer: EmfWriter) => unknown,
): Promise<EmfDatapoint[]> => {
  const written: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  try {
    await publish(createLambdaEmfWriter(env));
  } finally {
    spy.mockRestore();
  }
  const lines = emfLines(written.join(''));
  expectValidEmf(lines);
  return emfDatapoints(lines);
};

/** The alarms reading `metric` about `subject`, and the one datapoint the runtime published for it. */
const pair = (
  reads: readonly ReadMetric[],
  published: readonly EmfDatapoint[],
  metric: string,
  subject: Dimensions,
) => {
  const about = (dimensions: Dimensions) =>
    Object.entries(subject).every(([name, value]) => dimensions[name] === value);
  return {
    alarms: reads.filter((read) => read.metric === metric && about(read.dimensions)),
    datapoint: published.find((point) => point.metric === metric && about(point.dimensions)),
  };
};

/**
 * Asserts that the runtime published a datapoint of `metric` about `subject`, that at least one alarm reads it,
 * and that every such alarm reads it on the datapoint's namespace and dimensions.
 */
const expectAlarmsReadWhatIsPublished = (
  reads: readonly ReadMetric[],
  published: readonly EmfDatapoint[],
  metric: string,
  subject: Dimensions,
) => {
  const { alarms, datapoint } = pair(reads, published, metric, subject);
  expect(datapoint).toBeDefined();
  expect(alarms.length).toBeGreaterThan(0);
  for (const alarm of alarms) {
    expect({ namespace: alarm.namespace, dimensions: alarm.dimensions }).toEqual({
      namespace: datapoint?.namespace,
      dimensions: datapoint?.dimensions,
    });
  }
};

describe('metric parity: what the Lambdas publish is what the alarms read', () => {
  let synth: SynthesizedVigil;
  let reads: ReadMetric[];
  let server: TestServer;
  beforeAll(async () => {
    synth = synthVigil(config);
    reads = alarmReads(synth.templates);
    server = await startTestServer({ '/ok': { status: 200 } });
  }, 600_000);
  afterAll(async () => {
    await server.close();
  });

  it('sends a non-default metricsNamespace to every Vigil alarm, dashboard and Lambda', () => {
    // Act
    // The user's own metrics that rules read (e.g. the demo's FlightBooking payments).
    const own = new Set(
      [...JSON.stringify(config.alarms).matchAll(/"namespace":"([^"]+)"/g)]
        .map((match) => match[1])
        .filter((namespace) => namespace !== NAMESPACE),
    );
    const vigilReads = reads.filter((read) => !read.namespace.startsWith('AWS/') && !own.has(read.namespace));
    const resources = synth.templates.flatMap(resourcesOf);
    const environments = resources
      .filter((resource) => resource.Type === 'AWS::Lambda::Function')
      .map(
        (resource) => (resource.Properties?.Environment as { Variables?: Dimensions } | undefined)?.Variables,
      )
      .filter((variables) => variables?.POWERTOOLS_SERVICE_NAME !== undefined);
    const dashboards = resources
      .filter((resource) => resource.Type === 'AWS::CloudWatch::Dashboard')
      .map((resource) => JSON.stringify(resource.Properties?.DashboardBody));

    // Assess
    expect(vigilReads.length).toBeGreaterThan(20);
    expect(
      vigilReads.filter((read) => read.namespace !== NAMESPACE && read.namespace !== `${NAMESPACE}/Errors`),
    ).toEqual([]);
    expect(environments.length).toBeGreaterThan(5);
    for (const variables of environments) {
      expect(variables).toMatchObject({
        POWERTOOLS_METRICS_NAMESPACE: NAMESPACE,
        VIGIL_APP: 'flight-booking',
      });
    }
    expect(dashboards.length).toBeGreaterThan(0);
    const all = dashboards.join('\n');
    expect(all).toContain(`\\"${NAMESPACE}\\"`);
    expect(all).not.toContain('\\"Vigil\\"');
    // SEARCH expressions name the namespace and the App dimension too.
    expect(all).not.toMatch(/\{Vigil[,}]/);
    expect(all).toContain(`{\\\\\\"${NAMESPACE}\\\\\\",App,Check}`);
    expect(all).not.toContain('service=');
  });

  /** The runner config a synthesized runner bundles, per region. */
  const runnerConfigIn = (region: string): RunnerConfig => {
    const found = synth.stacks.synthetics.find((stack) => stack.region === region);
    if (found === undefined) throw new Error(`no synthetics stack in ${region}`);
    return found.runner.runnerConfig;
  };

  it('publishes check metrics on the namespace and dimensions of the check failure and degraded alarms', async () => {
    // Prepare: the runner of the check's home region, publishing as its bundled config says
    const env = functionEnvironment(synth.templates, 'RUN_LEASE_TABLE');
    const runner = runnerConfigIn('us-east-1');
    const result = await runCheck(check('health_ready', [step('probe', '/ok')]), {
      baseUrl: server.url,
      concurrency: 1,
    });
    const publishing = checkPublishing(runner).get('health_ready');
    if (publishing === undefined) throw new Error('health_ready does not run in us-east-1');

    // Act
    const published = await publishedBy(env, (writer) => publishCheckMetrics(writer, result, publishing));

    // Assess: the failure alarm (Minimum) and the degraded alarm (p95) both read CheckDuration
    expectAlarmsReadWhatIsPublished(reads, published, 'CheckDuration', { Check: 'health_ready' });
    const failure = reads.find((read) => read.alarm === 'flight-booking-check-health_ready');
    expect(failure?.metric).toBe('CheckDuration');
    expect(published.map((point) => point.metric)).not.toContain('CheckSuccess');
  });

  it("publishes a failed run's CheckDuration where the synthesized failure alarm judges it breaching, and a passing run's where it does not", async () => {
    // Prepare
    const env = functionEnvironment(synth.templates, 'RUN_LEASE_TABLE');
    const publishing = checkPublishing(runnerConfigIn('us-east-1')).get('health_ready');
    if (publishing === undefined) throw new Error('health_ready does not run in us-east-1');
    const run = (path: string) =>
      runCheck(
        check('health_ready', [
          step('probe', path, { assert: [{ type: 'status', op: 'equals', value: 200 }] }),
        ]),
        { baseUrl: server.url, concurrency: 1 },
      );
    const [passed, failed] = [await run('/ok'), await run('/missing')];
    const alarm = synth.templates
      .flatMap(resourcesOf)
      .find(
        (resource) =>
          resource.Type === 'AWS::CloudWatch::Alarm' &&
          resource.Properties?.AlarmName === 'flight-booking-check-health_ready',
      )?.Properties;

    // Act
    const durationOf = async (result: CheckResult) =>
      (await publishedBy(env, (writer) => publishCheckMetrics(writer, result, publishing))).find(
        (point) => point.metric === alarm?.MetricName,
      )?.value;
    const values = { passed: await durationOf(passed), failed: await durationOf(failed) };

    // Assess
    expect(alarm).toMatchObject({
      Statistic: 'Minimum',
      ComparisonOperator: 'LessThanOrEqualToThreshold',
      Threshold: 0,
    });
    expect(values.failed).toBe(0);
    expect(values.passed).toBeGreaterThan(0);
  });

  it("publishes each host's certificate metric once, from its owner's home region, where its alarms read it", async () => {
    // Prepare: every HTTPS check of the demo calls api.flights.example.com; a real result of the owner
    // check, as if its step had seen that host's certificate
    const env = functionEnvironment(synth.templates, 'RUN_LEASE_TABLE');
    const host = 'api.flights.example.com';
    const owners = synth.stacks.synthetics.flatMap((stack) =>
      Object.entries(stack.runner.runnerConfig.certificateHosts ?? {})
        .filter(([, hosts]) => hosts.includes(host))
        .map(([name]) => ({ region: stack.region, check: name })),
    );
    expect(owners).toHaveLength(1);
    const owner = owners[0] as { region: string; check: string };
    const ran = await runCheck(check(owner.check, [step('probe', '/ok')]), {
      baseUrl: server.url,
      concurrency: 1,
    });
    const sawCertificate: CheckResult = {
      ...ran,
      steps: ran.steps.map((each) => ({
        ...each,
        request: { ...each.request, url: `https://${host}/health/live` },
        certificate: {
          subject: `CN=${host}`,
          issuer: 'CN=Test CA',
          validFrom: '2026-01-01T00:00:00.000Z',
          validTo: '2027-01-01T00:00:00.000Z',
          daysToExpiry: 30,
        },
      })),
    };
    const publishing = checkPublishing(runnerConfigIn(owner.region)).get(owner.check);
    if (publishing === undefined) throw new Error(`${owner.check} does not run in ${owner.region}`);

    // Act
    const published = await publishedBy(env, (writer) =>
      publishCheckMetrics(writer, sawCertificate, publishing),
    );

    // Assess: one datapoint on {App, Host}; exactly the warning and critical alarm read it, in that region
    expectAlarmsReadWhatIsPublished(reads, published, CHECK_METRICS.certificateDaysToExpiry, { Host: host });
    const certificateAlarms = reads.filter((read) => read.metric === CHECK_METRICS.certificateDaysToExpiry);
    expect(certificateAlarms.map((read) => read.alarm).sort()).toEqual([
      `flight-booking-check-certificate-${host}-critical`,
      `flight-booking-check-certificate-${host}-warning`,
    ]);
    const homeAlarmStacks = synth.stacks.checkAlarms
      .filter((stack) => stack.checkAlarms.certificateAlarms.has(host))
      .map((stack) => stack.region);
    expect(homeAlarmStacks).toEqual([owner.region]);
  });

  it('publishes KPI metrics on the namespace and dimensions of the KPI alarms', async () => {
    // Prepare
    const kpi = resolveKpis(config).find((each) => each.name === 'conversion_rate');
    if (kpi === undefined) throw new Error('the demo has no conversion_rate KPI');
    const env = functionEnvironment(synth.templates, 'NODE_EXTRA_CA_CERTS');
    const startedAt = Date.now();

    // Act
    const published = await publishedBy(env, (writer) => {
      const { lines } = publishKpi(
        'flight-booking',
        {
          name: kpi.name,
          status: 'ok',
          values: [{ metric: kpi.alarmOn, value: 3.5, unit: 'Percent', dimensions: {} }],
          breaches: [],
          durationMs: 12,
          rowCount: 1,
          error: null,
          errorName: null,
          startedAt,
        },
        writer.serialize,
      );
      writer.write(lines);
    });

    // Assess
    for (const metric of ['QueryFailed', kpi.alarmOn]) {
      expectAlarmsReadWhatIsPublished(reads, published, metric, { Kpi: kpi.name });
    }
  });

  it('publishes heartbeat metrics on the namespace and dimensions of the heartbeat alarms', async () => {
    // Prepare
    const heartbeats = resolveHeartbeats(config);
    const env = functionEnvironment(synth.templates, 'VIGIL_HEARTBEAT_TABLE');

    // Act
    const published = await publishedBy(env, (writer) =>
      evaluateHeartbeats(heartbeats, {
        store: new MemoryHeartbeatStore(),
        clock: realClock,
        metrics: writer,
      }),
    );

    // Assess
    for (const heartbeat of heartbeats) {
      expectAlarmsReadWhatIsPublished(reads, published, 'HeartbeatLate', { Heartbeat: heartbeat.name });
    }
  });
  it('reads in alarms and dashboards only metrics the runtime publishes at the configured level', async () => {
    // Prepare: what the runner publishes for a check at the config's level (essential by default), plus
    // the certificate metric of runs that see one and what KPIs, heartbeats and the engine publish
    const env = functionEnvironment(synth.templates, 'RUN_LEASE_TABLE');
    const result = await runCheck(check('health_ready', [step('probe', '/ok')]), {
      baseUrl: server.url,
      concurrency: 1,
    });
    const publishing = checkPublishing(runnerConfigIn('us-east-1')).get('health_ready');
    if (publishing === undefined) throw new Error('health_ready does not run in us-east-1');
    const checkNames = (
      await publishedBy(env, (writer) => publishCheckMetrics(writer, result, publishing))
    ).map((point) => point.metric);
    const published = new Set([
      ...checkNames,
      CHECK_METRICS.certificateDaysToExpiry,
      ...resolveKpis(config).flatMap((kpi) => kpi.values.map((value) => value.metric)),
      ...Object.values(KPI_HEALTH_METRICS),
      ...Object.values(HEARTBEAT_METRICS),
      ...Object.values(RUNNER_METRICS),
      ...Object.values(ENGINE_METRICS),
      ...Object.values(ONCALL_METRICS),
    ]);
    const dashboards = synth.templates
      .flatMap(resourcesOf)
      .filter((resource) => resource.Type === 'AWS::CloudWatch::Dashboard')
      .map((resource) => JSON.stringify(resource.Properties?.DashboardBody))
      .join('\n');

    // Act
    const read = new Set([
      ...reads.filter((each) => each.namespace === NAMESPACE).map((each) => each.metric),
      ...[...dashboards.matchAll(/\\"Acme\/Monitoring\\",\\"(\w+)\\"/g)].map((match) => match[1]),
      // SEARCH('{"<namespace>",App,Check} MetricName="…"'): the quotes arrive escaped
      ...[...dashboards.matchAll(/\{\\+"Acme\/Monitoring\\+",[^}]*\} MetricName=\\+"(\w+)\\+"/g)].map(
        (match) => match[1],
      ),
    ]);

    // Assess
    expect(checkNames).toEqual(['CheckDuration']);
    expect(read).not.toContain('CheckSuccess');
    expect(read).toContain('CheckDuration');
    expect(read).toContain('NotificationFailures'); // from a SEARCH expression
    expect([...read].filter((metric) => metric !== undefined && !published.has(metric))).toEqual([]);
  });
});
