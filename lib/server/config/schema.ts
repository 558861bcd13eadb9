/**
 * The configuration file (`porthole.config.yaml`/`.json`), declared once. From this one declaration come:
 * the TypeScript type of a checked document ({@link ConfigFile}), the unknown-field check (every object is
 * strict), the defaults, the per-field messages of {@link ConfigError}s, and the published JSON Schema
 * (`docs/porthole.config.schema.json`, see `json-schema.ts`).
 *
 * Rules that need more than one field or the outside world (the kind inferred from `url`/`path`, fields only
 * http sources use, credentials from the environment or a Docker config, files that must exist, duplicate
 * names) are checked after this schema, in `check.ts`, with the same message form.
 *
 * To add a field: add it here (with its message and TSDoc-style description), then, if it needs resolving
 * (a path, a secret), handle it in `check.ts`; plain source fields reach `SourceConfig` (`types.ts`) unchanged.
 */
import 'server-only';
import { z } from 'zod';
import type { SourceKind } from '@/lib/api/types';
import { isValidRepository } from '@/lib/oci/reference';
import { DEFAULT_MAX_CONCURRENCY } from '@/lib/registry/http/options';

/** Sources adapt their registry concurrency unless they fix a number (lib/registry/http/transport/concurrency-law.ts). */
export const DEFAULT_CONCURRENCY = 'auto';
/** Requests in flight for a source with `concurrency: auto` that is not an http source (layout, memory, unify). */
export const FIXED_CONCURRENCY_OF_AUTO = 8;
export { DEFAULT_MAX_CONCURRENCY };
export const DEFAULT_TAG_CACHE_SECONDS = 15;
/** Default bound of the disk cache of content addressed by digest (`cacheMaxBytes`): 1 GiB. */
export const DEFAULT_CACHE_MAX_BYTES = 1024 ** 3;

export const SOURCE_NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const HOST = /^[a-zA-Z0-9.-]+(?::[0-9]+)?$|^\[[0-9a-fA-F:]+\](?::[0-9]+)?$/;
const HEADER = /^[A-Za-z0-9-]+$/;

/** Issue → message for a field that is missing or has the wrong type. */
function requiredOr(problem: string, required = 'is required') {
  return (issue: { input?: unknown }) => (issue.input === undefined ? required : problem);
}

/** A non-empty string (blank counts as empty). */
function text(required = 'is required') {
  const problem = 'must be a non-empty string';
  return z
    .string({ error: requiredOr(problem, required) })
    .min(1, { error: problem })
    .refine((value) => value.trim() !== '', { error: problem });
}

/** A whole number in [min, max]. */
function integer(min: number, max: number, problem = `must be an integer between ${min} and ${max}`) {
  return z.int({ error: problem }).min(min, { error: problem }).max(max, { error: problem });
}

function flag() {
  return z.boolean({ error: 'must be true or false' });
}

/** The name of an environment variable that holds a secret. */
function envName() {
  return text().regex(ENV_NAME, { error: 'must be the name of an environment variable' });
}

/** One string or a list of them; always a list after checking. */
function stringList() {
  const problem = 'must be a list of non-empty strings';
  const item = z.string({ error: problem }).min(1, { error: problem });
  return z.union([item, z.array(item, { error: problem })], { error: problem }).transform((value) => (typeof value === 'string' ? [value] : value));
}

