/**
 * Checking a configuration document: the schema (`schema.ts`) first, then the rules that need more than one
 * field or the outside world. Every problem is a {@link ConfigError} naming the file, the source and the
 * field; credential values are read here (`credentials.ts`) and never appear in a message.
 */
import 'server-only';
import { existsSync } from 'node:fs';
import type { SourceKind } from '@/lib/api/types';
import { Checker, describeWhere } from './context';
import { resolveCredentials } from './credentials';
import { configFileSchema, type ConfigFile, type SourceFile } from './schema';
import type { AuthConfig, AuthToken, CredentialField, Env, PortholeConfig, SourceConfig } from './types';

/** A key written without a value (YAML `field:`) counts as absent, as it always has. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)]));
}

function omit<T extends object, K extends keyof T>(value: T, keys: readonly K[]): Omit<T, K> {
  const copy: Partial<T> = { ...value };
  for (const key of keys) delete copy[key];
  return copy as Omit<T, K>;
}

const CREDENTIAL_FIELDS: readonly CredentialField[] = ['username', 'password', 'usernameEnv', 'passwordEnv', 'token', 'tokenEnv', 'dockerConfig'];

/** The kind written, else inferred: `url` → http, `path` → layout. */
function kindOf(c: Checker, raw: SourceFile, where: string): SourceKind {
  const kind = raw.kind ?? (raw.url !== undefined ? 'http' : raw.path !== undefined ? 'layout' : raw.sources !== undefined ? 'unify' : undefined);
  if (kind === undefined) c.fail(where, 'kind', 'is required (http, layout, memory or unify)');
  return kind;
}

/** The base URL of an http source, without a trailing slash; refuses credentials, queries and fragments. */
function checkUrl(c: Checker, url: string | undefined, where: string): URL {
  if (url === undefined) c.fail(where, 'url', 'is required for an http source');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    c.fail(where, 'url', 'must be an absolute http:// or https:// URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') c.fail(where, 'url', 'must start with http:// or https://');
  if (parsed.username || parsed.password) {
    c.secret(decodeURIComponent(parsed.password));
    c.fail(where, 'url', 'must not contain credentials: use username/password or usernameEnv/passwordEnv');
  }
  if (parsed.search || parsed.hash) c.fail(where, 'url', 'must not have a query or fragment');
  return parsed;
}

function checkSource(c: Checker, raw: SourceFile, index: number, doc: unknown, defaultTagCache: number): SourceConfig {
  const where = describeWhere(['sources', index], doc);
  const kind = kindOf(c, raw, where);
  // Fields that need no resolving pass through as the schema left them (defaults applied).
  const plain = omit(raw, [...CREDENTIAL_FIELDS, 'kind', 'tagCacheSeconds', 'url', 'path', 'host', 'caFile', 'serve']);
  const source: SourceConfig = { ...plain, kind, tagCacheSeconds: raw.tagCacheSeconds ?? defaultTagCache };
  if (raw.serve === 'write' && !raw.write) c.fail(where, 'serve', '"write" needs write: true on the source');
  if (raw.serve !== false) source.serve = raw.serve;

  if (kind === 'http') {
    const parsed = checkUrl(c, raw.url, where);
    source.url = parsed.href.replace(/\/+$/, '');
    source.host = parsed.host;
    if (raw.path !== undefined) c.fail(where, 'path', 'is only used by layout sources');
  } else {
    if (raw.url !== undefined) c.fail(where, 'url', 'is only used by http sources');
    if (kind === 'layout') {
      if (raw.path === undefined) c.fail(where, 'path', 'is required for a layout source');
      source.path = c.path(raw.path);
    } else if (raw.path !== undefined) {
      c.fail(where, 'path', 'is only used by layout sources');
    }
  }
  if (raw.host !== undefined) source.host = raw.host.toLowerCase();
  if (kind === 'unify' && raw.sources === undefined) c.fail(where, 'sources', 'is required for a unify source (names of other sources)');
  if (kind !== 'unify' && raw.sources !== undefined) c.fail(where, 'sources', 'is only used by unify sources');

  const credentials = resolveCredentials(c, raw, where, kind, source.host);
  if (credentials) source.credentials = credentials;

  if (raw.caFile !== undefined) {
    if (kind !== 'http') c.fail(where, 'caFile', 'is only used by http sources');
    source.caFile = c.path(raw.caFile);
    if (!existsSync(/*turbopackIgnore: true*/ source.caFile)) c.fail(where, 'caFile', 'file does not exist');
  }
  if (kind !== 'http' && raw.insecure) c.fail(where, 'insecure', 'is only used by http sources');
  if ((raw.timeoutSeconds !== undefined || raw.retries !== undefined) && kind !== 'http') {
    c.fail(where, raw.timeoutSeconds !== undefined ? 'timeoutSeconds' : 'retries', 'is only used by http sources');
  }
  if (raw.maxConcurrency !== undefined && kind !== 'http') c.fail(where, 'maxConcurrency', 'is only used by http sources');
  if (raw.maxConcurrency !== undefined && raw.concurrency !== 'auto') c.fail(where, 'maxConcurrency', 'is only used with concurrency: auto');
  return source;
}

