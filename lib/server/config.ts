/**
 * Porthole's configuration: which registries ("sources") to show, how to reach them, whether deleting is
 * allowed, where the audit log goes and who may delete. See docs/configuration.md for every field.
 *
 * Where it comes from, first match wins:
 * 1. the file named by `PORTHOLE_CONFIG` (JSON for `.json`, YAML otherwise);
 * 2. `porthole.config.yaml`, `porthole.config.yml` or `porthole.config.json` in the working directory;
 * 3. `REGISTRY_URL` (one http source named `registry`, see {@link configFromRegistryUrl});
 * 4. the demo source: a generated OCI layout in `$PORTHOLE_DATA_DIR/demo` (default `data/demo`).
 *
 * Every problem is a {@link ConfigError} naming the file, the source and the field. Credential values are read
 * here (inline, from environment variables or a Docker `config.json`) and never appear in a message.
 */
import 'server-only';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { SourceKind } from '@/lib/api/types';

/** Environment variables (a plain map, so that tests can pass their own). */
export type Env = Record<string, string | undefined>;

/** Credentials for an http source, already resolved (env vars read, Docker config decoded). */
export type ResolvedCredentials = { username: string; password: string } | { token: string };

/** One source after validation. Holds secrets: never serialise it to a response or a log. */
export interface SourceConfig {
  name: string;
  kind: SourceKind;
  /** http: base URL, without credentials. */
  url?: string;
  /** Host (`host[:port]`) in pull references of this source; http default: the URL's host. Used by `/open`. */
  host?: string;
  /** layout: absolute directory of the OCI image layout. */
  path?: string;
  credentials?: ResolvedCredentials;
  /** Absolute path of a PEM file with extra CA certificates (http). */
  caFile?: string;
  insecure: boolean;
  /** Deleting is allowed only with `delete: true`. */
  delete: boolean;
  include?: string[];
  exclude?: string[];
  /** Registry requests in flight at once for this source (default 8). */
  concurrency: number;
  /** How long a repository's tag → digest mapping is reused, in seconds (default: the top-level value). */
  tagCacheSeconds: number;
  /** http: seconds to wait for response headers, and between body chunks (backend default 30 / 60). */
  timeoutSeconds?: number;
  /** http: retries of requests that failed in a way that may pass (429, 502-504, resets; backend default 4). */
  retries?: number;
  /** `/v2` registry server: `read` (pulls) or `write` (pulls and pushes); absent (`serve: false`) = not served. */
  serve?: 'read' | 'write';
  /** Pushing into this source is allowed (`write: true`; default false). Needed by `serve: write`. */
  write?: boolean;
}

/** An app user who may delete when `auth` is configured. */
export interface AuthToken {
  /** Recorded as the user in the audit log. */
  name: string;
  token: string;
}

export interface AuthConfig {
  /** Bearer tokens accepted in `Authorization: Bearer <token>`. */
  tokens: AuthToken[];
  /** Header set by a trusted reverse proxy to the authenticated user's name (lower-cased), e.g. `x-forwarded-user`. */
  proxyUserHeader?: string;
}

export interface PortholeConfig {
  sources: SourceConfig[];
  /** Absolute path of the JSON-lines audit log; without it audit entries go to stdout. */
  auditLog?: string;
  auth?: AuthConfig;
  /** Extra origins (e.g. `https://porthole.example.com`) accepted in `Origin` of state-changing requests. */
  allowedOrigins: string[];
  // --- Where Porthole is reached (DNS-rebinding defence, docs/security.md) ---
  /** The URL users open Porthole at, e.g. `https://porthole.example.com` (normalised to its origin). */
  publicUrl?: string;
  /** Host names (`host` = any port, `host:port`) besides loopback and `publicUrl` that may change registries (lower-cased). */
  allowedHosts: string[];
  /** Where the configuration came from: a file path, `REGISTRY_URL` or `demo`. */
  origin: string;
  /** Every secret value of this configuration, for redaction (never serialised). */
  secrets: string[];
  /** Settings of the `/v2` registry server (absent: defaults). */
  registryServer?: RegistryServerConfig;
}

