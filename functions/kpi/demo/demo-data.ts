/**
 * The deterministic demo data set of the seeds' flight-booking platform: searches, bookings, payments
 * and reviews over the 30 days before "now".
 *
 * Numbers come from a seeded PRNG, so every run has the same counts and amounts; only timestamps move
 * with "now". Rows of calendar day `k` (UTC) are placed inside both that day and the last `k` x 24 hours,
 * so the seeds' `DATE(created_at)` buckets are complete at any time of day and rolling windows
 * (`NOW() - INTERVAL '24 hours'`) see whole days.
 *
 * The designed story: conversion about 19 % (above the 15 % warning line), reviews about 4.3 stars
 * (above 4.0), and three days ago a payment-provider outage left most bookings unpaid, so that day's
 * confirmed revenue is far below the 30,000 critical line: the one KPI that breaches.
 */

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** Days of data. */
export const DEMO_DAYS = 30;
/** Searches per day. */
export const DEMO_SEARCHES_PER_DAY = 300;
/** Days ago of the payment outage. */
export const DEMO_OUTAGE_DAY = 3;

/** The DDL of the demo tables. */
export const DEMO_SCHEMA = `
CREATE TABLE IF NOT EXISTS searches (
  id integer PRIMARY KEY,
  user_id integer NOT NULL,
  origin char(3) NOT NULL,
  destination char(3) NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE TABLE IF NOT EXISTS bookings (
  id integer PRIMARY KEY,
  user_id integer NOT NULL,
  search_id integer NOT NULL,
  total_amount numeric(10, 2) NOT NULL,
  status text NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE TABLE IF NOT EXISTS payments (
  id integer PRIMARY KEY,
  booking_id integer NOT NULL,
  amount numeric(10, 2) NOT NULL,
  status text NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE TABLE IF NOT EXISTS reviews (
  id integer PRIMARY KEY,
  booking_id integer NOT NULL,
  rating integer NOT NULL CHECK (rating BETWEEN 1 AND 5),
  created_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS searches_created_at ON searches (created_at);
CREATE INDEX IF NOT EXISTS bookings_created_at ON bookings (created_at);
CREATE INDEX IF NOT EXISTS bookings_user_id ON bookings (user_id);
CREATE INDEX IF NOT EXISTS reviews_created_at ON reviews (created_at);
`;

/** One row of each demo table, as inserted. */
export interface DemoRows {
  readonly searches: { id: number; userId: number; origin: string; destination: string; createdAt: number }[];
  readonly bookings: {
    id: number;
    userId: number;
    searchId: number;
    totalAmount: number;
    status: 'confirmed' | 'cancelled' | 'pending' | 'payment_failed';
    createdAt: number;
  }[];
  readonly payments: { id: number; bookingId: number; amount: number; status: string; createdAt: number }[];
  readonly reviews: { id: number; bookingId: number; rating: number; createdAt: number }[];
}

/** mulberry32: a tiny deterministic PRNG. */
const prng = (seed: number) => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
};

const AIRPORTS = ['JFK', 'LAX', 'LHR', 'CDG', 'FRA', 'AMS', 'MAD', 'FCO', 'DXB', 'SIN', 'NRT', 'SYD'];

/** The time range day `k` (0 = today, UTC) may use: inside that calendar day and the last `k` days. */
const dayRange = (now: number, k: number): { from: number; to: number } => {
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  const from = k === 0 ? today : now - k * DAY_MS;
  const to = k === 0 ? now : today - (k - 1) * DAY_MS;
  const margin = Math.min(5 * MINUTE_MS, (to - from) / 10);
  return { from: from + margin, to: to - margin };
};

/**
 * Generates the demo rows for a given "now" (epoch ms). Same counts and amounts for every `now`.
 *
 * @example
 * const rows = generateDemoRows(Date.now());
 */
