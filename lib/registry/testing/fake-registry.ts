/**
 * A tiny in-memory registry for the filter tests: a few repositories with tags, built with `fromFuncs`, that
 * records every call it receives (so tests can prove a refused call never reached it).
 */
import { RegistryError } from '@/lib/oci/errors';
import { MediaType } from '@/lib/oci/media-types';
import { fromFuncs } from '../funcs';
import { afterCursor, fromArray } from '../iter';
import type { Capabilities, Descriptor, Registry } from '../registry';

export interface FakeRegistry {
  registry: Registry;
  /** `[method, repo?]` of every call received. */
  calls: [string, string?][];
  closed: boolean;
}

export const FAKE_DIGEST = `sha256:${'f'.repeat(64)}`;

export function createFakeRegistry(repos: Record<string, string[]>): FakeRegistry {
  const fake: FakeRegistry = { registry: undefined as unknown as Registry, calls: [], closed: false };
  const descriptor: Descriptor = { mediaType: MediaType.OciManifest, digest: FAKE_DIGEST, size: 2 };
  const tagsOf = (repo: string): string[] => {
    const tags = repos[repo];
    if (!tags) throw new RegistryError('NAME_UNKNOWN', `repository "${repo}" is not known to the registry`);
    return tags;
  };
  const record = (method: string, repo?: string) => fake.calls.push(repo === undefined ? [method] : [method, repo]);
  const found = async (method: string, repo: string) => {
    record(method, repo);
    tagsOf(repo);
    return descriptor;
  };
  const capabilities: Capabilities = { catalog: true, write: true, manifestDelete: true, tagDelete: 'native', referrersApi: false };

  fake.registry = fromFuncs({
    resolveTag: async (repo, tag) => {
      record('resolveTag', repo);
      if (!tagsOf(repo).includes(tag)) throw new RegistryError('MANIFEST_UNKNOWN', `tag "${tag}" not found`);
      return descriptor;
    },
    resolveManifest: (repo) => found('resolveManifest', repo),
    resolveBlob: (repo) => found('resolveBlob', repo),
    getTag: async (repo) => ({ descriptor: await found('getTag', repo), bytes: new TextEncoder().encode('{}') }),
    getManifest: async (repo) => ({ descriptor: await found('getManifest', repo), bytes: new TextEncoder().encode('{}') }),
    getBlob: async (repo) => ({ descriptor: await found('getBlob', repo), body: new Blob(['{}']).stream() }),
    listRepositories: (options) => {
      record('listRepositories');
      return fromArray(afterCursor(Object.keys(repos).sort(), options?.startAfter));
    },
    listTags: (repo) =>
      (async function* () {
        record('listTags', repo);
        yield* tagsOf(repo);
      })(),
    listReferrers: (repo) =>
      (async function* () {
        record('listReferrers', repo);
        tagsOf(repo);
        yield { ...descriptor, artifactType: 'application/example' };
      })(),
    pushBlob: (repo) => found('pushBlob', repo),
    mountBlob: async (_from, repo) => found('mountBlob', repo),
    pushManifest: (repo) => found('pushManifest', repo),
    deleteTag: async (repo) => ({ method: 'native', digest: (await found('deleteTag', repo)).digest }),
    deleteManifest: async (repo) => ({ deleted: [(await found('deleteManifest', repo)).digest], tags: [] }),
    deleteBlob: async (repo) => {
      await found('deleteBlob', repo);
    },
    capabilities: async (repo) => {
      record('capabilities', repo);
      return capabilities;
    },
    close: async () => {
      fake.closed = true;
    },
  });
  return fake;
}
