import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleAckRequest } from '../../functions/escalation/core/handle-ack-request';
import type { EscalationClock, IncidentStore } from '../../functions/escalation/types/ports';

/** The path the acknowledge endpoint answers on, locally as behind the deployed Function URL's base. */
export const LOCAL_ACK_PATH = '/vigil/ack';

/** Largest form body accepted (a name of at most 80 characters fits many times over). */
const MAX_BODY_BYTES = 8 * 1024;

/** What the local acknowledge endpoint needs: the same ports as the ack Lambda. */
export interface LocalAckServerPorts {
  readonly clock: EscalationClock;
  readonly store: IncidentStore;
  /** The HMAC key the local engine signs its links with. */
  readonly secret: () => Promise<string>;
}

/** A running local acknowledge endpoint. */
export interface LocalAckServer {
  /** Base of the ack links (`http://127.0.0.1:<port>/vigil/ack`). */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serves the acknowledge links of local escalations (`npm start`) on 127.0.0.1 with the ack Lambda's own core
 * (`handleAckRequest`): GET shows the confirmation form, POST records the ack in the local incident store, where
 * the escalation's next status check finds it.
 *
 * @example
 * const server = await startLocalAckServer({ clock: realClock, store, secret: async () => key });
 */
export const startLocalAckServer = async (
  ports: LocalAckServerPorts,
  options: { readonly port?: number } = {},
): Promise<LocalAckServer> => {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const reply = (statusCode: number, headers: Record<string, string>, body: string) => {
      if (!res.headersSent) res.writeHead(statusCode, headers);
      res.end(body);
    };
    if (url.pathname !== LOCAL_ACK_PATH) {
      reply(404, { 'content-type': 'text/plain; charset=utf-8' }, 'not found\n');
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reply(413, { 'content-type': 'text/plain; charset=utf-8' }, 'form too large\n');
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) return;
      handleAckRequest(
        {
          method: req.method ?? 'GET',
          query: url.search.slice(1),
          body: Buffer.concat(chunks).toString('utf8'),
        },
        ports,
      ).then(
        (response) => reply(response.statusCode, { ...response.headers }, response.body),
        (error: unknown) =>
          reply(
            500,
            { 'content-type': 'text/plain; charset=utf-8' },
            `ack failed: ${(error as Error).message}\n`,
          ),
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${LOCAL_ACK_PATH}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

/** The first ack link under `base` in a delivered message, if any (to show it on the console). */
export const ackLinkIn = (body: string, base: string): string | undefined => {
  const escaped = base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`${escaped}\\?[^"'\\s<>\\\\]+`).exec(body)?.[0];
};
