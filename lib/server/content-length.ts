/**
 * Next.js drops `Content-Length` from every route-handler response (`FORBIDDEN_HEADERS` in
 * next/dist/server/send-response.js), so HEAD answers of `/v2` would carry no size, and registry clients need it
 * (Docker's blob stat fails with "missing content-length header"; containerd and go-containerregistry read
 * sizes from HEAD). The `/v2` route therefore repeats the length in {@link CONTENT_LENGTH_HEADER}, and this
 * hook, installed once per server process from `instrumentation.ts`, turns that header back into
 * `Content-Length` as Next copies headers onto the Node response. Nothing else is affected: no other code sets
 * the private header.
 */
import 'server-only';
import { ServerResponse } from 'node:http';

export const CONTENT_LENGTH_HEADER = 'x-porthole-content-length';

const INSTALLED = Symbol.for('porthole.server.contentLengthPassthrough');

/** Patches `ServerResponse#setHeader` (idempotent). */
export function installContentLengthPassthrough(): void {
  const proto = ServerResponse.prototype;
  const marks = proto as unknown as Record<symbol, unknown>;
  if (marks[INSTALLED]) return;
  const original = proto.setHeader;
  proto.setHeader = function setHeader(this: ServerResponse, name: string, value: number | string | readonly string[]) {
    if (typeof name === 'string' && name.toLowerCase() === CONTENT_LENGTH_HEADER) {
      const length = Array.isArray(value) ? value[0] : value;
      if (/^\d+$/.test(String(length))) return original.call(this, 'content-length', String(length));
      return this;
    }
    return original.call(this, name, value);
  } as ServerResponse['setHeader'];
  marks[INSTALLED] = true;
}

/** Copies a response's `Content-Length` into the private header the hook restores. */
export function keepContentLength(response: Response): Response {
  const length = response.headers.get('content-length');
  if (length !== null) response.headers.set(CONTENT_LENGTH_HEADER, length);
  return response;
}