/**
 * A unify source's members: other, existing, non-unify sources, each once. `delete: true` and `write: true` need
 * every member to allow the same (a unified delete or push goes to every member).
 */
function checkUnify(c: Checker, source: SourceConfig, all: readonly SourceConfig[], where: string): void {
  const names = source.sources ?? [];
  if (names.length === 0) c.fail(where, 'sources', 'must name at least one other source');
  const members = names.map((name) => {
    const member = all.find((s) => s.name === name);
    if (name === source.name) c.fail(where, 'sources', 'must not name the unify source itself');
    if (!member) c.fail(where, 'sources', `"${name}" is not a configured source`);
    if (member.kind === 'unify') c.fail(where, 'sources', `"${name}" is itself a unify source (name its members instead)`);
    return member;
  });
  if (new Set(names).size !== names.length) c.fail(where, 'sources', 'names a source more than once');
  for (const flag of ['delete', 'write'] as const) {
    const refusing = members.find((m) => !m[flag]);
    if (source[flag] && refusing) c.fail(where, flag, `needs ${flag}: true on every member, and "${refusing.name}" does not set it`);
  }
}

function checkAuth(c: Checker, raw: ConfigFile['auth']): AuthConfig | undefined {
  if (raw === undefined) return undefined;
  const tokens: AuthToken[] = raw.tokens.map((item, i) => {
    const at = `auth.tokens[${i}]`;
    const inline = c.secret(item.token);
    const fromEnv = c.fromEnv(item.tokenEnv, at, 'tokenEnv');
    if ((inline === undefined) === (fromEnv === undefined)) c.fail(at, 'token', 'set exactly one of "token" or "tokenEnv"');
    const token = (inline ?? fromEnv)!;
    if (token.length < 16) c.fail(at, 'token', 'must be at least 16 characters');
    return { name: item.name, token };
  });
  const header = raw.proxyUserHeader;
  if (tokens.length === 0 && header === undefined) c.fail('auth', undefined, 'needs "tokens" or "proxyUserHeader"');
  return header === undefined ? { tokens } : { tokens, proxyUserHeader: header.toLowerCase() };
}

/** An origin (`https://porthole.example.com`) as the browser sends it, or a failure. */
function checkOrigin(c: Checker, origin: string): string {
  try {
    const url = new URL(origin);
    if (url.origin === 'null' || url.pathname !== '/' || url.search) throw new Error();
    return url.origin;
  } catch {
    return c.fail('top level', 'allowedOrigins', `"${origin}" is not an origin like https://porthole.example.com`);
  }
}

