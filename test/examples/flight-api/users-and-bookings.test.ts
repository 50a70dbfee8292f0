import { type FlightApi, startFlightApi } from '../../../examples/flight-api';
import { callApi, registerUser } from './flight-api-client';

const FLIGHT_ID = 'FL-LAX-JFK-20240601-0';

describe('flight API users', () => {
  let api: FlightApi;

  beforeEach(async () => {
    api = await startFlightApi({ port: 0 });
  });

  afterEach(async () => {
    await api.close();
  });

  it('registers a user and returns its id, normalized email, name and a token', async () => {
    // Act
    const response = await callApi(api, 'POST', '/api/users', {
      body: { email: 'Ada@Example.com', password: 'correct horse battery', name: 'Ada Lovelace' },
    });

    // Assess
    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      id: expect.stringMatching(/^usr_\d+$/),
      email: 'ada@example.com',
      name: 'Ada Lovelace',
      token: expect.stringMatching(/^[\w-]{32}$/),
    });
    expect(JSON.stringify(response.body)).not.toContain('correct horse');
  });

  it.each([
    ['email', { email: 'not-an-email', password: 'correct horse battery', name: 'Ada' }],
    ['password', { email: 'ada@example.com', password: 'short', name: 'Ada' }],
    ['name', { email: 'ada@example.com', password: 'correct horse battery', name: '   ' }],
  ])('answers 400 naming %s when it is invalid', async (field, body) => {
    // Act
    const response = await callApi(api, 'POST', '/api/users', { body });

    // Assess
    expect(response.status).toBe(400);
    expect(response.body.error).toMatch(new RegExp(`^${field} `));
    expect(response.body.issues).toEqual([expect.objectContaining({ field })]);
  });

  it('names every invalid field at once', async () => {
    // Act
    const response = await callApi(api, 'POST', '/api/users', { body: {} });

    // Assess
    expect(response.status).toBe(400);
    expect(response.body.issues.map((issue: { field: string }) => issue.field)).toEqual([
      'email',
      'password',
      'name',
    ]);
  });

  it('answers 409 when the email is already registered, whatever its case', async () => {
    // Prepare
    await registerUser(api, 'grace@example.com');

    // Act
    const response = await callApi(api, 'POST', '/api/users', {
      body: { email: 'GRACE@example.com', password: 'another password', name: 'Grace' },
    });

    // Assess
    expect(response.status).toBe(409);
    expect(response.body.error).toContain('email');
  });

  it('deletes only the caller itself, after which its token no longer works', async () => {
    // Prepare
    const ada = await registerUser(api, 'ada@example.com');
    const grace = await registerUser(api, 'grace@example.com');

    // Act
    const forbidden = await callApi(api, 'DELETE', `/api/users/${grace.id}`, { token: ada.token });
    const deleted = await callApi(api, 'DELETE', `/api/users/${ada.id}`, { token: ada.token });
    const afterwards = await callApi(api, 'DELETE', `/api/users/${ada.id}`, { token: ada.token });
    const reRegistered = await callApi(api, 'POST', '/api/users', {
      body: { email: 'ada@example.com', password: 'correct horse battery', name: 'Ada' },
    });

    // Assess
    expect(forbidden.status).toBe(403);
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBeUndefined();
    expect(afterwards.status).toBe(401);
    expect(reRegistered.status).toBe(201);
  });
});

describe('flight API bookings', () => {
  let api: FlightApi;
  let token: string;

  beforeEach(async () => {
    api = await startFlightApi({ port: 0 });
    ({ token } = await registerUser(api));
  });

  afterEach(async () => {
    await api.close();
  });

  it('confirms a booking priced at the flight price times the passengers', async () => {
    // Prepare
    const search = await callApi(api, 'GET', '/api/flights?from=LAX&to=JFK&date=2024-06-01');
    const flight = search.body.flights[0];

    // Act
    const response = await callApi(api, 'POST', '/api/bookings', {
      token,
      body: { flightId: flight.id, passengers: [{ name: 'Ada Lovelace' }, { name: 'Charles Babbage' }] },
    });

    // Assess
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      id: expect.stringMatching(/^bkg_\d+$/),
      status: 'confirmed',
      flightId: flight.id,
      passengers: [{ name: 'Ada Lovelace' }, { name: 'Charles Babbage' }],
      totalAmount: Math.round(flight.price * 200) / 100,
      currency: 'USD',
    });
    expect(response.headers.get('location')).toBe(`/api/bookings/${response.body.id}`);
  });

  it.each([
    ['no token', undefined],
    ['an unknown token', 'not-a-real-token'],
  ])('answers 401 with %s', async (_case, badToken) => {
    // Act
    const response = await callApi(api, 'POST', '/api/bookings', {
      token: badToken,
      body: { flightId: FLIGHT_ID, passengers: [{ name: 'Ada' }] },
    });

    // Assess
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('answers 404 for a flight that does not exist', async () => {
    // Act
    const response = await callApi(api, 'POST', '/api/bookings', {
      token,
      body: { flightId: 'FL-LAX-JFK-20240601-9', passengers: [{ name: 'Ada' }] },
    });

    // Assess
    expect(response.status).toBe(404);
    expect(response.body.error).toBe('flight not found: FL-LAX-JFK-20240601-9');
  });

  it.each([
    ['flightId', { passengers: [{ name: 'Ada' }] }],
    ['passengers', { flightId: FLIGHT_ID, passengers: [] }],
    ['passengers', { flightId: FLIGHT_ID, passengers: Array.from({ length: 10 }, () => ({ name: 'A' })) }],
    ['passengers[1].name', { flightId: FLIGHT_ID, passengers: [{ name: 'Ada' }, { name: '' }] }],
  ])('answers 400 naming %s when it is invalid', async (field, body) => {
    // Act
    const response = await callApi(api, 'POST', '/api/bookings', { token, body });

    // Assess
    expect(response.status).toBe(400);
    expect(response.body.issues).toEqual([expect.objectContaining({ field })]);
  });

  it('answers 400 when the body is JSON but not an object', async () => {
    // Act
    const response = await callApi(api, 'POST', '/api/bookings', { token, body: [FLIGHT_ID] });

    // Assess
    expect(response.status).toBe(400);
    expect(response.body.error).toBe('request body must be a JSON object');
  });

  it("reads and cancels the caller's own booking, and hides it from other users", async () => {
    // Prepare
    const created = await callApi(api, 'POST', '/api/bookings', {
      token,
      body: { flightId: FLIGHT_ID, passengers: [{ name: 'Ada' }] },
    });
    const other = await registerUser(api, 'grace@example.com');
    const path = `/api/bookings/${created.body.id}`;

    // Act
    const read = await callApi(api, 'GET', path, { token });
    const readByOther = await callApi(api, 'GET', path, { token: other.token });
    const cancelByOther = await callApi(api, 'DELETE', path, { token: other.token });
    const readWithoutToken = await callApi(api, 'GET', path);
    const cancelled = await callApi(api, 'DELETE', path, { token });
    const readAfterCancel = await callApi(api, 'GET', path, { token });

    // Assess
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);
    expect(readByOther.status).toBe(404);
    expect(cancelByOther.status).toBe(404);
    expect(readWithoutToken.status).toBe(401);
    expect(cancelled.status).toBe(204);
    expect(readAfterCancel.status).toBe(404);
  });
});
