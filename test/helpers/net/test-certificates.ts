import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A server certificate, its key, and the chain a server sends with it. */
export interface TestCertificate {
  readonly key: string;
  readonly cert: string;
  /** The leaf followed by the intermediate: what a correctly configured server sends. */
  readonly chain: string;
  readonly validTo: Date;
}

/** Certificates for every TLS case the checks must tell apart, issued by one test root via an intermediate. */
export interface TestCertificates {
  /** The root to trust (`trustedCertificates`). */
  readonly root: string;
  /** For `localhost` and 127.0.0.1, valid from a day ago for 60 days. */
  readonly valid: TestCertificate;
  /** Valid, but expires in 12 days (inside a 30-day warning). */
  readonly expiresSoon: TestCertificate;
  /** Valid, but expires in 3 days (inside a 7-day critical threshold). */
  readonly expiresVerySoon: TestCertificate;
  /** Expired 3 days ago. */
  readonly expired: TestCertificate;
  /** Valid only from 5 days from now. */
  readonly notYetValid: TestCertificate;
  /** Valid, for `other.example` only. */
  readonly wrongHost: TestCertificate;
  /** Self-signed for `localhost`. */
  readonly selfSigned: TestCertificate;
  /** Removes the working directory. */
  dispose(): void;
}

const DAY_MS = 86_400_000;

/** `YYYYMMDDHHMMSSZ`, the date format of `openssl ca -startdate/-enddate`. */
const stamp = (date: Date): string => `${date.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;

const CA_CONFIG = `
[ ca ]
default_ca = test_ca
[ test_ca ]
dir = .
database = index.txt
new_certs_dir = .
serial = serial
default_md = sha256
policy = any
unique_subject = no
[ any ]
commonName = supplied
[ intermediate ]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
[ leaf_localhost ]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1
[ leaf_other ]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:other.example
`;

/**
 * Issues real certificates with the `openssl` CLI (EC P-256, so it takes well under a second): a root, an
 * intermediate, and leaves for each case, with validity dates set exactly (`openssl ca -startdate/-enddate`),
 * so an expired certificate is one OpenSSL itself rejects.
 */
export const createTestCertificates = (now = Date.now()): TestCertificates => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-certs-'));
  const run = (...args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  };
  const read = (name: string): string => readFileSync(join(dir, name), 'utf8');
  writeFileSync(join(dir, 'ca.cnf'), CA_CONFIG);
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'serial'), '1000\n');
  const key = (name: string): void =>
    run('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', `${name}.key`);
  const csr = (name: string, cn: string): void =>
    run('req', '-new', '-key', `${name}.key`, '-subj', `/CN=${cn}`, '-out', `${name}.csr`);
  const sign = (name: string, issuer: string, extensions: string, from: number, to: number): void =>
    run(
      'ca',
      '-batch',
      '-config',
      'ca.cnf',
      '-notext',
      '-cert',
      `${issuer}.pem`,
      '-keyfile',
      `${issuer}.key`,
      '-in',
      `${name}.csr`,
      '-out',
      `${name}.pem`,
      '-extfile',
      'ca.cnf',
      '-extensions',
      extensions,
      '-startdate',
      stamp(new Date(from)),
      '-enddate',
      stamp(new Date(to)),
    );
  key('root');
  run(
    'req',
    '-x509',
    '-new',
    '-key',
    'root.key',
    '-subj',
    '/CN=Vigil Test Root',
    '-days',
    '30',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
    '-out',
    'root.pem',
  );
  key('inter');
  csr('inter', 'Vigil Test Intermediate');
  sign('inter', 'root', 'intermediate', now - 10 * DAY_MS, now + 365 * DAY_MS);
  const leaf = (name: string, extensions: string, fromDays: number, toDays: number): TestCertificate => {
    key(name);
    csr(name, extensions === 'leaf_other' ? 'other.example' : 'localhost');
    sign(name, 'inter', extensions, now + fromDays * DAY_MS, now + toDays * DAY_MS);
    const cert = read(`${name}.pem`);
    return {
      key: read(`${name}.key`),
      cert,
      chain: cert + read('inter.pem'),
      validTo: new Date(now + toDays * DAY_MS),
    };
  };
  const valid = leaf('valid', 'leaf_localhost', -1, 60);
  const expiresSoon = leaf('soon', 'leaf_localhost', -1, 12.5);
  const expiresVerySoon = leaf('verysoon', 'leaf_localhost', -1, 3.5);
  const expired = leaf('expired', 'leaf_localhost', -30, -3.5);
  const notYetValid = leaf('future', 'leaf_localhost', 5, 60);
  const wrongHost = leaf('other', 'leaf_other', -1, 60);
  key('self');
  run(
    'req',
    '-x509',
    '-new',
    '-key',
    'self.key',
    '-subj',
    '/CN=localhost',
    '-days',
    '30',
    '-addext',
    'subjectAltName=DNS:localhost,IP:127.0.0.1',
    '-out',
    'self.pem',
  );
  const self = read('self.pem');
  return {
    root: read('root.pem'),
    valid,
    expiresSoon,
    expiresVerySoon,
    expired,
    notYetValid,
    wrongHost,
    selfSigned: { key: read('self.key'), cert: self, chain: self, validTo: new Date(now + 30 * DAY_MS) },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
};