// --- publicUrl / allowedHosts: where Porthole is reached (DNS-rebinding defence, docs/security.md) ---
const HOST_ENTRY = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::[0-9]{1,5})?$/;

/** `publicUrl` as its origin; refuses credentials, queries and fragments. */
function checkPublicUrl(c: Checker, value: string): string {
  try {
    const url = new URL(value);
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password || url.search || url.hash) throw new Error();
    return url.origin;
  } catch {
    return c.fail('top level', 'publicUrl', `"${value}" is not an http(s) URL like https://porthole.example.com`);
  }
}

/** `cache.redis`: a redis:// or rediss:// URL; its password (if any) becomes a secret before any message. */
function checkRedisUrl(c: Checker, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    // The text may hold a password: the message does not repeat it.
    return c.fail('cache', 'redis', 'is not a URL like redis://host:6379 or rediss://user:password@host:6380/0');
  }
  if (url.password) {
    c.secret(url.password);
    try {
      c.secret(decodeURIComponent(url.password));
    } catch {
      // Not percent-encoding after all: the raw form is recorded.
    }
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') c.fail('cache', 'redis', 'must start with redis:// or rediss://');
  if (!url.hostname) c.fail('cache', 'redis', 'must name a host, like redis://host:6379');
  if (url.search || url.hash) c.fail('cache', 'redis', 'must not have a query or fragment');
  return value;
}

/** An `allowedHosts` entry, lower-cased and without a trailing dot. */
function checkAllowedHost(c: Checker, entry: string): string {
  const host = entry.trim().toLowerCase().replace(/\.(?=$|:)/, '');
  if (!HOST_ENTRY.test(host)) {
    c.fail('top level', 'allowedHosts', `"${entry}" is not a host name or host:port (e.g. porthole.example.com or 10.0.0.5:3000)`);
  }
  return host;
}

/**
 * Validates a parsed configuration document. `file` names it in messages; relative paths (layout `path`,
 * `caFile`, `dockerConfig`, `auditLog`) are resolved against `baseDir`.
 */
export function checkConfig(input: unknown, file: string, baseDir: string, env: Env = process.env): PortholeConfig {
  // Typed explicitly so that `fail` (returning never) narrows what follows.
  const c: Checker = new Checker(file, baseDir, env);
  const raw = withoutNulls(input);
  const result = configFileSchema.safeParse(raw);
  if (!result.success) c.failIssue(result.error.issues[0]!, raw);
  const doc = result.data;
  const sources = doc.sources.map((item, i) => checkSource(c, item, i, raw, doc.tagCacheSeconds));
  const seen = new Set<string>();
  sources.forEach((source, i) => {
    if (seen.has(source.name)) c.fail(`sources[${i}] ("${source.name}")`, 'name', 'is used by an earlier source');
    seen.add(source.name);
  });
  sources.forEach((source, i) => {
    if (source.kind === 'unify') checkUnify(c, source, sources, describeWhere(['sources', i], raw));
  });
  const auth = checkAuth(c, doc.auth);
  const allowedOrigins = doc.allowedOrigins.map((origin) => checkOrigin(c, origin));
  const allowedHosts = doc.allowedHosts.map((entry) => checkAllowedHost(c, entry));
  const config: PortholeConfig = { sources, allowedOrigins, allowedHosts, origin: file, secrets: [...new Set(c.secrets)] };
  if (doc.publicUrl !== undefined) config.publicUrl = checkPublicUrl(c, doc.publicUrl);
  if (doc.auditLog !== undefined) config.auditLog = c.path(doc.auditLog);
  if (auth) config.auth = auth;
  if (doc.registryServer) config.registryServer = doc.registryServer;
  config.cacheMaxBytes = doc.cacheMaxBytes;
  if (doc.cache?.redis !== undefined) {
    config.cache = { redis: checkRedisUrl(c, doc.cache.redis) };
    config.secrets = [...new Set(c.secrets)];
  }
  return config;
}