/** Top-level `registryServer` settings. */
export interface RegistryServerConfig {
  /** With app auth configured, reads of `serve: read` sources need no login (default false). */
  anonymousPull: boolean;
}

/** A configuration problem; `message` names the file, the source and the field, never a secret. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    message: string,
    readonly file: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export const DEFAULT_CONCURRENCY = 8;
export const DEFAULT_TAG_CACHE_SECONDS = 15;
const SOURCE_NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const KINDS: readonly SourceKind[] = ['http', 'layout', 'memory'];
const TOP_FIELDS = ['sources', 'auditLog', 'auth', 'allowedOrigins', 'tagCacheSeconds', 'publicUrl', 'allowedHosts', 'registryServer'];
const SOURCE_FIELDS = [
  'name',
  'kind',
  'url',
  'host',
  'path',
  'username',
  'password',
  'usernameEnv',
  'passwordEnv',
  'token',
  'tokenEnv',
  'dockerConfig',
  'caFile',
  'insecure',
  'delete',
  'include',
  'exclude',
  'concurrency',
  'tagCacheSeconds',
  'timeoutSeconds',
  'retries',
  'serve',
  'write',
];
const AUTH_FIELDS = ['tokens', 'proxyUserHeader'];
const TOKEN_FIELDS = ['name', 'token', 'tokenEnv'];

export interface LoadOptions {
  env?: Env;
  cwd?: string;
}

type Obj = Record<string, unknown>;

function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads and checks one configuration document; `file` is used in messages and to resolve relative paths. */
class Checker {
  readonly secrets: string[] = [];
  constructor(
    readonly file: string,
    readonly baseDir: string,
    readonly env: Env,
  ) {}

  fail(where: string, field: string | undefined, problem: string): never {
    const at = field ? `${where}: field "${field}"` : where;
    throw new ConfigError(`Invalid Porthole configuration in ${this.file}: ${at}: ${problem}`, this.file, field);
  }

  noUnknownFields(obj: Obj, allowed: readonly string[], where: string): void {
    for (const key of Object.keys(obj)) {
      if (!allowed.includes(key)) this.fail(where, key, `unknown field (allowed: ${allowed.join(', ')})`);
    }
  }

