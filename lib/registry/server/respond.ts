/**
 * Answers of the `/v2` server: every response carries `Docker-Distribution-API-Version: registry/2.0`, errors
 * are the spec's `{"errors":[{code,message,detail}]}` with the code's status, and 401s carry the challenge.
 * @see https://github.com/opencontainers/distribution-spec/blob/v1.1.1/spec.md#error-codes
 */
import 'server-only';
import { RegistryError, toWireErrors, type WireError } from '@/lib/oci/errors';

export const API_VERSION_HEADER = { 'docker-distribution-api-version': 'registry/2.0' } as const;

/** Turns anything thrown into a status and wire body (the wiring passes one that redacts and logs). */
export type ErrorMapper = (error: unknown) => { status: number; body: { errors: WireError[] } };

export function defaultErrorMapper(error: unknown): { status: number; body: { errors: WireError[] } } {
  return toWireErrors(error);
}

/** A response with the API version header added. */
export function reply(body: BodyInit | null, status: number, headers: Record<string, string> = {}): Response {
  return new Response(body, { status, headers: { ...API_VERSION_HEADER, ...headers } });
}

/** A JSON response (`application/json` unless `contentType` says otherwise). */
export function replyJson(value: unknown, status = 200, headers: Record<string, string> = {}, contentType = 'application/json'): Response {
  const text = JSON.stringify(value);
  return reply(text, status, { 'content-type': contentType, 'content-length': String(Buffer.byteLength(text)), ...headers });
}

/** The error response; HEAD answers carry no body. */
export function replyError(error: unknown, method: string, map: ErrorMapper, challenge?: string): Response {
  const { status, body } = map(error);
  const headers: Record<string, string> = { 'cache-control': 'no-store' };
  if (status === 401 && challenge) headers['www-authenticate'] = challenge;
  if (error instanceof RegistryError && status === 416 && typeof (error.detail as { size?: unknown })?.size === 'number') {
    headers['content-range'] = `bytes */${(error.detail as { size: number }).size}`;
  }
  if (method === 'HEAD') return reply(null, status, headers);
  return replyJson(body, status, headers);
}
