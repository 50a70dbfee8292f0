import { requireEnv } from '../env';
import { createEmfWriter, type EmfWriter, stdoutSink } from './emf-writer';

/** What a Lambda's EMF writer adds to every dimension set. */
export interface LambdaEmfWriterOptions {
  /**
   * Add `service` (`POWERTOOLS_SERVICE_NAME`) to every dimension set, as the check and escalation alarms
   * expect. The KPI runner publishes exactly `{App, Kpi}[, row dimensions]` and leaves it out.
   */
  readonly serviceDimension: boolean;
}

/**
 * An EMF writer for a Lambda: namespace from `POWERTOOLS_METRICS_NAMESPACE` (set by `VigilFunction`),
 * documents to stdout. The environment is read once, when the writer is made (module load); a missing
 * variable is a clear error on first publish, so modules that import this and never publish need no
 * metrics environment.
 */
export const createLambdaEmfWriter = (
  options: LambdaEmfWriterOptions,
  env: NodeJS.ProcessEnv = process.env,
): EmfWriter => {
  // Read now; checked on first publish.
  const read = (name: string) => {
    const value = env[name];
    return () => requireEnv(name, { [name]: value });
  };
  const namespace = read('POWERTOOLS_METRICS_NAMESPACE');
  const service = read('POWERTOOLS_SERVICE_NAME');
  let writer: EmfWriter | undefined;
  const current = (): EmfWriter => {
    writer ??= createEmfWriter({
      namespace: namespace(),
      ...(options.serviceDimension ? { defaultDimensions: { service: service() } } : {}),
      sink: stdoutSink,
    });
    return writer;
  };
  return {
    serialize: (record) => current().serialize(record),
    write: (lines) => current().write(lines),
    publish: (record) => current().publish(record),
  };
};

/** The shared writer of the check runner and escalation Lambdas: every set carries `service`. */
export const metrics = createLambdaEmfWriter({ serviceDimension: true });
