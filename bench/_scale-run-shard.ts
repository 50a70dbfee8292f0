// One shard of `npm run bench -- scale-run`, in its own process as one warm Lambda container: it builds the
// runner config, then runs `{schedule, shard}` on each `invoke` message with the runner's core, EMF metrics
// and JSON logs (to a discarded stdout), and reports duration, CPU, the checks it ran and when they started.
import { Logger } from '@aws-lambda-powertools/logger';
import { createEmfWriter, stdoutSink } from '../functions/commons/metrics';
import { publishCheckMetrics } from '../functions/synthetics/adapters';
import { runScheduledChecks } from '../functions/synthetics/run-scheduled-checks';
import { type ScaleRunSpec, scaleRunConfig } from './_scale-run-fixture';

interface Init {
  readonly type: 'init';
  readonly spec: ScaleRunSpec;
  readonly shard: number;
  readonly schedule: string;
  /** The Lambda timeout the construct would give the function. */
  readonly timeoutMs: number;
}
interface Invoke {
  readonly type: 'invoke';
  readonly period: number;
  /** Epoch ms the scheduler fired this period. */
  readonly firedAt: number;
}

let init: Init | undefined;
let config: ReturnType<typeof scaleRunConfig> | undefined;
const logger = new Logger({ serviceName: 'scale-run' });
const metrics = createEmfWriter({
  namespace: 'Vigil/Bench',
  defaultDimensions: { service: 'scale-run' },
  sink: stdoutSink,
});

const send = (message: unknown): void => {
  process.send?.(message);
};

process.on('message', (message: Init | Invoke) => {
  if (message.type === 'init') {
    init = message;
    config = scaleRunConfig(message.spec);
    send({ type: 'ready', shard: message.shard });
    return;
  }
  if (!init || !config) return;
  const { shard, schedule, timeoutMs } = init;
  const runConfig = config;
  const names: string[] = [];
  const startOffsetsMs: number[] = [];
  const cpu = process.cpuUsage();
  const started = performance.now();
  const controller = new AbortController();
  const deadline = setTimeout(() => controller.abort(), Math.max(0, timeoutMs - 5_000));
  void runScheduledChecks(
    runConfig,
    { schedule, shard },
    {
      secrets: async () => '',
      signal: controller.signal,
      publish: (result) => {
        publishCheckMetrics(metrics, result, runConfig.metrics);
        if (result.status === 'failed') logger.warn(`check ${result.name} failed`, { check: result });
        else logger.info(`check ${result.name} ${result.status}`, { check: result });
        names.push(result.name);
        startOffsetsMs.push(Date.parse(result.startedAt) - message.firedAt);
      },
    },
  )
    .then((summary) => {
      clearTimeout(deadline);
      const used = process.cpuUsage(cpu);
      send({
        type: 'done',
        shard,
        period: message.period,
        durationMs: performance.now() - started,
        cpuMs: (used.user + used.system) / 1000,
        rssMb: process.memoryUsage().rss / 1_048_576,
        names,
        startOffsetsMs,
        failed: summary.failed,
      });
    })
    .catch((error: unknown) => {
      clearTimeout(deadline);
      send({ type: 'error', shard, message: String(error) });
    });
});
