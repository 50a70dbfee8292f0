import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request a receiver got. */
export interface ReceivedRequest {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly json: Record<string, unknown>;
}

/** A scripted response: a status, or a fault (`hang`: never answer; `reset`: drop the connection). */
export type ScriptedResponse =
  | { readonly status: number; readonly headers?: Record<string, string>; readonly body?: string }
  | { readonly fault: 'hang' | 'reset' };

/** A real HTTP server on 127.0.0.1 standing in for Slack, PagerDuty, Teams or a webhook. */
export interface HttpReceiver {
  readonly url: string;
  readonly requests: ReceivedRequest[];
  /** Responses to give next, in order; afterwards `fallback`. */
  script(...responses: ScriptedResponse[]): void;
  /** Response once the script is used up. */
  fallback: ScriptedResponse;
  /** Called on every request (benchmarks). */
  onRequest?: (request: ReceivedRequest) => void;
  reset(): void;
  close(): Promise<void>;
}

/** Starts a receiver on an ephemeral port. */
export const startReceiver = async (okStatus = 200): Promise<HttpReceiver> => {
  const queue: ScriptedResponse[] = [];
  const receiver: Omit<HttpReceiver, 'url' | 'close'> & { server?: Server } = {
    requests: [],
    fallback: { status: okStatus, body: 'ok' },
    script: (...responses) => {
      queue.push(...responses);
    },
    reset: () => {
      queue.length = 0;
      receiver.requests.length = 0;
      receiver.fallback = { status: okStatus, body: 'ok' };
    },
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(body) as Record<string, unknown>;
      } catch {
        json = {};
      }
      const request = { path: req.url ?? '/', headers: req.headers, body, json };
      receiver.requests.push(request);
      receiver.onRequest?.(request);
      const response = queue.shift() ?? receiver.fallback;
      if ('fault' in response) {
        if (response.fault === 'reset') req.socket.destroy();
        return;
      }
      res.writeHead(response.status, response.headers ?? {});
      res.end(response.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${port}/hook`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Hung requests hold their connections open.
        server.closeAllConnections();
      }),
  }) as HttpReceiver;
};