  string(obj: Obj, key: string, where: string): string | undefined {
    const value = obj[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string' || value.trim() === '') this.fail(where, key, 'must be a non-empty string');
    return value;
  }

  boolean(obj: Obj, key: string, where: string): boolean | undefined {
    const value = obj[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') this.fail(where, key, 'must be true or false');
    return value;
  }

  integer(obj: Obj, key: string, where: string, min: number, max: number): number | undefined {
    const value = obj[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.fail(where, key, `must be an integer between ${min} and ${max}`);
    }
    return value;
  }

  stringList(obj: Obj, key: string, where: string): string[] | undefined {
    const value = obj[key];
    if (value === undefined || value === null) return undefined;
    const list = typeof value === 'string' ? [value] : value;
    if (!Array.isArray(list) || list.some((item) => typeof item !== 'string' || item === '')) {
      this.fail(where, key, 'must be a list of non-empty strings');
    }
    return list as string[];
  }

  /** A secret from the environment: the variable must be set; its value is recorded for redaction. */
  fromEnv(obj: Obj, key: string, where: string): string | undefined {
    const name = this.string(obj, key, where);
    if (name === undefined) return undefined;
    if (!ENV_NAME.test(name)) this.fail(where, key, 'must be the name of an environment variable');
    const value = this.env[name];
    if (value === undefined || value === '') this.fail(where, key, `environment variable ${name} is not set`);
    return value;
  }

  secret(value: string | undefined): string | undefined {
    if (value) this.secrets.push(value);
    return value;
  }

  path(value: string): string {
    const expanded = value === '~' ? homedir() : value.startsWith('~/') ? join(homedir(), value.slice(2)) : value;
    return isAbsolute(expanded) ? expanded : resolve(this.baseDir, expanded);
  }
}

/** The host (`host[:port]`) of a URL as written in pull references: default ports dropped. */
export function hostOfUrl(url: string): string {
  return new URL(url).host;
}

/** Finds credentials for `host` in the `auths` of a Docker `config.json`. */
function dockerConfigCredentials(c: Checker, file: string, host: string, where: string): ResolvedCredentials {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file does not exist' : 'file is not readable JSON';
    c.fail(where, 'dockerConfig', reason);
  }
  const auths = isObject(parsed) && isObject(parsed.auths) ? parsed.auths : undefined;
  if (!auths) c.fail(where, 'dockerConfig', 'file has no "auths" object');
  // Keys are written by `docker login` as `host`, `https://host` or (Docker Hub) `https://host/v1/`.
  const entry = Object.entries(auths).find(([key]) => {
    const bare = key.replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '');
    return bare.toLowerCase() === host.toLowerCase();
  })?.[1];
  if (!isObject(entry)) c.fail(where, 'dockerConfig', `no entry for host ${host} in "auths"`);
  if (typeof entry.registrytoken === 'string' && entry.registrytoken) {
    return { token: c.secret(entry.registrytoken)! };
  }
  let username = typeof entry.username === 'string' ? entry.username : undefined;
  let password = typeof entry.password === 'string' ? entry.password : undefined;
  if (typeof entry.auth === 'string' && entry.auth) {
    c.secret(entry.auth);
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) c.fail(where, 'dockerConfig', `the "auth" entry for host ${host} is not base64 of user:password`);
    username = decoded.slice(0, colon);
    password = decoded.slice(colon + 1);
  }
  if (!username || !password) {
    c.fail(where, 'dockerConfig', `the entry for host ${host} has no usable credentials (credential helpers and identity tokens are not supported)`);
  }
  c.secret(password);
  return { username, password };
}

function checkCredentials(c: Checker, raw: Obj, where: string, kind: SourceKind, host: string | undefined): ResolvedCredentials | undefined {
  const inlineUser = c.string(raw, 'username', where);
  const inlinePassword = c.secret(c.string(raw, 'password', where));
  const envUser = c.fromEnv(raw, 'usernameEnv', where);
  const envPassword = c.secret(c.fromEnv(raw, 'passwordEnv', where));
  const token = c.secret(c.string(raw, 'token', where));
  const envToken = c.secret(c.fromEnv(raw, 'tokenEnv', where));
  const dockerConfig = c.string(raw, 'dockerConfig', where);

  const username = inlineUser ?? envUser;
  const password = inlinePassword ?? envPassword;
  if (inlineUser !== undefined && envUser !== undefined) c.fail(where, 'usernameEnv', 'set either "username" or "usernameEnv", not both');
  if (inlinePassword !== undefined && envPassword !== undefined) c.fail(where, 'passwordEnv', 'set either "password" or "passwordEnv", not both');
  if (token !== undefined && envToken !== undefined) c.fail(where, 'tokenEnv', 'set either "token" or "tokenEnv", not both');
  const methods = [username !== undefined || password !== undefined, token !== undefined || envToken !== undefined, dockerConfig !== undefined];
  if (methods.filter(Boolean).length > 1) {
    c.fail(where, dockerConfig !== undefined ? 'dockerConfig' : 'token', 'use one kind of credentials: username/password, token, or dockerConfig');
  }
  if (methods.some(Boolean) && kind !== 'http') c.fail(where, 'kind', 'credentials are only used by http sources');
  if (username !== undefined || password !== undefined) {
    if (username === undefined) c.fail(where, 'username', 'a password needs a username (username or usernameEnv)');
    if (password === undefined) c.fail(where, 'password', 'a username needs a password (password or passwordEnv)');
    // The Basic header form, in case an upstream error ever echoes a request header.
    c.secret(Buffer.from(`${username}:${password}`).toString('base64'));
    return { username, password };
  }
  const bearer = token ?? envToken;
  if (bearer !== undefined) return { token: bearer };
  if (dockerConfig !== undefined) return dockerConfigCredentials(c, c.path(dockerConfig), host!, where);
  return undefined;
}

