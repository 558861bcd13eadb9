/**
 * The checked configuration as the rest of the server uses it: every default applied, paths absolute,
 * credentials resolved. Plain fields come from the schema's types (`schema.ts`), so a field added there
 * appears here without a second declaration.
 */
import 'server-only';
import type { SourceKind } from '@/lib/api/types';
import type { SourceFile } from './schema';

/** Environment variables (a plain map, so that tests can pass their own). */
export type Env = Record<string, string | undefined>;

/** Credentials for an http source, already resolved (env vars read, Docker config decoded). */
export type ResolvedCredentials = { username: string; password: string } | { token: string };

/** The file fields that are resolved into something else and do not reach {@link SourceConfig} as written. */
export type CredentialField = 'username' | 'password' | 'usernameEnv' | 'passwordEnv' | 'token' | 'tokenEnv' | 'dockerConfig';

/** One source after validation. Holds secrets: never serialise it to a response or a log. */
export interface SourceConfig extends Omit<SourceFile, CredentialField | 'kind' | 'tagCacheSeconds' | 'serve'> {
  kind: SourceKind;
  /** http: base URL, without credentials or trailing slash. */
  url?: string;
  /** Host (`host[:port]`) in pull references of this source; http default: the URL's host. Used by `/open`. */
  host?: string;
  /** layout: absolute directory of the OCI image layout. */
  path?: string;
  credentials?: ResolvedCredentials;
  /** Absolute path of a PEM file with extra CA certificates (http). */
  caFile?: string;
  /** How long a repository's tag → digest mapping is reused, in seconds (default: the top-level value). */
  tagCacheSeconds: number;
  /** `/v2` registry server: `read` (pulls) or `write` (pulls and pushes); absent (`serve: false`) = not served. */
  serve?: 'read' | 'write';
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
  /** Settings of the `/v2` registry server (absent: defaults). */
  registryServer?: RegistryServerConfig;
  /** Bound of the disk cache under `<data dir>/cache` (absent: `DEFAULT_CACHE_MAX_BYTES`; 0: no disk cache). */
  cacheMaxBytes?: number;
  /** Caches shared between replicas (absent: every replica keeps its own). */
  cache?: CacheConfig;
  /** Where the configuration came from: a file path, `REGISTRY_URL` or `demo`. */
  origin: string;
  /** Every secret value of this configuration, for redaction (never serialised). */
  secrets: string[];
}

/** Top-level `cache` settings. */
export interface CacheConfig {
  /** `redis://` or `rediss://` URL of a Redis or Valkey server. May hold a password: it is in `secrets`, never log it. */
  redis?: string;
}

/** Top-level `registryServer` settings. */
export interface RegistryServerConfig {
  /** With app auth configured, reads of `serve: read` sources need no login (default false). */
  anonymousPull: boolean;
}

export interface LoadOptions {
  env?: Env;
  cwd?: string;
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
