/**
 * The configured sources, each built once per process: a `Registry` from its backend (http, layout, memory,
 * or `unify` over other sources),
 * narrowed by `select` when it has include/exclude patterns and wrapped in `readOnly` unless it says
 * `delete: true`; a bounded-concurrency pool; and its caches.
 *
 * State lives on `globalThis` so that every route bundle of the Next.js server shares one set of registries
 * and caches. Tests replace the configuration with {@link setConfigForTests} and clean up with
 * {@link resetSources}.
 */
import 'server-only';
import { homedir } from 'node:os';
import { cwd } from 'node:process';
import type { SourceSummary } from '@/lib/api/types';
import { RegistryError } from '@/lib/oci/errors';
import { readOnly, select } from '@/lib/registry/filter';
import { noDeletes } from '@/lib/registry/filter/read-only';
import { unify } from '@/lib/registry/filter/unify';
import { cachedContent } from '@/lib/registry/cache/cached-registry';
import type { ContentStore } from '@/lib/registry/cache/content-store';
import { createHttpRegistry } from '@/lib/registry/http';
import { createLayoutRegistry } from '@/lib/registry/layout';
import { Limiter } from '@/lib/registry/limiter';
import { createMemoryRegistry } from '@/lib/registry/memory';
import type { Registry } from '@/lib/registry/registry';
import { SourceCache } from './cache';
import { loadConfig, type PortholeConfig, type SourceConfig } from './config';
import { contentStore } from './content-cache/store';
import { sharedScope } from './redis/shared-scope';
import { MAX_CONFIG_BYTES } from './details';
import { setRedactions } from './respond';
import { shapeSource } from './shape';
import { poolLimit } from './source-concurrency';

export interface Source {
  name: string;
  /** The validated configuration. Holds credentials: never put it in a response or a log line. */
  config: SourceConfig;
  /** What the API shows about the source. */
  summary: SourceSummary;
  /** The backend, filtered and (unless `delete: true`) read-only. */
  registry: Registry;
  /** The unwrapped backend, for what only it answers (an http source's `ping`). Never write through it. */
  backend: Registry;
  /** Every detail request of this source runs through this pool (`run`: at most `poolLimit` at once, source-concurrency.ts). */
  pool: Limiter;
  cache: SourceCache;
}

interface State {
  config: PortholeConfig;
  sources: Source[];
  byName: Map<string, Source>;
}

interface Holder {
  state?: Promise<State>;
  /** Configuration and pre-built registries set by tests. */
  override?: { config: PortholeConfig; registries: Record<string, Registry> };
}

const KEY = Symbol.for('porthole.server.sources');
const holder: Holder = ((globalThis as Record<symbol, unknown>)[KEY] as Holder | undefined) ?? {};
(globalThis as Record<symbol, unknown>)[KEY] = holder;

function baseRegistry(config: SourceConfig, prebuilt: Registry | undefined): Registry {
  if (prebuilt) return prebuilt;
  switch (config.kind) {
    case 'unify':
      throw new Error(`unify source "${config.name}" is built from its members (buildSources)`);
    case 'memory':
      return createMemoryRegistry();
    case 'layout':
      return createLayoutRegistry(config.path!);
    case 'http':
      return createHttpRegistry({
        url: config.url!,
        name: config.name,
        ...(config.credentials ? { credentials: config.credentials } : {}),
        ...(config.caFile ? { caFile: config.caFile } : {}),
        insecure: config.insecure,
        concurrency: config.concurrency,
        ...(config.maxConcurrency !== undefined ? { maxConcurrency: config.maxConcurrency } : {}),
        ...(config.timeoutSeconds ? { timeouts: { headers: config.timeoutSeconds * 1000, body: config.timeoutSeconds * 1000, total: config.timeoutSeconds * 1000 } } : {}),
        ...(config.retries !== undefined ? { retries: config.retries } : {}),
      });
  }
}

/**
 * Builds one source: backend, then the content store in front of it (http sources built here, when a store is
 * given: content addressed by digest is read from memory or disk before the registry), then `select`
 * (patterns), then `readOnly` (unless `delete: true`; `noDeletes` with `write: true`).
 */
