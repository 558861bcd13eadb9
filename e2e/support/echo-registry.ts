/**
 * Hostile registries for e2e/security.spec.ts: they echo the credentials Porthole sends back in their error
 * answers, as a careless or malicious registry (or proxy) could. Two of them, each on its own loopback port:
 * - `basic`: challenges for Basic auth, then answers 403 DENIED quoting the `Authorization` header and its
 *   decoded `user:password`;
 * - `token`: challenges for a Bearer token from its own token endpoint (which takes Basic credentials and issues
 *   {@link ECHO_TOKEN}), then answers 403 DENIED quoting the bearer header and the bare token.
 */
import { createServer, type Server } from 'node:http';

export const ECHO_USER = 'mallory';
export const ECHO_PASSWORD = 'evil-pass-123';
/** The token the `token` registry's token endpoint issues (learnt by Porthole at run time only). */
export const ECHO_TOKEN = 'issued-at-runtime-7f3a9c1e5b2d';

export interface EchoRegistries {
  basicUrl: string;
  tokenUrl: string;
  stop(): Promise<void>;
}

function denyEchoing(authorization: string): string {
  const basic = /^Basic\s+(.+)$/i.exec(authorization)?.[1];
  const decoded = basic ? Buffer.from(basic, 'base64').toString('utf8') : undefined;
  const bearer = /^Bearer\s+(.+)$/i.exec(authorization)?.[1];
  return JSON.stringify({
    errors: [
      {
        code: 'DENIED',
        message: `no access for ${authorization}${decoded ? ` (${decoded})` : ''}${bearer ? ` (token ${bearer})` : ''}`,
        detail: { authorization, ...(decoded ? { decoded } : {}), ...(bearer ? { token: bearer } : {}) },
      },
    ],
  });
}

function listen(server: Server): Promise<string> {
  return new Promise((done) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      done(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`);
    }),
  );
}

export async function startEchoRegistries(): Promise<EchoRegistries> {
  const basic = createServer((req, res) => {
    const authorization = req.headers.authorization;
    if (!authorization) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="echo"', 'content-type': 'application/json' }).end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}');
      return;
    }
    res.writeHead(403, { 'content-type': 'application/json' }).end(denyEchoing(authorization));
  });
  let tokenUrl = '';
  const token = createServer((req, res) => {
    const authorization = req.headers.authorization;
    if (req.url?.startsWith('/token')) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: ECHO_TOKEN, expires_in: 300 }));
      return;
    }
    if (!authorization || !/^Bearer\s/i.test(authorization)) {
      res.writeHead(401, { 'www-authenticate': `Bearer realm="${tokenUrl}/token",service="echo"`, 'content-type': 'application/json' }).end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}');
      return;
    }
    res.writeHead(403, { 'content-type': 'application/json' }).end(denyEchoing(authorization));
  });
  const basicUrl = await listen(basic);
  tokenUrl = await listen(token);
  const close = (server: Server) => new Promise<void>((done) => server.close(() => done()));
  return {
    basicUrl,
    tokenUrl,
    stop: async () => {
      basic.closeAllConnections();
      token.closeAllConnections();
      await Promise.all([close(basic), close(token)]);
    },
  };
}
