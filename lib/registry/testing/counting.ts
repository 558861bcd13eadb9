/**
 * A registry wrapper that counts calls per method and can make one method fail after a number of calls: to
 * prove that a copy re-run sends nothing twice, that mounts are used, and to interrupt work half-way.
 */
import { RegistryError } from '@/lib/oci/errors';
import type { Registry } from '@/lib/registry/registry';

export interface CountingRegistry {
  registry: Registry;
  /** Calls so far, by method name. */
  calls: Map<string, number>;
  /** What each call was about (a digest, a tag, else the repository), by method name. */
  args: Map<string, string[]>;
  /** Makes `method` reject with UNAVAILABLE from its `after`+1-th call on (until cleared with undefined). */
  failAfter(method: keyof Registry, after: number | undefined): void;
}

/** What a call is about: a descriptor's digest, else the first string after the repository, else the repository. */
function keyOf(callArgs: readonly unknown[]): string | undefined {
  for (const a of callArgs) if (a && typeof a === 'object' && typeof (a as { digest?: unknown }).digest === 'string') return (a as { digest: string }).digest;
  const later = callArgs.find((a, i) => i > 0 && typeof a === 'string');
  return typeof later === 'string' ? later : typeof callArgs[0] === 'string' ? callArgs[0] : undefined;
}

export function countingRegistry(inner: Registry): CountingRegistry {
  const calls = new Map<string, number>();
  const args = new Map<string, string[]>();
  const failing = new Map<string, number>();
  const registry = new Proxy(inner, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof property !== 'string' || typeof value !== 'function') return value;
      return (...callArgs: unknown[]) => {
        const count = (calls.get(property) ?? 0) + 1;
        calls.set(property, count);
        const key = keyOf(callArgs);
        if (typeof key === 'string') args.set(property, [...(args.get(property) ?? []), key]);
        const limit = failing.get(property);
        if (limit !== undefined && count > limit) {
          return Promise.reject(new RegistryError('UNAVAILABLE', `${property} failed on purpose (test)`));
        }
        return (value as (...a: unknown[]) => unknown).apply(target, callArgs);
      };
    },
  });
  return {
    registry,
    calls,
    args,
    failAfter(method, after) {
      if (after === undefined) failing.delete(method);
      else failing.set(method, after);
    },
  };
}
