/**
 * Where the configuration comes from, first match wins:
 * 1. the file named by `PORTHOLE_CONFIG` (JSON for `.json`, YAML otherwise);
 * 2. `porthole.config.yaml`, `porthole.config.yml` or `porthole.config.json` in the working directory;
 * 3. `REGISTRY_URL` (one http source named `registry`, see {@link configFromRegistryUrl});
 * 4. the demo source: a generated OCI layout in `$PORTHOLE_DATA_DIR/demo` (default `data/demo`).
 */
import 'server-only';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { checkConfig } from './check';
import { DEFAULT_CONCURRENCY, DEFAULT_TAG_CACHE_SECONDS } from './schema';
import { ConfigError, type Env, type LoadOptions, type PortholeConfig } from './types';

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
        write: false,
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
  const raw: Record<string, unknown> = { name: 'registry', kind: 'http', url: env.REGISTRY_URL };
  if (env.REGISTRY_USERNAME || env.REGISTRY_PASSWORD) Object.assign(raw, { usernameEnv: 'REGISTRY_USERNAME', passwordEnv: 'REGISTRY_PASSWORD' });
  if (env.REGISTRY_TOKEN) raw.tokenEnv = 'REGISTRY_TOKEN';
  if (env.REGISTRY_DELETE) raw.delete = env.REGISTRY_DELETE === 'true';
  if (env.REGISTRY_INSECURE) raw.insecure = env.REGISTRY_INSECURE === 'true';
  if (env.REGISTRY_CA_FILE) raw.caFile = env.REGISTRY_CA_FILE;
  const doc: Record<string, unknown> = { sources: [raw] };
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
