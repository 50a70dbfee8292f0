import { type FlightApi, startFlightApi } from '../../../examples/flight-api';
import { callApi } from './flight-api-client';

describe('flight API health probes', () => {
  let api: FlightApi;

  beforeEach(async () => {
    api = await startFlightApi({ port: 0 });
  });

  afterEach(async () => {
    await api.close();
  });

  it('answers the liveness probe with ok and a timestamp', async () => {
    // Act
    const response = await callApi(api, 'GET', '/health/live');

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.body).toEqual({ status: 'ok', timestamp: expect.any(String) });
    expect(new Date(response.body.timestamp).toISOString()).toBe(response.body.timestamp);
  });

  it('reports ready with every dependency ok when nothing is faulted', async () => {
    // Act
    const response = await callApi(api, 'GET', '/health/ready');

    // Assess
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      status: 'ready',
      checks: { database: 'ok', redis: 'ok', payments: 'ok' },
      timestamp: expect.any(String),
    });
  });

  it.each(['database', 'redis', 'payments'] as const)(
    'answers 503 naming %s when it is down',
    async (dependency) => {
      // Prepare
      api.faults.set({ down: [dependency] });

      // Act
      const response = await callApi(api, 'GET', '/health/ready');

      // Assess
      expect(response.status).toBe(503);
      expect(response.body.status).toBe('not_ready');
      expect(response.body.checks[dependency]).toBe('down');
      const others = Object.entries(response.body.checks).filter(([name]) => name !== dependency);
      expect(others.map(([, status]) => status)).toEqual(['ok', 'ok']);
    },
  );

  it('keeps the liveness and startup probes up while a dependency is down', async () => {
    // Prepare
    api.faults.set({ down: ['database', 'redis'] });

    // Act
    const live = await callApi(api, 'GET', '/health/live');
    const startup = await callApi(api, 'GET', '/health/startup');

    // Assess
    expect(live.status).toBe(200);
    expect(startup.status).toBe(200);
  });

  it('answers the startup probe with started and the server uptime in seconds', async () => {
    // Act
    const response = await callApi(api, 'GET', '/health/startup');

    // Assess
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      status: 'started',
      uptime: expect.any(Number),
      timestamp: expect.any(String),
    });
    expect(response.body.uptime).toBeGreaterThanOrEqual(0);
    expect(response.body.uptime).toBeLessThan(process.uptime());
  });
});