function checkSource(c: Checker, raw: unknown, index: number, defaultTagCache: number): SourceConfig {
  let where = `sources[${index}]`;
  if (!isObject(raw)) c.fail(where, undefined, 'must be an object');
  const name = c.string(raw, 'name', where);
  if (name === undefined) c.fail(where, 'name', 'is required');
  if (!SOURCE_NAME.test(name)) {
    c.fail(where, 'name', 'must be 1-63 characters of lower-case letters, digits, ".", "_" or "-", starting with a letter or digit');
  }
  where = `${where} ("${name}")`;
  c.noUnknownFields(raw, SOURCE_FIELDS, where);
  const kind = c.string(raw, 'kind', where) ?? (raw.url !== undefined ? 'http' : raw.path !== undefined ? 'layout' : undefined);
  if (kind === undefined) c.fail(where, 'kind', 'is required (http, layout or memory)');
  if (!KINDS.includes(kind as SourceKind)) c.fail(where, 'kind', `must be one of ${KINDS.join(', ')}`);
  const sourceKind = kind as SourceKind;

  const source: SourceConfig = {
    name,
    kind: sourceKind,
    insecure: false,
    delete: false,
    concurrency: DEFAULT_CONCURRENCY,
    tagCacheSeconds: defaultTagCache,
  };

  const url = c.string(raw, 'url', where);
  const path = c.string(raw, 'path', where);
  if (sourceKind === 'http') {
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
    source.url = parsed.href.replace(/\/+$/, '');
    source.host = parsed.host;
    if (path !== undefined) c.fail(where, 'path', 'is only used by layout sources');
  } else {
    if (url !== undefined) c.fail(where, 'url', 'is only used by http sources');
    if (sourceKind === 'layout') {
      if (path === undefined) c.fail(where, 'path', 'is required for a layout source');
      source.path = c.path(path);
    } else if (path !== undefined) {
      c.fail(where, 'path', 'is only used by layout sources');
    }
  }
  const host = c.string(raw, 'host', where);
  if (host !== undefined) {
    if (!/^[a-zA-Z0-9.-]+(?::[0-9]+)?$|^\[[0-9a-fA-F:]+\](?::[0-9]+)?$/.test(host)) c.fail(where, 'host', 'must be host or host:port');
    source.host = host.toLowerCase();
  }

  const credentials = checkCredentials(c, raw, where, sourceKind, source.host);
  if (credentials) source.credentials = credentials;

  const caFile = c.string(raw, 'caFile', where);
  if (caFile !== undefined) {
    if (sourceKind !== 'http') c.fail(where, 'caFile', 'is only used by http sources');
    source.caFile = c.path(caFile);
    if (!existsSync(/*turbopackIgnore: true*/ source.caFile)) c.fail(where, 'caFile', 'file does not exist');
  }
  const insecure = c.boolean(raw, 'insecure', where);
  if (insecure !== undefined) {
    if (sourceKind !== 'http' && insecure) c.fail(where, 'insecure', 'is only used by http sources');
    source.insecure = insecure;
  }
  source.delete = c.boolean(raw, 'delete', where) ?? false;
  const include = c.stringList(raw, 'include', where);
  const exclude = c.stringList(raw, 'exclude', where);
  if (include) source.include = include;
  if (exclude) source.exclude = exclude;
  source.concurrency = c.integer(raw, 'concurrency', where, 1, 64) ?? DEFAULT_CONCURRENCY;
  source.tagCacheSeconds = c.integer(raw, 'tagCacheSeconds', where, 0, 86_400) ?? defaultTagCache;
  const timeout = c.integer(raw, 'timeoutSeconds', where, 1, 600);
  const retries = c.integer(raw, 'retries', where, 0, 10);
  if ((timeout !== undefined || retries !== undefined) && sourceKind !== 'http') {
    c.fail(where, timeout !== undefined ? 'timeoutSeconds' : 'retries', 'is only used by http sources');
  }
  if (timeout !== undefined) source.timeoutSeconds = timeout;
  if (retries !== undefined) source.retries = retries;
  checkServing(c, raw, where, source);
  return source;
}