export const generateDemoRows = (now: number): DemoRows => {
  const random = prng(20_240_611);
  const rows: DemoRows = { searches: [], bookings: [], payments: [], reviews: [] };
  for (let k = DEMO_DAYS - 1; k >= 0; k--) {
    const { from, to } = dayRange(now, k);
    const span = Math.max(0, to - from);
    const conversion = 0.18 + random() * 0.03;
    for (let i = 0; i < DEMO_SEARCHES_PER_DAY; i++) {
      const searchAt = from + Math.floor((span * (i + 0.5)) / DEMO_SEARCHES_PER_DAY);
      const searchId = rows.searches.length + 1;
      const userId = 100_000 + k * 1_000 + i;
      const origin = AIRPORTS[Math.floor(random() * AIRPORTS.length)]!;
      let destination = AIRPORTS[Math.floor(random() * AIRPORTS.length)]!;
      if (destination === origin) destination = AIRPORTS[(AIRPORTS.indexOf(origin) + 1) % AIRPORTS.length]!;
      rows.searches.push({ id: searchId, userId, origin, destination, createdAt: searchAt });
      const converts = Math.floor((i + 1) * conversion) > Math.floor(i * conversion);
      const amount = Math.round((700 + random() * 1_200) * 100) / 100;
      const statusDraw = random();
      const ratingDraw = random();
      const reviews = random() < 0.3;
      if (!converts) continue;
      const bookedAt =
        searchAt + Math.min(Math.floor((5 + (i % 35)) * MINUTE_MS), Math.floor((to - searchAt) / 2));
      const status =
        k === DEMO_OUTAGE_DAY
          ? statusDraw < 0.7
            ? 'payment_failed'
            : 'confirmed'
          : statusDraw < 0.9
            ? 'confirmed'
            : statusDraw < 0.96
              ? 'cancelled'
              : 'pending';
      const bookingId = rows.bookings.length + 1;
      rows.bookings.push({
        id: bookingId,
        userId,
        searchId,
        totalAmount: amount,
        status,
        createdAt: bookedAt,
      });
      const paymentStatus = {
        confirmed: 'succeeded',
        cancelled: 'refunded',
        pending: 'pending',
        payment_failed: 'failed',
      }[status];
      rows.payments.push({
        id: rows.payments.length + 1,
        bookingId,
        amount,
        status: paymentStatus,
        createdAt: bookedAt,
      });
      if (status === 'confirmed' && reviews) {
        const rating =
          ratingDraw < 0.55 ? 5 : ratingDraw < 0.85 ? 4 : ratingDraw < 0.95 ? 3 : ratingDraw < 0.98 ? 2 : 1;
        rows.reviews.push({
          id: rows.reviews.length + 1,
          bookingId,
          rating,
          createdAt: bookedAt + Math.floor((to - bookedAt) / 2),
        });
      }
    }
  }
  return rows;
};

const iso = (ms: number) => `'${new Date(ms).toISOString()}'`;

/** SQL that replaces the demo tables' contents with {@link generateDemoRows}`(now)`. */
export const demoDataSql = (now: number): string => {
  const rows = generateDemoRows(now);
  const insert = (table: string, columns: string, values: string[]) =>
    values.length === 0 ? '' : `INSERT INTO ${table} (${columns}) VALUES\n${values.join(',\n')};\n`;
  return [
    'TRUNCATE searches, bookings, payments, reviews;',
    insert(
      'searches',
      'id, user_id, origin, destination, created_at',
      rows.searches.map(
        (r) => `(${r.id}, ${r.userId}, '${r.origin}', '${r.destination}', ${iso(r.createdAt)})`,
      ),
    ),
    insert(
      'bookings',
      'id, user_id, search_id, total_amount, status, created_at',
      rows.bookings.map(
        (r) =>
          `(${r.id}, ${r.userId}, ${r.searchId}, ${r.totalAmount.toFixed(2)}, '${r.status}', ${iso(r.createdAt)})`,
      ),
    ),
    insert(
      'payments',
      'id, booking_id, amount, status, created_at',
      rows.payments.map(
        (r) => `(${r.id}, ${r.bookingId}, ${r.amount.toFixed(2)}, '${r.status}', ${iso(r.createdAt)})`,
      ),
    ),
    insert(
      'reviews',
      'id, booking_id, rating, created_at',
      rows.reviews.map((r) => `(${r.id}, ${r.bookingId}, ${r.rating}, ${iso(r.createdAt)})`),
    ),
  ].join('\n');
};
