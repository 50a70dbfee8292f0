import type { z } from 'zod';
import type { checkGroupSchema, checkSchema, checkSettingsSchema } from './check-schema';
import { CHECK_DEFAULTS } from './defaults';
import { formatPath } from './errors';
import type { heartbeatSchema } from './heartbeat-schema';
import { checkMaintenance } from './maintenance-schema';

type Settings = z.output<typeof checkSettingsSchema>;
type Issue = (path: PropertyKey[], message: string) => void;

/**
 * Semantic checks of the alerting settings of checks and heartbeats: a `quorum` asks for at least 1 and at
 * most as many failing locations as the check has `locations` (both in effect: check > group > `defaults`),
 * reported where the quorum is written; a one-off `maintenance` window ends after it starts.
 */
export const checkAlerting = (
  config: {
    readonly defaults: Partial<Settings>;
    readonly checkGroups: readonly z.output<typeof checkGroupSchema>[];
    readonly checks: readonly z.output<typeof checkSchema>[];
    readonly heartbeats: readonly z.output<typeof heartbeatSchema>[];
  },
  issue: Issue,
): void => {
  checkMaintenance(config.defaults.maintenance, ['defaults', 'maintenance'], issue);
  const groups = new Map<string, { settings: Partial<Settings>; path: PropertyKey[] }>();
  config.checkGroups.forEach((group, index) => {
    checkMaintenance(group.maintenance, ['checkGroups', index, 'maintenance'], issue);
    if (!groups.has(group.name)) groups.set(group.name, { settings: group, path: ['checkGroups', index] });
  });
  config.checks.forEach((check, index) => {
    checkMaintenance(check.maintenance, ['checks', index, 'maintenance'], issue);
    const group = check.group !== undefined ? groups.get(check.group) : undefined;
    const chain = [
      { settings: check as Partial<Settings>, path: ['checks', index] as PropertyKey[] },
      ...(group !== undefined ? [group] : []),
      { settings: config.defaults, path: ['defaults'] as PropertyKey[] },
    ];
    const quorumAt = chain.find((scope) => scope.settings.quorum !== undefined);
    const quorum = quorumAt?.settings.quorum?.minFailingLocations;
    if (quorumAt === undefined || quorum === undefined) return;
    const locationsAt = chain.find((scope) => scope.settings.locations !== undefined);
    const locations = locationsAt?.settings.locations ?? CHECK_DEFAULTS.locations;
    if (quorum <= locations.length) return;
    const own = quorumAt.path[0] === 'checks';
    // A name that failed validation is reported on its own; here the check is then named by its path.
    const subject =
      check.name === undefined
        ? `the check at ${formatPath(['checks', index])}`
        : `check '${check.name}'${own ? '' : ` (at ${formatPath(['checks', index])})`}`;
    issue(
      [...quorumAt.path, 'quorum', 'minFailingLocations'],
      `${quorum} failing locations can never be reached: ${subject} runs in ${locations.length} (${locations.join(', ')}${locationsAt === undefined ? ', the built-in default' : ` from ${formatPath([...locationsAt.path, 'locations'])}`})`,
    );
  });
  config.heartbeats.forEach((heartbeat, index) => {
    checkMaintenance(heartbeat.maintenance, ['heartbeats', index, 'maintenance'], issue);
  });
};
