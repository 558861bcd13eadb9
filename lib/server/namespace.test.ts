import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isRegistryError } from '@/lib/oci/errors';
import { createMemoryRegistry } from '@/lib/registry/memory';
import { getNamespace } from './namespace';
import { resetSources, setConfigForTests } from './sources';
import { configOf } from '@/lib/server/testing/test-support';

beforeEach(async () => {
  // No request is made: only names and hosts are matched.
  await setConfigForTests(
    configOf({
      sources: [
        { name: 'registry', kind: 'http', url: 'http://127.0.0.1:5201' },
        { name: 'mirror', kind: 'http', url: 'http://127.0.0.1:5202', host: 'Mirror.Example.com' },
        { name: 'mem', kind: 'memory' },
      ],
    }),
    { mem: createMemoryRegistry() },
  );
});
afterEach(async () => {
  await setConfigForTests(null);
  await resetSources();
});

describe('the namespace of the configured sources', () => {
  it('resolves source names, URL hosts, configured hosts (any case) and layout/memory names as hosts, like /open', async () => {
    const namespace = await getNamespace();
    const entryOf = (reference: string) => {
      const target = namespace.parse(reference);
      return [target.entry.name, target.repo, target.tag];
    };
    expect(entryOf('registry/team/app:v1')).toEqual(['registry', 'team/app', 'v1']);
    expect(entryOf('127.0.0.1:5201/team/app:v1')).toEqual(['registry', 'team/app', 'v1']);
    expect(entryOf('mirror.example.com/team/app:v2')).toEqual(['mirror', 'team/app', 'v2']);
    expect(entryOf('mem/team/app:v3')).toEqual(['mem', 'team/app', 'v3']);
    // The mirror's URL host is not its pull host once `host` is set.
    const error = (() => {
      try {
        return namespace.parse('127.0.0.1:5202/team/app:v1');
      } catch (e) {
        return e;
      }
    })();
    expect(isRegistryError(error, 'NAME_UNKNOWN')).toBe(true);
  });
});