// ---- Registry server (`/v2`) settings: source fields `serve` and `write`, top-level `registryServer`. ----

/** Source fields `serve` (false | "read" | "write", default false) and `write` (boolean, default false). */
function checkServing(c: Checker, raw: Obj, where: string, source: SourceConfig): void {
  const serve = raw.serve;
  if (serve !== undefined && serve !== null && serve !== false && serve !== 'read' && serve !== 'write') {
    c.fail(where, 'serve', 'must be false, "read" or "write"');
  }
  const write = c.boolean(raw, 'write', where) ?? false;
  if (serve === 'write' && !write) c.fail(where, 'serve', '"write" needs write: true on the source');
  if (serve === 'read' || serve === 'write') source.serve = serve;
  if (write) source.write = true;
}

/** Top-level `registryServer: { anonymousPull }`. */
function checkRegistryServer(c: Checker, raw: unknown): RegistryServerConfig | undefined {
  if (raw === undefined || raw === null) return undefined;
  const where = 'registryServer';
  if (!isObject(raw)) c.fail(where, undefined, 'must be an object');
  c.noUnknownFields(raw, ['anonymousPull'], where);
  return { anonymousPull: c.boolean(raw, 'anonymousPull', where) ?? false };
}

// ---- end of registry server settings ----

function checkAuth(c: Checker, raw: unknown): AuthConfig | undefined {
  if (raw === undefined || raw === null) return undefined;
  const where = 'auth';
  if (!isObject(raw)) c.fail(where, undefined, 'must be an object');
  c.noUnknownFields(raw, AUTH_FIELDS, where);
  const tokens: AuthToken[] = [];
  const list = raw.tokens ?? [];
  if (!Array.isArray(list)) c.fail(where, 'tokens', 'must be a list of {name, token | tokenEnv}');
  list.forEach((item: unknown, i) => {
    const at = `auth.tokens[${i}]`;
    if (!isObject(item)) c.fail(at, undefined, 'must be an object {name, token | tokenEnv}');
    c.noUnknownFields(item, TOKEN_FIELDS, at);
    const name = c.string(item, 'name', at);
    if (name === undefined) c.fail(at, 'name', 'is required (it is recorded in the audit log)');
    const inline = c.secret(c.string(item, 'token', at));
    const fromEnv = c.secret(c.fromEnv(item, 'tokenEnv', at));
    if ((inline === undefined) === (fromEnv === undefined)) c.fail(at, 'token', 'set exactly one of "token" or "tokenEnv"');
    const token = (inline ?? fromEnv)!;
    if (token.length < 16) c.fail(at, 'token', 'must be at least 16 characters');
    tokens.push({ name, token });
  });
  const header = c.string(raw, 'proxyUserHeader', where);
  if (header !== undefined && !/^[A-Za-z0-9-]+$/.test(header)) c.fail(where, 'proxyUserHeader', 'must be an HTTP header name');
  if (tokens.length === 0 && header === undefined) c.fail(where, undefined, 'needs "tokens" or "proxyUserHeader"');
  return header === undefined ? { tokens } : { tokens, proxyUserHeader: header.toLowerCase() };
}

