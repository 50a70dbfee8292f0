/**
 * The package's main entry (`@vigil-oss/vigil`): the config API a `vigil.config.ts` imports. It loads no
 * CDK and no AWS SDK, so the CLI and `npm start` stay light; the CDK side is `@vigil-oss/vigil/cdk`.
 *
 * @example
 * import { defineConfig } from '@vigil-oss/vigil';
 * export const config = defineConfig({ app: 'shop', environments: { prod: { baseUrl: 'https://shop.example.com' } } });
 */
export { defineConfig, type StepInput } from '../functions/commons/config/define-config';
export { type ConfigIssue, ConfigLoadError, ConfigValidationError } from '../functions/commons/config/errors';
export {
  type ConfigModuleLoader,
  DEFAULT_CONFIG_FILES,
  findConfigFile,
  loadConfig,
} from '../functions/commons/config/load-config';
export { parseConfig } from '../functions/commons/config/resolve-config';
export type { VigilConfig, VigilConfigInput } from '../functions/commons/config/schema';
