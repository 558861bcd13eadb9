import { describe, expect, it } from 'vitest';
import { createMemoryRegistry } from '@/lib/registry/memory';
import { image, pushBuilt } from '@/lib/registry/testing/build';
import { expectRegistryError } from '@/lib/registry/testing/contract';
import { noDeletes } from './read-only';

describe('noDeletes', () => {
  it('lets pushes and reads through and refuses every delete with DENIED', async () => {
    const inner = createMemoryRegistry();
    const registry = noDeletes(inner);
    const built = image({ seed: 'no-deletes' });
    const pushed = await pushBuilt(registry, 'team/app', built, { tag: 'v1' });
    expect((await registry.resolveTag('team/app', 'v1')).digest).toBe(pushed.digest);
    await expectRegistryError(registry.deleteTag('team/app', 'v1'), 'DENIED');
    await expectRegistryError(registry.deleteManifest('team/app', pushed.digest), 'DENIED');
    await expectRegistryError(registry.deleteBlob('team/app', built.blobs[0]!.descriptor.digest), 'DENIED');
    expect((await inner.resolveTag('team/app', 'v1')).digest).toBe(pushed.digest);
    expect(await registry.capabilities()).toMatchObject({ write: true, manifestDelete: false, tagDelete: 'unsupported' });
  });
});
