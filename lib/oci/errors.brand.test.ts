import { describe, expect, it } from 'vitest';
import type * as errors from './errors';
import { isRegistryError, RegistryError } from './errors';

describe('RegistryError across module copies', () => {
  it('stays instanceof when the module is loaded twice (Next.js route bundles)', async () => {
    // A query string makes the loader evaluate the file a second time, as a second bundle would.
    const path = './errors?second-copy';
    const copy = (await import(/* @vite-ignore */ path)) as typeof errors;
    expect(copy.RegistryError).not.toBe(RegistryError);
    const fromCopy = new copy.RegistryError('NAME_UNKNOWN', 'repository name not known to registry');
    expect(fromCopy instanceof RegistryError).toBe(true);
    expect(isRegistryError(fromCopy, 'NAME_UNKNOWN')).toBe(true);
    expect(new RegistryError('DENIED', 'no') instanceof copy.RegistryError).toBe(true);
  });
  it('is not fooled by look-alikes', () => {
    expect(new Error('x') instanceof RegistryError).toBe(false);
    expect({ name: 'RegistryError', code: 'DENIED' } instanceof RegistryError).toBe(false);
    expect((null as unknown as object) instanceof RegistryError).toBe(false);
  });
});
