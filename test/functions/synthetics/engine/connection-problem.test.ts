import { connect } from 'node:net';
import { connectionProblem } from '../../../../functions/synthetics/engine/connection-problem';
import { freePort } from '../../../helpers/free-port';

/** The error Node raises for `code`, as its resolver and sockets shape it (traffic stays on 127.0.0.1). */
const nodeError = (code: string, message: string): NodeJS.ErrnoException =>
  Object.assign(new Error(message), { code, errno: -1, syscall: 'getaddrinfo' });

describe('connectionProblem', () => {
  it('names the DNS layer for a host that does not resolve and one that fails for now', () => {
    // Act
    const notFound = connectionProblem(
      nodeError('ENOTFOUND', 'getaddrinfo ENOTFOUND db.example'),
      'db.example',
      5432,
    );
    const again = connectionProblem(
      nodeError('EAI_AGAIN', 'getaddrinfo EAI_AGAIN db.example'),
      'db.example',
      5432,
    );

    // Assess
    expect(notFound).toBe('DNS: no address for db.example (NXDOMAIN, or no A/AAAA record)');
    expect(again).toBe('DNS: looking up db.example failed for now (SERVFAIL, or no resolver answered)');
  });

  it('names the TCP layer for a refused connection, from the error a real socket raises', async () => {
    // Prepare
    const port = await freePort();
    const error = await new Promise<Error>((done) => connect({ host: '127.0.0.1', port }).on('error', done));

    // Act
    const problem = connectionProblem(error, '127.0.0.1', port);

    // Assess
    expect(problem).toBe(`TCP: connection refused by 127.0.0.1:${port}`);
  });

  it('names the TLS layer for handshake errors and keeps other messages under TCP', () => {
    // Act
    const tls = connectionProblem(
      Object.assign(new Error('wrong version number'), { code: 'ERR_SSL_WRONG_VERSION_NUMBER' }),
      'db',
      443,
    );
    const other = connectionProblem(new Error('socket hang up'), 'db', 443);

    // Assess
    expect(tls).toBe('TLS: handshake with db:443 failed: wrong version number');
    expect(other).toBe('TCP: db:443: socket hang up');
  });
});
