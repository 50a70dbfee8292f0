import type { App } from 'aws-cdk-lib';
import { parseConfig } from '../functions/commons/config/resolve-config';
import type { VigilConfigInput } from '../functions/commons/config/schema';
import { createVigilStacks, type VigilStacks } from './vigil-stacks';

/** Props for {@link addVigil}. */
export interface AddVigilProps {
  /** The config as written in `vigil.config.ts` (`defineConfig({...})`); validated here. */
  readonly config: VigilConfigInput;
  /** Which config environment the deployed checks target. @default config.deploy.environment, else the first */
  readonly environment?: string;
  /** Account to deploy to. @default config.deploy.account, else environment-agnostic */
  readonly account?: string;
}

/**
 * Adds Vigil's stacks (synthetics per location, check alarms, KPIs, escalation, observability), all named
 * `<config.app>-…`, to an existing CDK app beside the team's own stacks. Add cdk-nag to the app as usual
 * (`Validations.of(app).addPlugins(new AwsSolutionsChecks(app))`): Vigil's stacks pass it.
 *
 * @throws {ConfigValidationError} listing every problem of the config, each with its path
 * @example
 * const app = new App();
 * new ShopApiStack(app, 'ShopApi');
 * addVigil(app, { config, environment: app.node.tryGetContext('env') });
 */
export const addVigil = (app: App, props: AddVigilProps): VigilStacks =>
  createVigilStacks(app, parseConfig(props.config, `Vigil config of '${String(props.config.app)}'`), {
    ...(props.environment !== undefined ? { environment: props.environment } : {}),
    ...(props.account !== undefined ? { account: props.account } : {}),
  });
