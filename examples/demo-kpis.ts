import type { VigilConfigInput } from '../functions/commons/config/schema';

/**
 * The demo's business KPIs: the seeds' three queries (search-to-booking conversion, daily revenue,
 * customer satisfaction), verbatim, with the seeds' alert lines as severity thresholds. Spread into
 * `vigil.config.ts`. `npx vigil kpi` runs them on the embedded demo data, where daily revenue breaches
 * (a payment outage three days ago); deployed, they query the `bookings` PostgreSQL database.
 *
 * @example
 * export const config = defineConfig({ app: 'flight-booking', environments: {...}, ...demoKpis });
 */
export const demoKpis = {
  datasources: {
    bookings: {
      type: 'postgres',
      // RDS-format secret: {"username","password","host","port","dbname"}; fetched at run time.
      secret: { secretsManager: 'flight-booking/kpi-reader' },
      ssl: 'verify-full',
    },
  },
  kpis: [
    {
      name: 'conversion_rate',
      description: 'Search-to-booking conversion over the last 24 hours (target > 15 %)',
      datasource: 'bookings',
      schedule: '5m',
      sql: `
      SELECT 
        COUNT(DISTINCT b.id) * 100.0 / COUNT(DISTINCT s.id) as conversion_rate
      FROM searches s
      LEFT JOIN bookings b ON b.user_id = s.user_id 
        AND b.created_at BETWEEN s.created_at AND s.created_at + INTERVAL '1 hour'
      WHERE s.created_at >= NOW() - INTERVAL '24 hours'
    `,
      values: [{ column: 'conversion_rate', unit: 'Percent' }],
      thresholds: { warning: { below: 15 }, critical: { below: 10 } },
      datapointsToAlarm: 3,
      evaluationPeriods: 3,
      team: 'product',
      runbookUrl: 'https://runbooks.flights.example.com/kpi/conversion-rate',
    },
    {
      name: 'daily_revenue',
      description: 'Confirmed revenue per day over the last 7 days (target > 50,000)',
      datasource: 'bookings',
      schedule: '1h',
      sql: `
      SELECT 
        DATE(created_at) as date,
        SUM(total_amount) as revenue,
        COUNT(*) as booking_count,
        AVG(total_amount) as avg_booking_value
      FROM bookings 
      WHERE status = 'confirmed' 
        AND created_at >= NOW() - INTERVAL '7 days'
      GROUP BY DATE(created_at)
    `,
      values: [
        { column: 'revenue', unit: 'None' },
        { column: 'booking_count', unit: 'Count' },
        { column: 'avg_booking_value', unit: 'None' },
      ],
      dimensions: ['date'],
      maxSeries: 8,
      alarmOn: 'revenue',
      thresholds: { warning: { below: 50_000 }, critical: { below: 30_000 } },
      team: 'payments',
      runbookUrl: 'https://runbooks.flights.example.com/kpi/daily-revenue',
    },
    {
      name: 'customer_satisfaction',
      description: 'Average review rating over the last 30 days (target > 4.5)',
      datasource: 'bookings',
      schedule: '1h',
      sql: `
      SELECT 
        AVG(rating) as avg_rating,
        COUNT(*) as review_count
      FROM reviews 
      WHERE created_at >= NOW() - INTERVAL '30 days'
    `,
      values: ['avg_rating', { column: 'review_count', unit: 'Count' }],
      alarmOn: 'avg_rating',
      thresholds: { warning: { below: 4.0 } },
      team: 'product',
      runbookUrl: 'https://runbooks.flights.example.com/kpi/customer-satisfaction',
    },
  ],
} satisfies Pick<VigilConfigInput, 'datasources' | 'kpis'>;
