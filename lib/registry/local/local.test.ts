import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { expectRegistryError } from '@/lib/registry/testing/contract';
import { consumeVerified, readVerified, resolveRange } from './content';
import { inspectPushedManifest, referrerDescriptor } from './manifest-info';
import { KeyedMutex } from '@/lib/registry/mutex';

const bytes = new TextEncoder().encode('some content');
const sha256 = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
const sha512 = `sha512:${createHash('sha512').update(bytes).digest('hex')}`;

function streamOfChunks(chunks: Uint8Array[]): { stream: ReadableStream<Uint8Array>; pulled: () => number } {
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = chunks[pulled++];
      if (next) controller.enqueue(next);
      else controller.close();
    },
  });
  return { stream, pulled: () => pulled };
}

describe('consumeVerified / readVerified', () => {
  it('accepts sha256 and sha512 content', async () => {
    expect(await readVerified(bytes, { digest: sha256, size: bytes.byteLength })).toEqual(bytes);
    expect(await readVerified(bytes, { digest: sha512, size: bytes.byteLength })).toEqual(bytes);
  });

  it('stops reading as soon as the body is larger than declared', async () => {
    const chunk = new Uint8Array(10);
    const { stream, pulled } = streamOfChunks(Array.from({ length: 100 }, () => chunk));
    await expectRegistryError(() => consumeVerified(stream, { digest: sha256, size: 15 }, () => undefined), 'SIZE_INVALID');
    expect(pulled()).toBeLessThan(5);
  });

  it('refuses algorithms it cannot hash with DIGEST_INVALID', async () => {
    await expectRegistryError(() => readVerified(bytes, { digest: `sha384:${'a'.repeat(96)}`, size: bytes.byteLength }), 'DIGEST_INVALID');
  });
});

describe('resolveRange', () => {
  it('clips the end and refuses unsatisfiable ranges', async () => {
    expect(resolveRange({ start: 0 }, 10)).toEqual({ start: 0, end: 9 });
    expect(resolveRange({ start: 3, end: 3 }, 10)).toEqual({ start: 3, end: 3 });
    expect(resolveRange({ start: 3, end: 99 }, 10)).toEqual({ start: 3, end: 9 });
    for (const range of [{ start: -1 }, { start: 1.5 }, { start: 10 }, { start: 4, end: 3 }, { start: 0, end: Number.NaN }]) {
      await expectRegistryError(async () => resolveRange(range, 10), 'RANGE_INVALID');
    }
    await expectRegistryError(async () => resolveRange({ start: 0 }, 0), 'RANGE_INVALID');
  });
});

describe('manifest inspection', () => {
  it('takes artifactType from the manifest, else from the config of an image manifest', () => {
    const base = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: sha256, size: 1 };
    expect(referrerDescriptor(base, { artifactType: 'a/b', config: { mediaType: 'c/d' }, annotations: { k: 'v' } })).toEqual({ ...base, artifactType: 'a/b', annotations: { k: 'v' } });
    expect(referrerDescriptor(base, { config: { mediaType: 'application/vnd.oci.image.config.v1+json' } })).toEqual({
      ...base,
      artifactType: 'application/vnd.oci.image.config.v1+json',
    });
    expect(referrerDescriptor(base, { manifests: [], annotations: {} })).toEqual(base);
  });

  it('refuses non-manifest media types before parsing', async () => {
    await expectRegistryError(async () => inspectPushedManifest(bytes, 'application/json'), 'MANIFEST_INVALID');
  });
});

describe('KeyedMutex', () => {
  it('serialises tasks per key, runs other keys concurrently and survives failures', async () => {
    const mutex = new KeyedMutex();
    const log: string[] = [];
    const task = (name: string, ms: number, fail = false) => async () => {
      log.push(`start ${name}`);
      await new Promise((resolve) => setTimeout(resolve, ms));
      log.push(`end ${name}`);
      if (fail) throw new Error(name);
      return name;
    };
    const results = await Promise.allSettled([
      mutex.run('a', task('a1', 20, true)),
      mutex.run('a', task('a2', 1)),
      mutex.run('b', task('b1', 5)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    expect(log.indexOf('end a1')).toBeLessThan(log.indexOf('start a2'));
    expect(log.indexOf('start b1')).toBeLessThan(log.indexOf('end a1'));
  });
});
