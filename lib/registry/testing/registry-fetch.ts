/**
 * A raw, auth-aware `fetch` for harness registries, independent of Porthole's HTTP backend (so tests never
 * check the client with itself): Basic credentials up front, or distribution's token flow on a 401
 * Bearer challenge (one token request per scope set, cached for the registry's lifetime).
 * @see https://github.com/distribution/distribution/blob/v2.8.2/docs/spec/auth/token.md
 */
import type { Credentials, RunningRegistry } from './registry-server';

type Target = Pick<RunningRegistry, 'url' | 'auth' | 'credentials'>;

export interface RegistryFetchInit extends Omit<RequestInit, 'body'> {
  /** Request body (bytes or text, so it can be sent again after a token challenge). */
  body?: Uint8Array | string;
  /** Credentials to use instead of the registry's; `null` for anonymous. */
  as?: Credentials | null;
}

const tokenCache = new WeakMap<object, Map<string, string>>();

/** Parses `Bearer realm="…",service="…",scope="…"` (one challenge, as distribution sends). */
export function parseBearerChallenge(header: string | null): Record<string, string> | undefined {
  if (!header || !/^bearer\s/i.test(header)) return undefined;
  const params: Record<string, string> = {};
  for (const match of header.slice(7).matchAll(/(\w+)="([^"]*)"/g)) params[match[1]!.toLowerCase()] = match[2]!;
  return params;
}

function basic(credentials: Credentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}

/** Fetches a token from the challenge's realm; rejects when the issuer refuses. */
export async function fetchToken(challenge: Record<string, string>, credentials: Credentials | undefined): Promise<string> {
  const url = new URL(challenge.realm ?? '');
  if (challenge.service) url.searchParams.set('service', challenge.service);
  for (const scope of (challenge.scope ?? '').split(' ').filter(Boolean)) url.searchParams.append('scope', scope);
  const res = await fetch(url, { headers: credentials ? { Authorization: basic(credentials) } : {} });
  if (!res.ok) throw new Error(`token request failed with ${res.status}`);
  const body = (await res.json()) as { token?: string; access_token?: string };
  const token = body.access_token ?? body.token;
  if (!token) throw new Error('token response without token');
  return token;
}

/** What a request needs, roughly as distribution's challenge scopes go: repository (or catalog) and action. */
function scopeKey(path: string, method: string): string {
  const repo = /^\/v2\/(.+?)\/(?:blobs|manifests|tags|referrers)\//.exec(path)?.[1] ?? path.split('?')[0];
  const action = method === 'GET' || method === 'HEAD' ? 'pull' : method === 'DELETE' ? 'delete' : 'push';
  return `${repo}\n${action}`;
}

/** `fetch(registry.url + path)` with the registry's auth handled. */
export async function registryFetch(registry: Target, path: string, init: RegistryFetchInit = {}): Promise<Response> {
  const { as, body, ...rest } = init;
  const credentials = as === null ? undefined : (as ?? registry.credentials);
  const headers = new Headers(rest.headers);
  const url = registry.url + path;
  // TS 5.9's DOM types only take ArrayBuffer-backed views; copy Node Buffers (pooled) into a fresh one.
  const payload: BodyInit | undefined = typeof body === 'string' || body === undefined ? body : new Uint8Array(body);
  const send = (): Promise<Response> => fetch(url, { ...rest, headers, body: payload, redirect: 'manual' });

  if (registry.auth === 'basic' && credentials) headers.set('Authorization', basic(credentials));
  if (registry.auth !== 'token') return send();

  const cache = tokenCache.get(registry) ?? new Map<string, string>();
  tokenCache.set(registry, cache);
  const cacheKey = `${credentials?.username ?? ''}\n${scopeKey(path, rest.method ?? 'GET')}`;
  const cached = cache.get(cacheKey);
  if (cached) headers.set('Authorization', `Bearer ${cached}`);
  let res = await send();
  if (res.status !== 401) return res;
  const challenge = parseBearerChallenge(res.headers.get('www-authenticate'));
  if (!challenge) return res;
  await res.body?.cancel();
  const token = await fetchToken(challenge, credentials);
  cache.set(cacheKey, token);
  headers.set('Authorization', `Bearer ${token}`);
  res = await send();
  return res;
}