/** A strict object: an unknown field is named, with the allowed ones. */
function strict<Shape extends z.ZodRawShape>(shape: Shape, problem: string) {
  const allowed = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown field (allowed: ${allowed})` : problem),
  });
}

const CONCURRENCY_PROBLEM = 'must be "auto" or an integer between 1 and 64';

export const KINDS = ['http', 'layout', 'memory', 'unify'] as const satisfies readonly SourceKind[];

const sourceSchema = strict(
  {
    name: text().regex(SOURCE_NAME, {
      error: 'must be 1-63 characters of lower-case letters, digits, ".", "_" or "-", starting with a letter or digit',
    }).describe('Name of the source, used in URLs (/s/{name}) and the API.'),
    kind: z.enum(KINDS, { error: `must be one of ${KINDS.join(', ')}` }).optional()
      .describe('http (a registry), layout (an OCI image layout directory), memory, or unify (several sources seen as one); default: http with url, layout with path, unify with sources.'),
    url: text().optional().describe('http: base URL of the registry, http:// or https://, without credentials.'),
    host: text().regex(HOST, { error: 'must be host or host:port' }).optional()
      .describe('Host (host[:port]) in pull references; http default: the host of url.'),
    path: text().optional().describe('layout: directory of the OCI image layout (relative to this file).'),
    username: text().optional().describe('http: user for Basic auth or token exchange.'),
    password: text().optional().describe('http: password (prefer passwordEnv).'),
    usernameEnv: envName().optional().describe('http: environment variable holding the user.'),
    passwordEnv: envName().optional().describe('http: environment variable holding the password.'),
    token: text().optional().describe('http: a bearer token (prefer tokenEnv).'),
    tokenEnv: envName().optional().describe('http: environment variable holding a bearer token.'),
    dockerConfig: text().optional().describe('http: a Docker config.json whose "auths" entry for the host is used.'),
    caFile: text().optional().describe('http: PEM file with extra CA certificates (relative to this file).'),
    insecure: flag().default(false).describe('http: skip TLS certificate checks.'),
    delete: flag().default(false).describe('Allow deleting tags and manifests through Porthole.'),
    include: stringList().optional().describe('Repository patterns that are visible (*, **, ?); default all.'),
    exclude: stringList().optional().describe('Repository patterns that are hidden; wins over include.'),
    repositories: z
      .array(
        z.string({ error: 'must be a list of repository names' }).refine(isValidRepository, {
          error: 'must be a repository name (lower-case path components such as library/nginx)',
        }),
        { error: 'must be a list of repository names' },
      )
      .optional()
      .describe('Repositories to offer on the catalog page when the registry has no catalog (Docker Hub, GHCR, ECR).'),
    concurrency: z
      .union([z.literal('auto'), integer(1, 64, CONCURRENCY_PROBLEM)], { error: CONCURRENCY_PROBLEM })
      .default(DEFAULT_CONCURRENCY)
      .describe('Registry requests in flight at once: "auto" adapts to what the registry takes (http; other kinds: 8), a number fixes it.'),
    maxConcurrency: integer(2, 256).optional()
      .describe('http with concurrency "auto": the highest number of requests in flight; default 64.'),
    tagCacheSeconds: integer(0, 86_400).optional().describe('Seconds a tag → digest mapping is reused; default: the top-level value.'),
    catalogCacheSeconds: integer(0, 86_400).optional()
      .describe('Seconds the kept list of repositories is answered before it is read again in the background; 0 reads it on every view. Default 60.'),
    timeoutSeconds: integer(1, 600).optional().describe('http: seconds to wait for headers and between body chunks.'),
    retries: integer(0, 10).optional().describe('http: retries of requests that may pass on a retry (429, 502-504, resets).'),
    serve: z
      .union([z.literal(false), z.literal('read'), z.literal('write')], { error: 'must be false, "read" or "write"' })
      .default(false)
      .describe('Serve this source through the /v2 registry API as <name>/<repo>: false, read (pulls) or write (pulls and pushes; needs write: true).'),
    write: flag().default(false).describe('Allow pushing into this source (needed by serve: write and to be the destination of a copy).'),
    sources: stringList().optional()
      .describe('unify: names of the member sources (http, layout or memory), in the order reads try them.'),
  },
  'must be an object',
);

const registryServerSchema = strict(
  {
    anonymousPull: flag().default(false).describe('With auth configured, pulls from serve: read sources need no login.'),
  },
  'must be an object',
);

const tokenSchema = strict(
  {
    name: text('is required (it is recorded in the audit log)').describe('User name recorded in the audit log.'),
    token: text().optional().describe('The bearer token (at least 16 characters; prefer tokenEnv).'),
    tokenEnv: envName().optional().describe('Environment variable holding the bearer token.'),
  },
  'must be an object {name, token | tokenEnv}',
);

const authSchema = strict(
  {
    tokens: z.array(tokenSchema, { error: 'must be a list of {name, token | tokenEnv}' }).default([])
      .describe('Bearer tokens accepted in Authorization: Bearer <token>.'),
    proxyUserHeader: text().regex(HEADER, { error: 'must be an HTTP header name' }).optional()
      .describe('Header a trusted reverse proxy sets to the authenticated user.'),
  },
  'must be an object',
);

const cacheSchema = strict(
  {
    redis: text().optional()
      .describe('Shared cache and cross-replica locks: a redis:// or rediss:// URL of Redis or Valkey, e.g. redis://redis.internal:6379/0.'),
  },
  'must be an object like {redis: "redis://host:6379"}',
);

export const configFileSchema = strict(
  {
    $schema: z.string({ error: 'must be a string' }).optional().describe('The JSON Schema of this file, for editors; ignored by Porthole.'),
    sources: z.array(sourceSchema, { error: 'must be a non-empty list' }).min(1, { error: 'must be a non-empty list' })
      .describe('The registries to show.'),
    auditLog: text().optional().describe('JSON-lines audit log file (relative to this file); default stdout.'),
    auth: authSchema.optional().describe('Who may delete: app tokens and/or a trusted proxy header.'),
    allowedOrigins: stringList().default([]).describe('Extra origins accepted for non-GET requests, like https://porthole.example.com.'),
    tagCacheSeconds: integer(0, 86_400).default(DEFAULT_TAG_CACHE_SECONDS).describe('Default of every source\'s tagCacheSeconds.'),
    publicUrl: text().optional().describe('The URL people open Porthole at, e.g. https://porthole.example.com; its host may change registries.'),
    allowedHosts: stringList().default([]).describe('Further host or host:port names Porthole is reached at that may change registries.'),
    registryServer: registryServerSchema.optional().describe('Settings of the /v2 registry server.'),
    cacheMaxBytes: integer(0, 1024 ** 4).default(DEFAULT_CACHE_MAX_BYTES)
      .describe('Bytes the disk cache of manifests, configs and layer tables of contents may use under the data directory (cache/); 0 turns it off. Default 1 GiB.'),
    cache: cacheSchema.optional().describe('Caches shared between replicas (docs/operations.md).'),
  },
  'must be an object with a "sources" list',
);

/** A configuration document after the schema (defaults applied, lists normalised), before resolving. */
export type ConfigFile = z.output<typeof configFileSchema>;
/** One source as written in the file, after the schema. */
export type SourceFile = z.output<typeof sourceSchema>;
