import { describe, expect, it } from 'vitest';
import { isRegistryError } from '@/lib/oci/errors';
import { fromFuncs, unsupported } from './funcs';
import { collect } from './iter';
import type { Registry } from './registry';

const D = `sha256:${'a'.repeat(64)}`;
const METHODS: (keyof Registry)[] = [
  'capabilities',
  'close',
  'deleteBlob',
  'deleteManifest',
  'deleteTag',
  'getBlob',
  'getManifest',
  'getTag',
  'listReferrers',
  'listRepositories',
  'listTags',
  'mountBlob',
  'pushBlob',
  'pushManifest',
  'resolveBlob',
  'resolveManifest',
  'resolveTag',
];

describe('fromFuncs', () => {
  it('has exactly the Registry methods, whatever funcs holds', () => {
    const registry = fromFuncs({ extra: () => 1 } as unknown as Partial<Registry>);
    expect(Object.keys(registry).sort()).toEqual(METHODS);
  });

  it('rejects every missing promise method with UNSUPPORTED naming it', async () => {
    const registry = fromFuncs({});
    await expect(registry.resolveTag('a', 'b')).rejects.toMatchObject({ code: 'UNSUPPORTED', message: 'resolveTag is not supported by this registry' });
    await expect(registry.getBlob('a', D)).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    await expect(registry.pushManifest('a', new Uint8Array(), 'x')).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    await expect(registry.deleteTag('a', 'b')).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    await expect(registry.capabilities()).rejects.toMatchObject({ code: 'UNSUPPORTED', status: 405 });
    await expect(registry.close()).resolves.toBeUndefined();
  });

  it('returns lists that fail with UNSUPPORTED on the first next(), not when created', async () => {
    const registry = fromFuncs({});
    const list = registry.listTags('a');
    const iterator = list[Symbol.asyncIterator]();
    await expect(iterator.next()).rejects.toMatchObject({ code: 'UNSUPPORTED', message: 'listTags is not supported by this registry' });
    await expect(collect(registry.listRepositories())).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    await expect(collect(registry.listReferrers('a', D))).rejects.toMatchObject({ code: 'UNSUPPORTED' });
  });

  it('calls given methods with their arguments and funcs as this', async () => {
    const funcs = {
      prefix: 'tag:',
      async resolveTag(this: { prefix: string }, repo: string, tag: string) {
        return { mediaType: 'x', digest: D, size: repo.length, annotations: { t: this.prefix + tag } };
      },
      async *listTags(repo: string) {
        yield `${repo}-1`;
        yield `${repo}-2`;
      },
    };
    const registry = fromFuncs(funcs as Partial<Registry>);
    expect(await registry.resolveTag('abc', 'v1')).toEqual({ mediaType: 'x', digest: D, size: 3, annotations: { t: 'tag:v1' } });
    expect(await collect(registry.listTags('r'))).toEqual(['r-1', 'r-2']);
  });

  it('turns synchronous throws into rejections and failing lists', async () => {
    const error = unsupported('x');
    const registry = fromFuncs({
      resolveTag: () => {
        throw error;
      },
      listTags: () => {
        throw error;
      },
    });
    await expect(registry.resolveTag('a', 'b')).rejects.toBe(error);
    const list = registry.listTags('a');
    await expect(collect(list)).rejects.toBe(error);
    expect(isRegistryError(error, 'UNSUPPORTED')).toBe(true);
  });
});
