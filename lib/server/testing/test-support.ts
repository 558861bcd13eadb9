/**
 * Helpers for the server's tests (not used by the app): a call-counting registry wrapper and configurations
 * from plain objects. Route handlers are called through `test-api.ts`.
 */
import { fromFuncs } from '@/lib/registry/funcs';
import type { Registry } from '@/lib/registry/registry';
import { checkConfig, type Env, type PortholeConfig } from '../config';

export interface CountedCall {
  method: string;
  args: unknown[];
}

/** Wraps a registry and records every call (method and arguments) it receives. */
export function countCalls(inner: Registry): { registry: Registry; calls: CountedCall[]; count: (method?: string) => number; reset: () => void } {
  const calls: CountedCall[] = [];
  const wrap =
    <K extends keyof Registry>(method: K) =>
    (...args: unknown[]) => {
      calls.push({ method, args });
      return (inner[method] as (...a: unknown[]) => unknown)(...args);
    };
  const registry = fromFuncs({
    resolveTag: wrap('resolveTag') as Registry['resolveTag'],
    resolveManifest: wrap('resolveManifest') as Registry['resolveManifest'],
    resolveBlob: wrap('resolveBlob') as Registry['resolveBlob'],
    getTag: wrap('getTag') as Registry['getTag'],
    getManifest: wrap('getManifest') as Registry['getManifest'],
    getBlob: wrap('getBlob') as Registry['getBlob'],
    listRepositories: wrap('listRepositories') as Registry['listRepositories'],
    listTags: wrap('listTags') as Registry['listTags'],
    listReferrers: wrap('listReferrers') as Registry['listReferrers'],
    pushBlob: wrap('pushBlob') as Registry['pushBlob'],
    mountBlob: wrap('mountBlob') as Registry['mountBlob'],
    pushManifest: wrap('pushManifest') as Registry['pushManifest'],
    deleteTag: wrap('deleteTag') as Registry['deleteTag'],
    deleteManifest: wrap('deleteManifest') as Registry['deleteManifest'],
    deleteBlob: wrap('deleteBlob') as Registry['deleteBlob'],
    capabilities: wrap('capabilities') as Registry['capabilities'],
    close: () => inner.close(),
  });
  return {
    registry,
    calls,
    count: (method) => calls.filter((c) => method === undefined || c.method === method).length,
    reset: () => {
      calls.length = 0;
    },
  };
}

/** A validated configuration from a plain document (as if read from `test.yaml` in `baseDir`). */
export function configOf(doc: Record<string, unknown>, env: Env = {}, baseDir = '/nonexistent'): PortholeConfig {
  return checkConfig(doc, 'test.yaml', baseDir, env);
}
