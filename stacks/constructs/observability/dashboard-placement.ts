import { AWS_LIMITS } from '../../../functions/commons/aws-limits';
import type { DashboardPage } from './dashboard-splitter';

/** CloudFormation's template size limit (template uploaded to S3), in bytes. */
export const TEMPLATE_LIMIT_BYTES = AWS_LIMITS.templateBytes;

/**
 * Estimated template bytes a dashboards stack may hold: a fifth under {@link TEMPLATE_LIMIT_BYTES}, as a
 * margin for the estimate (see `widgetTemplateBytes`).
 */
export const DASHBOARD_STACK_BUDGET_BYTES = 800_000;

/** Template bytes of a stack without resources: metadata, bootstrap-version parameter and rule. */
export const STACK_OVERHEAD_BYTES = 10_000;

/** Dashboards per stack at most: under CloudFormation's 500 resources. */
export const MAX_PAGES_PER_STACK = 400;

/** Options of {@link placeDashboardPages}. */
export interface DashboardPlacementOptions {
  /** Estimated template bytes each stack may hold. @default DASHBOARD_STACK_BUDGET_BYTES */
  readonly budgetBytes?: number;
  /** Bytes the first stack already holds besides dashboards (saved queries). @default 0 */
  readonly firstStackBytes?: number;
  /** @default MAX_PAGES_PER_STACK */
  readonly maxPagesPerStack?: number;
}

/**
 * Places dashboard pages in stacks, in order (next fit): a page goes in the current stack while the
 * stack's estimated template stays within the budget, else it opens the next stack. The result has one
 * entry per stack, the first always present (it may hold no page when even the first page does not fit
 * beside its other content). Deterministic: the same pages give the same placement.
 *
 * @throws {Error} when one page alone is over the budget
 * @example
 * placeDashboardPages(pages, { firstStackBytes: 12_000 }).length; // number of dashboard stacks
 */
export const placeDashboardPages = (
  pages: readonly DashboardPage[],
  options: DashboardPlacementOptions = {},
): DashboardPage[][] => {
  const budget = options.budgetBytes ?? DASHBOARD_STACK_BUDGET_BYTES;
  const maxPages = options.maxPagesPerStack ?? MAX_PAGES_PER_STACK;
  const stacks: DashboardPage[][] = [[]];
  let used = STACK_OVERHEAD_BYTES + (options.firstStackBytes ?? 0);
  for (const page of pages) {
    if (STACK_OVERHEAD_BYTES + page.bytes > budget) {
      throw new Error(
        `dashboard page '${page.name}' takes ~${page.bytes} template bytes, over the ${budget}-byte budget of a stack`,
      );
    }
    const current = stacks[stacks.length - 1] as DashboardPage[];
    if (used + page.bytes > budget || current.length >= maxPages) {
      stacks.push([page]);
      used = STACK_OVERHEAD_BYTES + page.bytes;
      continue;
    }
    current.push(page);
    used += page.bytes;
  }
  return stacks;
};
