export type { Booking, Passenger, User } from './booking-store';
export { type FaultsIssue, FaultsValidationError, FlightApiArgsError, FlightApiStartError } from './errors';
export {
  DEPENDENCIES,
  type Dependency,
  FaultController,
  type Faults,
  MAX_FAULT_LATENCY_MS,
  parseFaults,
  type RouteFault,
} from './fault-controller';
export { type FlightApiArgs, parseFlightApiArgs } from './flight-api-args';
export { type Flight, findFlight, searchFlights } from './flight-catalog';
export {
  DEFAULT_FLIGHT_API_PORT,
  type FlightApi,
  type FlightApiOptions,
  startFlightApi,
} from './start-flight-api';