// --- publicUrl / allowedHosts: where Porthole is reached (DNS-rebinding defence, docs/security.md) ---
const HOST_ENTRY = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::[0-9]{1,5})?$/;

function checkPublicUrl(c: Checker, raw: Obj): string | undefined {
  const value = c.string(raw, 'publicUrl', 'top level');
  if (value === undefined) return undefined;
  try {
    const url = new URL(value);
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password || url.search || url.hash) throw new Error();
    return url.origin;
  } catch {
    return c.fail('top level', 'publicUrl', `"${value}" is not an http(s) URL like https://porthole.example.com`);
  }
}

function checkAllowedHosts(c: Checker, raw: Obj): string[] {
  return (c.stringList(raw, 'allowedHosts', 'top level') ?? []).map((entry) => {
    const host = entry.trim().toLowerCase().replace(/\.(?=$|:)/, '');
    if (!HOST_ENTRY.test(host)) {
      c.fail('top level', 'allowedHosts', `"${entry}" is not a host name or host:port (e.g. porthole.example.com or 10.0.0.5:3000)`);
    }
    return host;
  });
}

/**
 * Validates a parsed configuration document. `file` names it in messages; relative paths (layout `path`,
 * `caFile`, `dockerConfig`, `auditLog`) are resolved against `baseDir`.
 */
export function checkConfig(raw: unknown, file: string, baseDir: string, env: Env = process.env): PortholeConfig {
  const c: Checker = new Checker(file, baseDir, env);
  if (!isObject(raw)) c.fail('top level', undefined, 'must be an object with a "sources" list');
  c.noUnknownFields(raw, TOP_FIELDS, 'top level');
  const tagCache = c.integer(raw, 'tagCacheSeconds', 'top level', 0, 86_400) ?? DEFAULT_TAG_CACHE_SECONDS;
  if (!Array.isArray(raw.sources) || raw.sources.length === 0) c.fail('top level', 'sources', 'must be a non-empty list');
  const sources = raw.sources.map((item: unknown, i: number) => checkSource(c, item, i, tagCache));
  const seen = new Set<string>();
  sources.forEach((source, i) => {
    if (seen.has(source.name)) c.fail(`sources[${i}] ("${source.name}")`, 'name', 'is used by an earlier source');
    seen.add(source.name);
  });
  const auditLog = c.string(raw, 'auditLog', 'top level');
  const auth = checkAuth(c, raw.auth);
  const allowedOrigins = (c.stringList(raw, 'allowedOrigins', 'top level') ?? []).map((origin) => {
    try {
      const url = new URL(origin);
      if (url.origin === 'null' || url.pathname !== '/' || url.search) throw new Error();
      return url.origin;
    } catch {
      return c.fail('top level', 'allowedOrigins', `"${origin}" is not an origin like https://porthole.example.com`);
    }
  });
  const publicUrl = checkPublicUrl(c, raw);
  const allowedHosts = checkAllowedHosts(c, raw);
  const config: PortholeConfig = { sources, allowedOrigins, allowedHosts, origin: file, secrets: [...new Set(c.secrets)] };
  if (publicUrl !== undefined) config.publicUrl = publicUrl;
  if (auditLog !== undefined) config.auditLog = c.path(auditLog);
  if (auth) config.auth = auth;
  const registryServer = checkRegistryServer(c, raw.registryServer);
  if (registryServer) config.registryServer = registryServer;
  return config;
}

/** Parses configuration text: JSON when the file name ends in `.json`, YAML otherwise. */
export function parseConfigText(text: string, file: string, baseDir: string, env: Env = process.env): PortholeConfig {
  let raw: unknown;
  try {
    raw = file.toLowerCase().endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    // YAML/JSON parser messages quote a line of the file, which may hold a secret: keep only the position.
    const position = /line (\d+)|position (\d+)/i.exec((error as Error).message)?.[0];
    throw new ConfigError(`Invalid Porthole configuration in ${file}: not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}${position ? ` (${position})` : ''}`, file);
  }
  return checkConfig(raw, file, baseDir, env);
}

