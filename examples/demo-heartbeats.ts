import type { VigilConfigInput } from '../functions/commons/config/schema';

/** The demo heartbeat that `npm start` lets go late on purpose, so a late heartbeat pages. */
export const DEMO_LATE_HEARTBEAT = 'loyalty_points_sync';

/**
 * The demo's heartbeats: the seeds' "a single cron job failed". Spread into `vigil.config.ts`. In `npm start`
 * a demo cron job pings the one-minute heartbeats over HTTP; {@link DEMO_LATE_HEARTBEAT} pings once and then
 * stops, goes late after its minute and 30 s of grace, and pages through the local escalation.
 *
 * @example
 * export const config = defineConfig({ app: 'flight-booking', environments: {...}, ...demoHeartbeats });
 */
export const demoHeartbeats = {
  heartbeats: [
    {
      name: 'fare_cache_refresh',
      description: 'Refreshes cached fares from the airlines every minute',
      every: '1m',
      grace: '30s',
      degradedAfter: '20s',
      severity: 'warning',
      team: 'platform',
    },
    {
      name: DEMO_LATE_HEARTBEAT,
      description: 'Syncs loyalty points to the partner program every minute',
      every: '1m',
      grace: '30s',
      team: 'backend',
    },
    {
      name: 'nightly_booking_export',
      description: 'Exports the day’s bookings to the data warehouse at 02:00 Berlin time',
      cron: '0 2 * * *',
      timezone: 'Europe/Berlin',
      grace: '30m',
      degradedAfter: '45m',
      team: 'backend',
    },
  ],
} satisfies Pick<VigilConfigInput, 'heartbeats'>;
