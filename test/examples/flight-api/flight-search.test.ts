import { type FlightApi, findFlight, startFlightApi } from '../../../examples/flight-api';
import { callApi } from './flight-api-client';

describe('flight API search', () => {
  let api: FlightApi;

  beforeAll(async () => {
    api = await startFlightApi({ port: 0 });
  });

  afterAll(async () => {
    await api.close();
  });

  it('returns several flights with the contract fields for a valid IATA pair', async () => {
    // Act
    const response = await callApi(api, 'GET', '/api/flights?from=LAX&to=JFK&date=2024-06-01');

    // Assess
    expect(response.status).toBe(200);
    expect(response.body.count).toBe(response.body.flights.length);
    expect(response.body.count).toBeGreaterThanOrEqual(4);
    for (const flight of response.body.flights) {
      expect(flight).toMatchObject({
        id: expect.stringMatching(/^FL-LAX-JFK-20240601-\d$/),
        from: 'LAX',
        to: 'JFK',
        date: '2024-06-01',
        departure: expect.stringMatching(/^2024-06-01T\d\d:\d\d:00\.000Z$/),
        price: expect.any(Number),
        currency: 'USD',
        seatsAvailable: expect.any(Number),
      });
      expect(flight.price).toBeGreaterThan(0);
      expect(flight.seatsAvailable).toBeGreaterThan(0);
    }
  });

  it('returns the same flights for the same search, also from a fresh server', async () => {
    // Prepare
    const other = await startFlightApi({ port: 0 });

    // Act
    const first = await callApi(api, 'GET', '/api/flights?from=LAX&to=JFK&date=2024-06-01');
    const second = await callApi(other, 'GET', '/api/flights?from=lax&to=jfk&date=2024-06-01');
    await other.close();

    // Assess
    expect(second.body).toEqual(first.body);
  });

  it('returns different flights for a different route or date', async () => {
    // Act
    const base = await callApi(api, 'GET', '/api/flights?from=LAX&to=JFK&date=2024-06-01');
    const otherRoute = await callApi(api, 'GET', '/api/flights?from=SFO&to=JFK&date=2024-06-01');
    const otherDate = await callApi(api, 'GET', '/api/flights?from=LAX&to=JFK&date=2024-06-02');

    // Assess
    const prices = (response: typeof base) =>
      response.body.flights.map((flight: { price: number }) => flight.price);
    expect(prices(otherRoute)).not.toEqual(prices(base));
    expect(prices(otherDate)).not.toEqual(prices(base));
  });

  it('lists flights in departure order', async () => {
    // Act
    const response = await callApi(api, 'GET', '/api/flights?from=CDG&to=NRT&date=2025-01-31');

    // Assess
    const departures = response.body.flights.map((flight: { departure: string }) => flight.departure);
    expect(departures).toEqual([...departures].sort());
  });

  it('finds every searched flight by its id, and no flight for an id it never returned', async () => {
    // Act
    const response = await callApi(api, 'GET', '/api/flights?from=LHR&to=DXB&date=2024-12-24');

    // Assess
    for (const flight of response.body.flights) expect(findFlight(flight.id)).toEqual(flight);
    expect(findFlight(`FL-LHR-DXB-20241224-${response.body.count}`)).toBeUndefined();
    expect(findFlight('FL-LHR-LHR-20241224-0')).toBeUndefined();
    expect(findFlight('FL-LHR-DXB-20241332-0')).toBeUndefined();
    expect(findFlight('nonsense')).toBeUndefined();
  });

  it.each([
    ['from is missing', '/api/flights?to=JFK&date=2024-06-01', 'from'],
    ['to is missing', '/api/flights?from=LAX&date=2024-06-01', 'to'],
    ['from is not 3 letters', '/api/flights?from=LA&to=JFK&date=2024-06-01', 'from'],
    ['to has a digit', '/api/flights?from=LAX&to=JF1&date=2024-06-01', 'to'],
    ['from equals to', '/api/flights?from=LAX&to=lax&date=2024-06-01', 'to'],
    ['the date does not exist', '/api/flights?from=LAX&to=JFK&date=2024-02-30', 'date'],
  ])('answers 400 naming the parameter when %s', async (_case, path, field) => {
    // Act
    const response = await callApi(api, 'GET', path);

    // Assess
    expect(response.status).toBe(400);
    expect(response.body.error).toContain(field);
    expect(response.body.issues).toEqual([expect.objectContaining({ field })]);
  });

  it("searches today's flights when no date is given", async () => {
    // Prepare
    const today = () => new Date().toISOString().slice(0, 10);
    const before = today();

    // Act
    const response = await callApi(api, 'GET', '/api/flights?from=LAX&to=JFK');

    // Assess
    expect(response.status).toBe(200);
    expect([before, today()]).toContain(response.body.flights[0].date);
  });
});