/** The data directory: `PORTHOLE_DATA_DIR`, else `data` in the working directory. */
export function dataDir(options: LoadOptions = {}): string {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  return resolve(cwd, env.PORTHOLE_DATA_DIR || 'data');
}

/**
 * The demo source used when nothing is configured: a generated OCI layout. It allows deleting because it is a
 * sandbox that is regenerated when missing (remove the directory to get a fresh copy).
 */
export function demoConfig(options: LoadOptions = {}): PortholeConfig {
  return {
    sources: [
      {
        name: 'demo',
        kind: 'layout',
        path: join(dataDir(options), 'demo'),
        insecure: false,
        delete: true,
        concurrency: DEFAULT_CONCURRENCY,
        tagCacheSeconds: DEFAULT_TAG_CACHE_SECONDS,
        // Pullable through /v2 (docker pull localhost:3000/demo/platform/api:1.6.0): the demo is public sample content.
        serve: 'read',
      },
    ],
    allowedOrigins: [],
    allowedHosts: [],
    origin: 'demo',
    secrets: [],
  };
}

/**
 * One http source from the environment: `REGISTRY_URL`, optional `REGISTRY_USERNAME`/`REGISTRY_PASSWORD` or
 * `REGISTRY_TOKEN`, `REGISTRY_DELETE=true`, `REGISTRY_INSECURE=true`, `REGISTRY_CA_FILE`, `PORTHOLE_AUDIT_LOG`.
 */
export function configFromRegistryUrl(env: Env, cwd: string): PortholeConfig {
  const raw: Obj = { name: 'registry', kind: 'http', url: env.REGISTRY_URL };
  if (env.REGISTRY_USERNAME || env.REGISTRY_PASSWORD) Object.assign(raw, { usernameEnv: 'REGISTRY_USERNAME', passwordEnv: 'REGISTRY_PASSWORD' });
  if (env.REGISTRY_TOKEN) raw.tokenEnv = 'REGISTRY_TOKEN';
  if (env.REGISTRY_DELETE) raw.delete = env.REGISTRY_DELETE === 'true';
  if (env.REGISTRY_INSECURE) raw.insecure = env.REGISTRY_INSECURE === 'true';
  if (env.REGISTRY_CA_FILE) raw.caFile = env.REGISTRY_CA_FILE;
  const doc: Obj = { sources: [raw] };
  if (env.PORTHOLE_AUDIT_LOG) doc.auditLog = env.PORTHOLE_AUDIT_LOG;
  return checkConfig(doc, 'REGISTRY_URL (environment)', cwd, env);
}

const DEFAULT_FILES = ['porthole.config.yaml', 'porthole.config.yml', 'porthole.config.json'];

/** Loads the configuration as described in the module comment. Throws {@link ConfigError}. */
export function loadConfig(options: LoadOptions = {}): PortholeConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  let file = env.PORTHOLE_CONFIG ? resolve(cwd, env.PORTHOLE_CONFIG) : undefined;
  if (file && !existsSync(file)) {
    throw new ConfigError(`Porthole configuration file ${file} (PORTHOLE_CONFIG) does not exist`, file);
  }
  // Runtime paths chosen by the operator: keep the bundler from tracing the project for them.
  file ??= DEFAULT_FILES.map((name) => join(/*turbopackIgnore: true*/ cwd, name)).find((candidate) => existsSync(/*turbopackIgnore: true*/ candidate));
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      throw new ConfigError(`Porthole configuration file ${file} is not readable`, file);
    }
    return parseConfigText(text, file, dirname(file), env);
  }
  if (env.REGISTRY_URL) return configFromRegistryUrl(env, cwd);
  return demoConfig({ env, cwd });
}
