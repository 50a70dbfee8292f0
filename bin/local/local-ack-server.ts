import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetchHttp } from '../../functions/escalation/adapters/fetch-http';
import { handleAckRequest } from '../../functions/escalation/core/handle-ack-request';
import {
  handleInboundSms,
  type SmsReply,
  type SmsResponder,
} from '../../functions/escalation/core/handle-inbound-sms';
import { handleSlackInteraction } from '../../functions/escalation/core/handle-slack-interaction';
import type { EscalationClock, IncidentStore, PageLog } from '../../functions/escalation/types/ports';

/** The path the acknowledge endpoint answers on, locally as behind the deployed Function URL's base. */
export const LOCAL_ACK_PATH = '/vigil/ack';
/** The local Slack interactivity endpoint: Slack's signed `block_actions` POSTs, as the Function URL takes them. */
export const LOCAL_SLACK_PATH = '/slack/interactions';
/** The local two-way SMS endpoint: `POST {"from": "+447700900001", "body": "ACK"}` simulates a reply. */
export const LOCAL_SMS_PATH = '/sms';

/** Largest form body accepted (a name of at most 80 characters fits many times over). */
const MAX_BODY_BYTES = 8 * 1024;

/** What the local acknowledge endpoint needs: the same ports as the ack Lambda. */
export interface LocalAckServerPorts {
  readonly clock: EscalationClock;
  readonly store: IncidentStore;
  /** The HMAC key the local engine signs its links with. */
  readonly secret: () => Promise<string>;
  /** Serve {@link LOCAL_SLACK_PATH}: the Slack signing secret. @default no Slack route */
  readonly slack?: { readonly signingSecret: () => Promise<string> };
  /** Serve {@link LOCAL_SMS_PATH}: people by SMS number, their pages, and where replies go. @default no SMS route */
  readonly sms?: {
    readonly people: Readonly<Record<string, SmsResponder>>;
    readonly pages: PageLog;
    readonly reply: (reply: SmsReply) => Promise<void>;
  };
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
 * the escalation's next status check finds it. With `slack` / `sms` ports it also takes Slack button clicks on
 * {@link LOCAL_SLACK_PATH} and simulated SMS replies on {@link LOCAL_SMS_PATH}, through the same cores as
 * their Lambdas.
 *
 * @example
 * const server = await startLocalAckServer({ clock: realClock, store, secret: async () => key });
 */
export const startLocalAckServer = async (
  ports: LocalAckServerPorts,
  options: { readonly port?: number } = {},
): Promise<LocalAckServer> => {
  const routes = localRoutes(ports);
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const reply = (statusCode: number, headers: Record<string, string>, body: string) => {
      if (!res.headersSent) res.writeHead(statusCode, headers);
      res.end(body);
    };
    const route = routes[url.pathname];
    if (route === undefined) {
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
      route({ method: req.method ?? 'GET', url, headers: req.headers, body: Buffer.concat(chunks) }).then(
        (response) => reply(response.statusCode, { ...response.headers }, response.body),
        (error: unknown) =>
          reply(
            500,
            { 'content-type': 'text/plain; charset=utf-8' },
            `${url.pathname} failed: ${(error as Error).message}\n`,
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

interface LocalRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

type LocalResponse = { statusCode: number; headers: Readonly<Record<string, string>>; body: string };

const json = (statusCode: number, value: unknown): LocalResponse => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body: `${JSON.stringify(value)}\n`,
});

/** The routes the configured ports allow, each running the same core as its Lambda. */
const localRoutes = (
  ports: LocalAckServerPorts,
): Record<string, (request: LocalRequest) => Promise<LocalResponse>> => {
  const routes: Record<string, (request: LocalRequest) => Promise<LocalResponse>> = {
    [LOCAL_ACK_PATH]: (request) =>
      handleAckRequest(
        { method: request.method, query: request.url.search.slice(1), body: request.body.toString('utf8') },
        ports,
      ),
  };
  const { slack, sms } = ports;
  if (slack !== undefined) {
    routes[LOCAL_SLACK_PATH] = async (request) => {
      const result = await handleSlackInteraction(
        {
          method: request.method,
          headers: Object.fromEntries(
            Object.entries(request.headers).map(([name, value]) => [name, [value].flat().join(',')]),
          ),
          body: request.body,
        },
        { clock: ports.clock, store: ports.store, secret: slack.signingSecret, http: fetchHttp },
      );
      return result.response;
    };
  }
  if (sms !== undefined) {
    routes[LOCAL_SMS_PATH] = async (request) => {
      if (request.method !== 'POST')
        return json(405, { error: 'POST {"from": "+447700900001", "body": "ACK"}' });
      let input: { from?: unknown; body?: unknown };
      try {
        input = JSON.parse(request.body.toString('utf8')) as typeof input;
      } catch {
        return json(400, { error: 'the body must be JSON: {"from": "+447700900001", "body": "ACK"}' });
      }
      if (typeof input?.from !== 'string' || typeof input.body !== 'string')
        return json(400, { error: 'give "from" (an E.164 number) and "body" (the SMS text)' });
      const replies: string[] = [];
      const result = await handleInboundSms(
        JSON.stringify({
          originationNumber: input.from,
          destinationNumber: 'vigil-local',
          messageBody: input.body,
        }),
        {
          clock: ports.clock,
          store: ports.store,
          pages: sms.pages,
          people: sms.people,
          reply: async (reply) => {
            replies.push(reply.body);
            await sms.reply(reply);
          },
        },
      );
      return json(200, { ...result, replies });
    };
  }
  return routes;
};
