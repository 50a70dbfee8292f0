// The floor side of `npm run bench -- runner` (see `_runner-side.ts`): plain undici doing the same
// requests and the same three assertions as the engine side (status, a JSON field, response time).
import { type Round, type SideInit, serveSide } from './_runner-side';

const floorSide = async (init: SideInit): Promise<Round> => {
  const { Agent, request } = await import('undici');
  const url = `${init.baseUrl}/flights`;
  return async () => {
    // One keep-alive pool per round, closed at its end, as the engine pools per run (a Lambda invocation):
    // both sides open their connections in every round, neither reuses the last round's.
    const dispatcher = new Agent({ connections: init.concurrency });
    let next = 0;
    let failures = 0;
    const worker = async (): Promise<void> => {
      while (next < init.checks) {
        next += 1;
        const started = performance.now();
        const response = await request(url, { dispatcher });
        const body = (await response.body.json()) as { flights?: unknown[] };
        const elapsed = performance.now() - started;
        const ok =
          response.statusCode === 200 &&
          Array.isArray(body.flights) &&
          body.flights.length > 0 &&
          elapsed < init.maxResponseMs;
        if (!ok) failures += 1;
      }
    };
    await Promise.all(Array.from({ length: init.concurrency }, worker));
    await dispatcher.close();
    return failures;
  };
};

serveSide('floor', floorSide);
