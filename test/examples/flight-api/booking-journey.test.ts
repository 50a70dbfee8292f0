import { type FlightApi, startFlightApi } from '../../../examples/flight-api';
import { callApi } from './flight-api-client';

/**
 * The seeds' critical paths in the order the demo config runs them: flight_search, user_registration,
 * booking_creation, then teardown so the journey can run every minute without piling up state.
 */
describe('flight booking journey', () => {
  let api: FlightApi;

  beforeEach(async () => {
    api = await startFlightApi({ port: 0 });
  });

  afterEach(async () => {
    await api.close();
  });

  const runJourney = async (email: string) => {
    const search = await callApi(api, 'GET', '/api/flights?from=LAX&to=JFK&date=2024-06-01');
    const flight = search.body.flights[0];
    const user = await callApi(api, 'POST', '/api/users', {
      body: { email, password: 'synthetic-check-pw', name: 'Vigil Synthetic' },
    });
    const { id: userId, token } = user.body;
    const booking = await callApi(api, 'POST', '/api/bookings', {
      token,
      body: { flightId: flight.id, passengers: [{ name: 'Vigil Synthetic' }] },
    });
    const read = await callApi(api, 'GET', `/api/bookings/${booking.body.id}`, { token });
    const cancel = await callApi(api, 'DELETE', `/api/bookings/${booking.body.id}`, { token });
    const removeUser = await callApi(api, 'DELETE', `/api/users/${userId}`, { token });
    return { search, flight, user, booking, read, cancel, removeUser, token };
  };

  it('searches, registers, books, reads the booking back and tears everything down', async () => {
    // Act
    const journey = await runJourney('synthetic@example.com');

    // Assess
    expect(journey.search.status).toBe(200);
    expect(journey.user.status).toBe(201);
    expect(journey.booking).toMatchObject({
      status: 201,
      body: {
        status: 'confirmed',
        flightId: journey.flight.id,
        totalAmount: journey.flight.price,
        currency: 'USD',
      },
    });
    expect(journey.read.body).toEqual(journey.booking.body);
    expect(journey.cancel.status).toBe(204);
    expect(journey.removeUser.status).toBe(204);
    const afterTeardown = await callApi(api, 'GET', `/api/bookings/${journey.booking.body.id}`, {
      token: journey.token,
    });
    expect(afterTeardown.status).toBe(401);
  });

  it('runs again with the same email once the previous run has torn down', async () => {
    // Prepare
    await runJourney('synthetic@example.com');

    // Act
    const second = await runJourney('synthetic@example.com');

    // Assess
    expect(second.user.status).toBe(201);
    expect(second.booking.status).toBe(201);
    expect(second.removeUser.status).toBe(204);
  });

  it('breaks at booking_creation, with the reason, when the payment gateway is down', async () => {
    // Prepare
    api.faults.set({ down: ['payments'] });

    // Act
    const journey = await runJourney('synthetic@example.com');

    // Assess
    expect(journey.search.status).toBe(200);
    expect(journey.user.status).toBe(201);
    expect(journey.booking).toMatchObject({ status: 502, body: { error: 'payment gateway unavailable' } });
    expect(journey.removeUser.status).toBe(204);
  });
});
