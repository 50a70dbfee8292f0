/** One flight offered by the demo API. */
export interface Flight {
  /** Stable id encoding route, date and index: `FL-LAX-JFK-20240601-1`. */
  readonly id: string;
  readonly flightNumber: string;
  /** IATA airport code of origin. */
  readonly from: string;
  /** IATA airport code of destination. */
  readonly to: string;
  /** Travel date, `YYYY-MM-DD`. */
  readonly date: string;
  /** Departure time, ISO 8601 in UTC. */
  readonly departure: string;
  /** Price per passenger in {@link Flight.currency}. */
  readonly price: number;
  readonly currency: 'USD';
  readonly seatsAvailable: number;
}

/** A search that cannot be run, naming the parameter at fault. */
export interface FlightSearchProblem {
  readonly field: 'from' | 'to' | 'date';
  readonly message: string;
}

const IATA = /^[A-Za-z]{3}$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const FLIGHT_ID = /^FL-([A-Z]{3})-([A-Z]{3})-(\d{4})(\d{2})(\d{2})-(\d)$/;

/** FNV-1a with a final mix: a tiny, stable string hash, so the same search always returns the same flights. */
const hash = (text: string): number => {
  let value = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    value ^= text.charCodeAt(index);
    value = Math.imul(value, 0x01000193);
  }
  // Murmur3's finalizer, so inputs differing in one character still scatter.
  value = Math.imul(value ^ (value >>> 16), 0x85ebca6b);
  value = Math.imul(value ^ (value >>> 13), 0xc2b2ae35);
  return (value ^ (value >>> 16)) >>> 0;
};

const isCalendarDate = (text: string): boolean => {
  const match = DATE.exec(text);
  if (!match) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
};

const flightsFor = (from: string, to: string, date: string): Flight[] => {
  const seed = hash(`${from}-${to}-${date}`);
  const count = 4 + (seed % 3);
  const baseCents = 8_900 + (hash(`${from}-${to}`) % 40_000);
  return Array.from({ length: count }, (_, index) => {
    const slot = hash(`${seed}:${index}`);
    const minutes = (6 * 60 + Math.floor((index * 16 * 60) / count) + (slot % 4) * 15) % (24 * 60);
    const hours = String(Math.floor(minutes / 60)).padStart(2, '0');
    const priceCents = baseCents + (slot % 12_000) - (slot % 100) + 99;
    return {
      id: `FL-${from}-${to}-${date.replaceAll('-', '')}-${index}`,
      flightNumber: `VG${100 + (slot % 900)}`,
      from,
      to,
      date,
      departure: `${date}T${hours}:${String(minutes % 60).padStart(2, '0')}:00.000Z`,
      price: priceCents / 100,
      currency: 'USD',
      seatsAvailable: 4 + (slot % 150),
    };
  });
};

/**
 * Checks search parameters and returns the flights for them, or the problems with the parameters.
 * The same search always returns the same flights; codes are upper-cased.
 *
 * @example
 * searchFlights({ from: 'LAX', to: 'JFK', date: '2024-06-01' }); // { flights: [ ...4 to 6 flights ] }
 * searchFlights({ from: 'LA', to: 'JFK', date: '2024-06-01' }); // { problems: [ { field: 'from', ... } ] }
 */
export const searchFlights = (query: {
  readonly from: string | null;
  readonly to: string | null;
  readonly date: string;
}): { readonly flights: Flight[] } | { readonly problems: FlightSearchProblem[] } => {
  const problems: FlightSearchProblem[] = [];
  for (const field of ['from', 'to'] as const) {
    const code = query[field];
    if (code === null || code === '')
      problems.push({ field, message: `${field} is required (an IATA code)` });
    else if (!IATA.test(code)) problems.push({ field, message: `${field} must be a 3-letter IATA code` });
  }
  if (!isCalendarDate(query.date))
    problems.push({ field: 'date', message: 'date must be a date as YYYY-MM-DD' });
  if (problems.length > 0) return { problems };
  const from = query.from!.toUpperCase();
  const to = query.to!.toUpperCase();
  if (from === to) return { problems: [{ field: 'to', message: 'to must differ from from' }] };
  return { flights: flightsFor(from, to, query.date) };
};

/** Finds the flight with `id` (as returned by {@link searchFlights}); `undefined` when there is none. */
export const findFlight = (id: string): Flight | undefined => {
  const match = FLIGHT_ID.exec(id);
  if (!match) return undefined;
  const [, from, to, year, month, day, index] = match;
  const date = `${year}-${month}-${day}`;
  if (from === to || !isCalendarDate(date)) return undefined;
  return flightsFor(from, to, date)[Number(index)];
};
