import { requireEnv } from '../env';
import { createEmfWriter, type EmfWriter, stdoutSink } from './emf-writer';
import { appDimensions, LAMBDA_METRICS_ENV } from './metric-catalog';

/**
 * An EMF writer for a Lambda: namespace from `POWERTOOLS_METRICS_NAMESPACE`, `App` (from `VIGIL_APP`, both
 * set by `VigilFunction`) added to every dimension set (the catalog's vocabulary, see `metric-catalog.ts`),
 * documents to stdout. The environment is read once, when the writer is made (module load); a missing
 * variable is a clear error on first publish, so modules that import this and never publish need no
 * metrics environment.
 */
export const createLambdaEmfWriter = (env: NodeJS.ProcessEnv = process.env): EmfWriter => {
  // Read now; checked on first publish.
  const read = (name: string) => {
    const value = env[name];
    return () => requireEnv(name, { [name]: value });
  };
  const namespace = read(LAMBDA_METRICS_ENV.namespace);
  const app = read(LAMBDA_METRICS_ENV.app);
  let writer: EmfWriter | undefined;
  const current = (): EmfWriter => {
    writer ??= createEmfWriter({
      namespace: namespace(),
      defaultDimensions: appDimensions(app()),
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

/** The shared writer of every Vigil Lambda: every dimension set carries `App`. */
export const metrics = createLambdaEmfWriter();
