import { connect } from 'node:net';

/** The PostgreSQL backend a cancel request targets: from the connection's BackendKeyData message. */
export interface PgBackendKey {
  readonly processId: number;
  readonly secretKey: number;
}

/** Where the server listens: a TCP host and port, or a Unix socket directory as `host`. */
export interface PgServerAddress {
  readonly host: string;
  readonly port: number;
}

/** The CancelRequest code of the PostgreSQL wire protocol (1234 << 16 | 5678). */
const CANCEL_REQUEST_CODE = 80_877_102;

/**
 * Sends PostgreSQL's CancelRequest for one backend on a new socket, as `psql` does on Ctrl-C: the server
 * interrupts whatever statement that backend runs. The request needs no login (the backend's secret key
 * is the proof), so it works even when every pooled connection is busy. Resolves `true` once the server
 * has read the request and closed the socket, `false` when it could not be delivered within
 * `timeoutMs`. Never rejects.
 */
export const sendPgCancelRequest = (
  address: PgServerAddress,
  backend: PgBackendKey,
  timeoutMs: number,
): Promise<boolean> =>
  new Promise((resolve) => {
    const packet = Buffer.alloc(16);
    packet.writeInt32BE(16, 0);
    packet.writeInt32BE(CANCEL_REQUEST_CODE, 4);
    packet.writeInt32BE(backend.processId, 8);
    packet.writeInt32BE(backend.secretKey, 12);
    const socket = address.host.startsWith('/')
      ? connect({ path: `${address.host}/.s.PGSQL.${address.port}` })
      : connect({ host: address.host, port: address.port });
    let written = false;
    const timer = setTimeout(() => socket.destroy(), timeoutMs);
    socket.on('connect', () => {
      socket.write(packet, () => {
        written = true;
      });
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(written);
    });
  });
