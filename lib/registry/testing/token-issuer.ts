/**
 * A tiny token server for distribution's token auth, for tests: issues RS256 JWTs that
 * `docker-registry` 2.8.2 accepts (`auth.token.{realm,service,issuer,rootcertbundle}`).
 *
 * `GET /token?service=S&scope=A&scope=B` with optional Basic credentials answers
 * `{"token", "access_token", "expires_in", "issued_at"}`. The token grants the intersection of the requested
 * scopes and what the user (or anonymous) may do, as the spec says: a partial grant is not an error.
 * Wrong credentials get 401. POST (the OAuth2 variant) answers 404, as many token servers do, so clients
 * exercise their fallback to GET.
 *
 * @see https://github.com/distribution/distribution/blob/v2.8.2/docs/spec/auth/token.md
 * @see https://github.com/distribution/distribution/blob/v2.8.2/docs/spec/auth/jwt.md
 */
import { createPrivateKey, randomUUID, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execOk, trackTempDir } from './exec';

/** One grant: `type` is `repository` or `registry`; `name` is exact, `*`, or a prefix ending in `*`. */
export interface AccessRule {
  type: 'repository' | 'registry' | string;
  name: string;
  /** Allowed actions (`pull`, `push`, `delete`; `*` for the catalog). `*` here allows every requested action. */
  actions: string[];
}

export interface TokenUser {
  username: string;
  password: string;
  access: AccessRule[];
}

/** One entry of the JWT's `access` claim. */
export interface GrantedAccess {
  type: string;
  name: string;
  actions: string[];
}

export interface TokenRequestRecord {
  method: string;
  /** The authenticated user; undefined for anonymous requests and failed logins. */
  username?: string;
  service?: string;
  scopes: string[];
  status: number;
  granted: GrantedAccess[];
}

export interface TokenIssuerOptions {
  /** Default: one user `admin` / `admin-secret` with every action on everything (see {@link DEFAULT_TOKEN_USER}). */
  users?: TokenUser[];
  /** What anonymous requests get: rules (default `[]`: a token with no access), or `'deny'` (401 without credentials). */
  anonymous?: AccessRule[] | 'deny';
  /** The `aud` claim / `service` parameter (default `porthole-test-registry`). */
  service?: string;
  /** The `iss` claim (default `porthole-test-issuer`). */
  issuer?: string;
  /** Token lifetime in seconds, sent as `expires_in` (default 300). */
  expiresIn?: number;
}

export interface TokenIssuer {
  /** Base URL, `http://127.0.0.1:PORT`. */
  url: string;
  /** The realm for the registry config and challenges: `${url}/token`. */
  realm: string;
  service: string;
  issuer: string;
  /** PEM of the self-signed certificate (the registry's `rootcertbundle`). */
  certPath: string;
  port: number;
  users: TokenUser[];
  /** Number of token requests served (every status), for cache tests. */
  readonly requestCount: number;
  /** Every token request, oldest first. */
  readonly requests: readonly TokenRequestRecord[];
  /** Forgets the recorded requests. */
  resetCounts(): void;
  /** Signs a token directly (no HTTP), for tests that need one without the endpoint. */
  issue(access: GrantedAccess[], options?: { subject?: string; expiresIn?: number }): string;
  /** Closes the server and removes the key material. Idempotent. */
  stop(): Promise<void>;
}

export const DEFAULT_TOKEN_USER: TokenUser = {
  username: 'admin',
  password: 'admin-secret',
  access: [
    { type: 'repository', name: '*', actions: ['*'] },
    { type: 'registry', name: 'catalog', actions: ['*'] },
  ],
};

/** Parses `type[(class)]:name:actions`; the name may contain `:` (host port), so split at the ends. */
export function parseScope(scope: string): GrantedAccess | undefined {
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  if (first <= 0 || last <= first) return undefined;
  const type = scope.slice(0, first).replace(/\(.*\)$/, '');
  const name = scope.slice(first + 1, last);
  const actions = scope
    .slice(last + 1)
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  return { type, name, actions };
}

function nameMatches(pattern: string, name: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('*')) return name.startsWith(pattern.slice(0, -1));
  return pattern === name;
}

