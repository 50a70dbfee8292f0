import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ConfigLoadError, ConfigValidationError } from '../functions/commons/config/errors';
import { loadConfig } from '../functions/commons/config/load-config';
import { synthCostSummary } from '../functions/cost/config-cost';
import { assertDeployLimits, DeployLimitExceededError } from '../stacks/deploy-limits';
import { createVigilStacks } from '../stacks/vigil-stacks';

// The CDK app: loads and validates the config, then builds the stacks. `cdk synth -c config=path -c env=prod`.
const app = new App();
const configPath = app.node.tryGetContext('config') as string | undefined;
let loaded: ReturnType<typeof loadConfig>;
try {
  loaded = loadConfig(configPath);
} catch (error) {
  if (error instanceof ConfigValidationError || error instanceof ConfigLoadError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  throw error;
}
createVigilStacks(app, loaded.config, {
  environment: app.node.tryGetContext('env') as string | undefined,
  account: process.env.CDK_DEFAULT_ACCOUNT,
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
try {
  assertDeployLimits(app.synth());
} catch (error) {
  if (error instanceof DeployLimitExceededError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  throw error;
}
process.stderr.write(`${synthCostSummary(loaded.config)}\n`);
