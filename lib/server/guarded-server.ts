/**
 * Porthole's HTTP server: Node's `http` server in front of the Next.js request handler, so that the checks of
 * `request-guard.ts` see the raw request line. `next start` cannot do this: the framework resolves `%2e%2e`
 * before any hook (proxy.ts included) sees the URL, answers `TRACE` with a plain-text 500 because it cannot build
 * a Request for it, and Node's parser answers oversized or malformed request lines with empty 431/400s.
 * Here every such request under `/api` and `/v2` gets the JSON error format, and is logged.
 *
 * Run through scripts/serve.ts (`npm start`, the e2e stack). No `server-only`: this runs outside the bundles.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { RegistryError } from '@/lib/oci/errors';
import { redact } from '@/lib/redaction/secrets';
import { REQUEST_ID_HEADER, requestIdFor, runWithRequest } from './request-context';
import { guardRequest, isGuardedPath, rawPathOf, refusalAnswer, type Refusal } from './request-guard';

export type NextHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

/** Logs a refusal on one line: method, redacted path (a source name may be a pasted password), code. */
function logRefusal(method: string, target: string, refusal: Refusal): void {
  const path = redact(target.split('?')[0]!.slice(0, 200));
  console.warn(`[porthole] refused ${method.slice(0, 16)} ${path}: ${refusal.error.status} ${refusal.error.code} ${refusal.error.message}`);
}

function send(response: ServerResponse, refusal: Refusal): void {
  const answer = refusalAnswer(refusal);
  response.writeHead(answer.status, { ...answer.headers, 'content-length': Buffer.byteLength(answer.body) });
  response.end(answer.body);
}

/**
 * Whether the bytes Node could not parse open a TLS handshake (record type 22, protocol major version 3): a
 * client speaking HTTPS to this plain-HTTP port. Clients that are told a registry is insecure (skopeo and
 * containers/image with `--tls-verify=false`, like Docker's insecure registries) always try HTTPS first and fall
 * back to HTTP when that fails, so this happens once or twice per skopeo call and is no error of the request.
 */
export function isTlsHandshake(packet: Buffer | undefined): boolean {
  return packet !== undefined && packet.length >= 2 && packet[0] === 0x16 && packet[1] === 0x03;
}

/**
 * Answers a request line Node's parser refused (too large: 431; anything else: 400) in the JSON format, and
 * logs it. A TLS handshake gets the same 400, but only the server's first is logged (the HTTPS probe of
 * insecure-registry clients would otherwise put a line in the log for every skopeo call).
 */
function clientErrorHandler(): (error: NodeJS.ErrnoException, socket: Socket) => void {
  let tlsLogged = false;
  return (error, socket) => {
    if (!socket.writable || (error as { code?: string }).code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    const tls = isTlsHandshake((error as { rawPacket?: Buffer }).rawPacket);
    const refusal: Refusal = {
      error: tooLarge
        ? new RegistryError('UNSUPPORTED', 'the request line or headers are too large', { status: 431 })
        : new RegistryError('UNSUPPORTED', tls ? 'this port speaks plain HTTP, not TLS' : 'the request is not valid HTTP', { status: 400 }),
      headers: {},
    };
    const answer = refusalAnswer(refusal);
    const status = tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request';
    const head = Object.entries({ ...answer.headers, 'content-length': String(Buffer.byteLength(answer.body)), connection: 'close' })
      .map(([name, value]) => `${name}: ${value}`)
      .join('\r\n');
    if (!tls) console.warn(`[porthole] refused a request Node could not parse: ${error.code ?? 'error'}`);
    else if (!tlsLogged) {
      tlsLogged = true;
      console.info('[porthole] a client spoke TLS to this plain-HTTP port and was answered 400 (clients of insecure registries, such as skopeo, try HTTPS first); further ones are not logged');
    }
    socket.end(`HTTP/1.1 ${status}\r\n${head}\r\n\r\n${answer.body}`);
  };
}

/** An http.Server that runs the guard on every request and hands the rest to `next`. */
export function createGuardedServer(next: NextHandler): Server {
  const server = createServer((request, response) => {
    const method = request.method ?? 'GET';
    const target = request.url ?? '/';
    // Every /api and /v2 answer names its request id; log lines of the request carry it (request-context.ts).
    const requestId = requestIdFor(request.headers[REQUEST_ID_HEADER]);
    if (isGuardedPath(rawPathOf(target))) response.setHeader(REQUEST_ID_HEADER, requestId);
    const refusal = guardRequest(method, target);
    if (refusal) {
      logRefusal(method, target, refusal);
      send(response, refusal);
      return;
    }
    runWithRequest({ requestId }, () => next(request, response)).catch((error: unknown) => {
      console.error(`[porthole] request failed: ${redact(error instanceof Error ? (error.stack ?? error.message) : String(error))}`);
      if (!response.headersSent) send(response, { error: new RegistryError('UNKNOWN', 'internal error'), headers: {} });
      else response.destroy();
    });
  });
  server.on('clientError', clientErrorHandler());
  return server;
}
