import { FaultsValidationError, type FlightApi, startFlightApi } from '../../../examples/flight-api';
import { callApi, registerUser } from './flight-api-client';

/** Waits, a bounded number of turns (~30 s), until `condition` holds. */
const waitFor = async (condition: () => boolean): Promise<void> => {
  for (let turn = 0; turn < 3_000 && !condition(); turn += 1)
    await new Promise((resolve) => setTimeout(resolve, 10));
  if (!condition()) throw new Error('condition never held');
};

const BOOKING = { flightId: 'FL-LAX-JFK-20240601-0', passengers: [{ name: 'Ada' }] };

describe('flight API fault injection', () => {
  let api: FlightApi;
  let log: string[];

  beforeEach(async () => {
    log = [];
    api = await startFlightApi({ port: 0, log: (line) => log.push(line) });
  });

  afterEach(async () => {
    await api.close();
  });

  it('sets, shows and clears faults over HTTP', async () => {
    // Act
    const put = await callApi(api, 'PUT', '/__faults', { body: { down: ['redis'] } });
    const shown = await callApi(api, 'GET', '/__faults');
    const readyWhileDown = await callApi(api, 'GET', '/health/ready');
    const cleared = await callApi(api, 'DELETE', '/__faults');
    const shownAfter = await callApi(api, 'GET', '/__faults');
    const readyAfter = await callApi(api, 'GET', '/health/ready');

    // Assess
    expect(put).toMatchObject({ status: 200, body: { down: ['redis'] } });
    expect(shown.body).toEqual({ down: ['redis'] });
    expect(readyWhileDown.body.checks.redis).toBe('down');
    expect(cleared.status).toBe(204);
    expect(shownAfter.body).toEqual({});
    expect(readyAfter.status).toBe(200);
    expect(log).toEqual(expect.arrayContaining(['faults set: {"down":["redis"]}', 'faults cleared']));
  });

  it('replaces, rather than merges, the faults on each PUT', async () => {
    // Prepare
    await callApi(api, 'PUT', '/__faults', { body: { down: ['redis'], latencyMs: 5 } });

    // Act
    await callApi(api, 'PUT', '/__faults', { body: { down: ['payments'] } });

    // Assess
    expect(api.faults.get()).toEqual({ down: ['payments'] });
  });

  it('refuses invalid faults with every problem and its path, keeping the current faults', async () => {
    // Prepare
    api.faults.set({ down: ['redis'] });

    // Act
    const response = await callApi(api, 'PUT', '/__faults', {
      body: {
        down: ['mongo'],
        latencyMs: -1,
        routes: { 'FETCH /x': { status: 500 }, 'GET /y': { status: 99 } },
      },
    });

    // Assess
    expect(response.status).toBe(400);
    expect(response.body.issues.map((issue: { path: string }) => issue.path)).toEqual([
      'down[0]',
      'latencyMs',
      'routes["FETCH /x"]',
      'routes["GET /y"].status',
    ]);
    expect(response.body.error).toContain('down[0]: must be one of database, redis, payments');
    expect(api.faults.get()).toEqual({ down: ['redis'] });
  });

  it('sets and clears faults in-process, visible over HTTP', async () => {
    // Act
    const set = api.faults.set({
      down: ['payments', 'payments'],
      routes: { 'get /api/flights': { status: 500 } },
    });
    const shown = await callApi(api, 'GET', '/__faults');
    api.faults.clear();
    const shownAfter = await callApi(api, 'GET', '/__faults');

    // Assess
    expect(set).toEqual({ down: ['payments'], routes: { 'GET /api/flights': { status: 500 } } });
    expect(shown.body).toEqual(set);
    expect(shownAfter.body).toEqual({});
  });

  it('throws a FaultsValidationError in-process for invalid faults', () => {
    // Act
    const act = () => api.faults.set({ down: ['mongo' as 'redis'] });

    // Assess
    expect(act).toThrow(FaultsValidationError);
    expect(act).toThrow('down[0]: must be one of database, redis, payments');
  });

  it('hands out copies, so changing what get() returns changes no fault', async () => {
    // Prepare
    api.faults.set({ down: ['redis'] });

    // Act
    (api.faults.get().down as string[]).push('database');

    // Assess
    expect((await callApi(api, 'GET', '/health/ready')).body.checks.database).toBe('ok');
  });

  it('fails every /api route with 503 while the database is down, but not the probes', async () => {
    // Prepare
    const { token } = await registerUser(api);
    api.faults.set({ down: ['database'] });

    // Act
    const search = await callApi(api, 'GET', '/api/flights?from=LAX&to=JFK&date=2024-06-01');
    const register = await callApi(api, 'POST', '/api/users', { body: {} });
    const book = await callApi(api, 'POST', '/api/bookings', { token, body: BOOKING });
    const live = await callApi(api, 'GET', '/health/live');

    // Assess
    for (const response of [search, register, book]) {
      expect(response).toMatchObject({ status: 503, body: { error: 'database unavailable' } });
    }
    expect(live.status).toBe(200);
  });

  it('fails bookings with 502 while payments are down, but not searches', async () => {
    // Prepare
    const { token } = await registerUser(api);
    api.faults.set({ down: ['payments'] });

    // Act
    const book = await callApi(api, 'POST', '/api/bookings', { token, body: BOOKING });
    const search = await callApi(api, 'GET', '/api/flights?from=LAX&to=JFK&date=2024-06-01');

    // Assess
    expect(book).toMatchObject({ status: 502, body: { error: 'payment gateway unavailable' } });
    expect(search.status).toBe(200);
  });

  it('answers a faulted route with its status and body, by route pattern or literal path', async () => {
    // Prepare
    api.faults.set({
      routes: {
        'GET /api/flights': { status: 500, body: { error: 'search backend timeout' } },
        'GET /api/bookings/:id': { status: 418 },
        'GET /health/startup': { status: 503, body: { status: 'starting' } },
      },
    });

    // Act
    const search = await callApi(api, 'GET', '/api/flights?from=LAX&to=JFK');
    const booking = await callApi(api, 'GET', '/api/bookings/bkg_1');
    const startup = await callApi(api, 'GET', '/health/startup');
    const live = await callApi(api, 'GET', '/health/live');

    // Assess
    expect(search).toMatchObject({ status: 500, body: { error: 'search backend timeout' } });
    expect(booking).toMatchObject({ status: 418, body: { error: 'injected fault' } });
    expect(startup).toMatchObject({ status: 503, body: { status: 'starting' } });
    expect(live.status).toBe(200);
  });

  it('holds a request for the injected latency without holding other routes or /__faults', async () => {
    // Prepare
    api.faults.set({ routes: { 'GET /api/flights': { latencyMs: 60_000 } } });
    let settled = false;
    const held = callApi(api, 'GET', '/api/flights?from=LAX&to=JFK').finally(() => {
      settled = true;
    });
    await waitFor(() => log.includes('GET /api/flights held 60000ms by an injected fault'));

    // Act
    const live = await callApi(api, 'GET', '/health/live');
    const faults = await callApi(api, 'GET', '/__faults');

    // Assess
    expect(live.status).toBe(200);
    expect(faults.status).toBe(200);
    expect(settled).toBe(false);
    await api.close();
    await expect(held).rejects.toThrow();
  });

  it('applies the global latency to probes too, and not to /__faults', async () => {
    // Prepare
    api.faults.set({ latencyMs: 60_000 });
    let settled = false;
    const held = callApi(api, 'GET', '/health/live').finally(() => {
      settled = true;
    });
    await waitFor(() => log.includes('GET /health/live held 60000ms by an injected fault'));

    // Act
    const cleared = await callApi(api, 'DELETE', '/__faults');

    // Assess
    expect(cleared.status).toBe(204);
    expect(settled).toBe(false);
    await api.close();
    await expect(held).rejects.toThrow();
  });

  it('answers normally once a short injected latency has passed', async () => {
    // Prepare
    api.faults.set({ routes: { 'GET /health/live': { latencyMs: 20 } } });

    // Act
    const live = await callApi(api, 'GET', '/health/live');

    // Assess
    expect(live.status).toBe(200);
    expect(log).toContain('GET /health/live held 20ms by an injected fault');
  });

  it('starts with the faults given to startFlightApi', async () => {
    // Prepare
    const faulted = await startFlightApi({ port: 0, faults: { down: ['redis'] } });

    // Act
    const ready = await callApi(faulted, 'GET', '/health/ready');
    await faulted.close();

    // Assess
    expect(ready.body.checks.redis).toBe('down');
  });

  it('refuses to start with invalid faults', async () => {
    // Act
    const start = startFlightApi({ port: 0, faults: { latencyMs: 10 ** 9 } });

    // Assess
    await expect(start).rejects.toThrow(FaultsValidationError);
  });
});