export function buildSource(config: SourceConfig, prebuilt?: Registry, store?: ContentStore): Source {
  const backend = baseRegistry(config, prebuilt);
  let registry = backend;
  if (store && config.kind === 'http' && !prebuilt) {
    registry = cachedContent(registry, store, { maxBlobBytes: MAX_CONFIG_BYTES, scope: sharedScope({ config }) ?? config.name });
  }
  if (config.include?.length || config.exclude?.length) {
    registry = select(registry, { include: config.include ?? [], exclude: config.exclude ?? [] });
  }
  if (!config.delete) registry = config.write ? noDeletes(registry) : readOnly(registry);
  return {
    name: config.name,
    config,
    summary: shapeSource(config),
    registry,
    backend,
    pool: new Limiter(poolLimit(config)),
    cache: new SourceCache(config.tagCacheSeconds * 1000),
  };
}

/**
 * Builds every source in configuration order: first the backends, then each `kind: unify` source over its
 * members' registries (as the members are configured: filtered, read-only unless they allow more), under its
 * own `include`/`exclude` and `delete`/`write` settings. The members stay sources of their own; closing a
 * unified source leaves them open (they are closed as themselves).
 */
export function buildSources(configs: readonly SourceConfig[], prebuilt: Record<string, Registry> = {}, store?: ContentStore): Source[] {
  const built = new Map<string, Source>();
  for (const config of configs) if (config.kind !== 'unify') built.set(config.name, buildSource(config, prebuilt[config.name], store));
  for (const config of configs) {
    if (config.kind !== 'unify') continue;
    const members = (config.sources ?? []).map((name) => {
      const member = built.get(name)!.registry;
      return { ...member, close: () => Promise.resolve() };
    });
    built.set(config.name, buildSource(config, unify(members)));
  }
  return configs.map((config) => built.get(config.name)!);
}

function registerRedactions(config: PortholeConfig): void {
  const list: { value: string; replacement: string; path?: boolean }[] = config.secrets.map((value) => ({ value, replacement: '[redacted]' }));
  for (const source of config.sources) {
    if (source.path) list.push({ value: source.path, replacement: `<${source.name}>`, path: true });
    if (source.caFile) list.push({ value: source.caFile, replacement: '<caFile>', path: true });
  }
  if (config.auditLog) list.push({ value: config.auditLog, replacement: '<auditLog>', path: true });
  list.push({ value: cwd(), replacement: '.', path: true });
  // Stack traces of code outside the working directory (npm's cache, a global install) would name the user.
  list.push({ value: homedir(), replacement: '~', path: true });
  setRedactions(list);
}

async function build(): Promise<State> {
  const override = holder.override;
  const config = override?.config ?? loadConfig();
  registerRedactions(config);
  if (config.origin === 'demo') {
    const path = config.sources[0]!.path!;
    // The demo layout is generated on first use (and again when its directory was removed).
    const { ensureDemoLayout } = await import('@/lib/demo/ensure');
    await ensureDemoLayout(path);
  }
  const sources = buildSources(config.sources, override?.registries ?? {}, contentStore(config));
  return { config, sources, byName: new Map(sources.map((s) => [s.name, s])) };
}

function state(): Promise<State> {
  if (!holder.state) {
    const pending = build();
    holder.state = pending;
    // A failed start (bad configuration) is retried on the next request rather than cached forever.
    pending.catch(() => {
      if (holder.state === pending) delete holder.state;
    });
  }
  return holder.state;
}

/** The validated configuration (loads it on first use). Throws ConfigError. */
export async function getConfig(): Promise<PortholeConfig> {
  return (await state()).config;
}

/** Every source, in configuration order. */
export async function getSources(): Promise<Source[]> {
  return (await state()).sources;
}

/** One source by name. Throws NAME_UNKNOWN (404) for a name that is not configured. */
export async function getSource(name: string): Promise<Source> {
  const source = (await state()).byName.get(name);
  if (!source) {
    throw new RegistryError('NAME_UNKNOWN', `source "${name.slice(0, 64)}" is not configured`, { detail: { source: name.slice(0, 64) } });
  }
  return source;
}

/** Closes every registry and forgets the state; the next call loads the configuration again. */
export async function resetSources(): Promise<void> {
  const pending = holder.state;
  delete holder.state;
  if (!pending) return;
  try {
    const current = await pending;
    await Promise.all(current.sources.map((s) => s.registry.close().catch(() => undefined)));
  } catch {
    // A state that failed to build has nothing to close.
  }
}

/**
 * Test seam: use `config` (from `checkConfig`/`parseConfigText`) instead of loading one, with optional
 * pre-built registries by source name (e.g. a seeded memory registry). `null` restores normal loading.
 */
export async function setConfigForTests(config: PortholeConfig | null, registries: Record<string, Registry> = {}): Promise<void> {
  await resetSources();
  if (config) holder.override = { config, registries };
  else delete holder.override;
}
