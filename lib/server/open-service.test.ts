import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isRegistryError } from '@/lib/oci/errors';
import { createMemoryRegistry } from '@/lib/registry/memory';
import { openTarget } from './open-service';
import { resetSources, setConfigForTests } from './sources';
import { configOf } from '@/lib/server/testing/test-support';

beforeEach(async () => {
  // No request is made: /open only matches names and hosts.
  await setConfigForTests(
    configOf({ sources: [{ name: 'registry', kind: 'http', url: 'http://127.0.0.1:5201' }, { name: 'mem', kind: 'memory' }] }),
    { mem: createMemoryRegistry() },
  );
});
afterEach(async () => {
  await setConfigForTests(null);
  await resetSources();
});

describe('/open with a registry host alone', () => {
  it('opens the catalog of the source serving it', async () => {
    expect(await openTarget('127.0.0.1:5201')).toBe('/s/registry');
    expect(await openTarget('127.0.0.1:5201/team/app:v1')).toBe('/s/registry/r/team/app/-/manifests/v1');
  });

  it('says that no source serves an unknown host, not that it is no layout source', async () => {
    const error = await openTarget('127.0.0.1:5999').catch((e: unknown) => e);
    expect(isRegistryError(error, 'NAME_UNKNOWN')).toBe(true);
    expect((error as Error).message).toBe('no configured source serves the registry host "127.0.0.1:5999"');
  });

  it('still reads a source name with a repository as before', async () => {
    expect(await openTarget('mem')).toBe('/s/mem');
    expect(await openTarget('mem/team/app')).toBe('/s/mem/r/team/app/-/tags');
  });
});
