import { CfnResource } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { AWS_LIMITS } from '../functions/commons/aws-limits';

/**
 * Resources a stack is filled to when per-item resources are split across stacks: under CloudFormation's
 * 500, leaving room for what CDK adds at synthesis (metadata, custom resource providers).
 */
export const STACK_RESOURCE_BUDGET = AWS_LIMITS.stackResources - 50;

/**
 * CloudFormation resources built so far in a scope (a stack, or a construct in it): counted from the
 * construct tree, so a construct's cost is what it really adds.
 *
 * @example
 * const runners = resourcesIn(stack); // then fill the stack with alarms up to the budget
 */
export const resourcesIn = (scope: IConstruct): number =>
  scope.node.findAll().filter((child) => CfnResource.isCfnResource(child)).length;

/**
 * Splits items in order into parts whose summed cost stays within `budget`, the first part starting
 * from `firstUsed` (what its stack already holds). An item costing more than a whole budget gets a part
 * of its own (the synth guard then names the stack).
 *
 * @example
 * splitByCost(kpis, KpiMonitors.resourcesPerKpi, STACK_RESOURCE_BUDGET, resourcesIn(firstStack));
 */
export const splitByCost = <T>(
  items: readonly T[],
  cost: (item: T) => number,
  budget: number,
  firstUsed = 0,
): T[][] => {
  const parts: T[][] = [[]];
  let used = firstUsed;
  for (const item of items) {
    const itemCost = cost(item);
    const current = parts[parts.length - 1]!;
    if (used + itemCost > budget && (current.length > 0 || used > 0)) {
      parts.push([item]);
      used = itemCost;
    } else {
      current.push(item);
      used += itemCost;
    }
  }
  return parts;
};
