/**
 * The CDK side of the package (`@vigil-oss/vigil/cdk`): adds Vigil's stacks to a team's own CDK app.
 *
 * @example
 * import { addVigil } from '@vigil-oss/vigil/cdk';
 * addVigil(app, { config });
 */
export { type AddVigilProps, addVigil } from '../stacks/add-vigil';
export type { VigilStacks } from '../stacks/vigil-stacks';