/** The intersection of the requested scopes and the rules. Scopes granting nothing keep an empty action list. */
export function grant(rules: readonly AccessRule[], scopes: readonly string[]): GrantedAccess[] {
  const granted: GrantedAccess[] = [];
  for (const scope of scopes) {
    for (const part of scope.split(' ').filter(Boolean)) {
      const requested = parseScope(part);
      if (!requested) continue;
      const allowed = new Set<string>();
      for (const rule of rules) {
        if (rule.type !== requested.type || !nameMatches(rule.name, requested.name)) continue;
        for (const action of requested.actions) {
          if (rule.actions.includes('*') || rule.actions.includes(action)) allowed.add(action);
        }
      }
      granted.push({ type: requested.type, name: requested.name, actions: requested.actions.filter((a) => allowed.has(a)) });
    }
  }
  return granted;
}

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

function parseBasic(header: string | undefined): { username: string; password: string } | undefined {
  if (!header || !/^basic /i.test(header)) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Starts a token issuer on 127.0.0.1 (free port) with a fresh self-signed RSA certificate. */
export async function startTokenIssuer(options: TokenIssuerOptions = {}): Promise<TokenIssuer> {
  const dir = await mkdtemp(join(tmpdir(), 'porthole-token-'));
  const untrack = trackTempDir(dir);
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  await execOk('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '2',
    '-subj', '/CN=porthole-test-token-issuer', '-keyout', keyPath, '-out', certPath,
  ]);
  const key: KeyObject = createPrivateKey(await readFile(keyPath));
  const certDer = new X509Certificate(await readFile(certPath)).raw.toString('base64');

  const service = options.service ?? 'porthole-test-registry';
  const issuerName = options.issuer ?? 'porthole-test-issuer';
  const expiresIn = options.expiresIn ?? 300;
  const users = options.users ?? [DEFAULT_TOKEN_USER];
  const anonymous = options.anonymous ?? [];
  const requests: TokenRequestRecord[] = [];

  function issue(access: GrantedAccess[], opts: { subject?: string; expiresIn?: number } = {}): string {
    const now = Math.floor(Date.now() / 1000);
    const header = { alg: 'RS256', typ: 'JWT', x5c: [certDer] };
    const claims = {
      iss: issuerName,
      sub: opts.subject ?? '',
      aud: service,
      exp: now + (opts.expiresIn ?? expiresIn),
      // A little slack: the registry rejects tokens whose nbf lies in its future.
      nbf: now - 10,
      iat: now,
      jti: randomUUID(),
      access,
    };
    const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
    const signature = sign('sha256', Buffer.from(signingInput), key);
    return `${signingInput}.${base64url(signature)}`;
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/token') return sendJson(res, 404, { errors: [{ code: 'NOT_FOUND', message: 'not found' }] });
    const scopes = url.searchParams.getAll('scope');
    const record: TokenRequestRecord = {
      method: req.method ?? 'GET',
      service: url.searchParams.get('service') ?? undefined,
      scopes,
      status: 200,
      granted: [],
    };
    requests.push(record);
    if (req.method !== 'GET') {
      // Many token servers lack the OAuth2 POST flow; clients must fall back to GET on 404.
      record.status = 404;
      return sendJson(res, 404, { errors: [{ code: 'UNSUPPORTED', message: 'use GET' }] });
    }
    const credentials = parseBasic(req.headers.authorization);
    let rules: readonly AccessRule[];
    if (credentials) {
      const user = users.find((u) => u.username === credentials.username && u.password === credentials.password);
      if (!user) {
        record.status = 401;
        return sendJson(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'authentication failed' }] }, {
          'WWW-Authenticate': 'Basic realm="porthole-test-issuer"',
        });
      }
      record.username = user.username;
      rules = user.access;
    } else if (anonymous === 'deny') {
      record.status = 401;
      return sendJson(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }, {
        'WWW-Authenticate': 'Basic realm="porthole-test-issuer"',
      });
    } else {
      rules = anonymous;
    }
    record.granted = grant(rules, scopes);
    const token = issue(record.granted, { subject: record.username });
    sendJson(res, 200, { token, access_token: token, expires_in: expiresIn, issued_at: new Date().toISOString() });
  }

  const server = createServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  let stopped: Promise<void> | undefined;

  return {
    url,
    realm: `${url}/token`,
    service,
    issuer: issuerName,
    certPath,
    port,
    users,
    get requestCount() {
      return requests.length;
    },
    get requests() {
      return requests;
    },
    resetCounts() {
      requests.length = 0;
    },
    issue,
    stop() {
      stopped ??= (async () => {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await rm(dir, { recursive: true, force: true });
        untrack();
      })();
      return stopped;
    },
  };
}
