/**
 * `select(r, {include, exclude})`: only repositories matching the patterns are visible.
 *
 * Patterns match whole repository names, in the one pattern language shared with cleanup policies
 * (`lib/text/glob.ts`): `*` within a path component, `**` across them (`**` + `/cache` matches `cache`), `?`.
 *
 * A repository is visible when it matches an `include` pattern (or `include` is absent or empty) and no
 * `exclude` pattern. A hidden repository reads exactly like a missing one (NAME_UNKNOWN) so its existence is
 * not revealed, is left out of `listRepositories`, and writes to it are DENIED (cue-labs `ocifilter.Select`).
 * Built with `fromFuncs` and an explicit list of forwarded methods, so it fails closed.
 */
import { RegistryError } from '@/lib/oci/errors';
import { validateRepository } from '@/lib/oci/reference';
import { compileRepositoryGlob } from '@/lib/text/glob';
import { fromFuncs } from '../funcs';
import type { Registry } from '../registry';

export interface SelectOptions {
  /** Patterns of visible repositories; absent or empty means all (before `exclude`). */
  include?: string[];
  /** Patterns of hidden repositories; they win over `include`. */
  exclude?: string[];
}

/** A predicate telling whether a repository is visible under `options`. */
export function repositoryMatcher(options: SelectOptions): (repo: string) => boolean {
  const include = (options.include ?? []).map(compileRepositoryGlob);
  const exclude = (options.exclude ?? []).map(compileRepositoryGlob);
  return (repo) => (include.length === 0 || include.some((re) => re.test(repo))) && !exclude.some((re) => re.test(repo));
}

export function select(registry: Registry, options: SelectOptions): Registry {
  const r = registry;
  const visible = repositoryMatcher(options);

  /** Validates the name (NAME_INVALID first, as every backend does), then hides it when not selected. */
  const check = (repo: string, forWrite: boolean): void => {
    validateRepository(repo);
    if (visible(repo)) return;
    if (forWrite) throw new RegistryError('DENIED', `repository "${repo}" is not writable through this source`);
    throw new RegistryError('NAME_UNKNOWN', `repository "${repo}" is not known to the registry`, { detail: { name: repo } });
  };
  /** Runs `fn` after `check`, turning a refusal into a rejection. */
  const guard = <T>(repo: string, forWrite: boolean, fn: () => Promise<T>): Promise<T> => {
    try {
      check(repo, forWrite);
    } catch (error) {
      return Promise.reject(error);
    }
    return fn();
  };
  /** A list that checks `repo` on its first `next()`, like the lists of the backends. */
  async function* guardList<T>(repo: string, open: () => AsyncIterable<T>): AsyncGenerator<T, void, undefined> {
    check(repo, false);
    yield* open();
  }

  return fromFuncs({
    resolveTag: (repo, ...rest) => guard(repo, false, () => r.resolveTag(repo, ...rest)),
    resolveManifest: (repo, ...rest) => guard(repo, false, () => r.resolveManifest(repo, ...rest)),
    resolveBlob: (repo, ...rest) => guard(repo, false, () => r.resolveBlob(repo, ...rest)),
    getTag: (repo, ...rest) => guard(repo, false, () => r.getTag(repo, ...rest)),
    getManifest: (repo, ...rest) => guard(repo, false, () => r.getManifest(repo, ...rest)),
    getBlob: (repo, ...rest) => guard(repo, false, () => r.getBlob(repo, ...rest)),
    async *listRepositories(options) {
      for await (const repo of r.listRepositories(options)) if (visible(repo)) yield repo;
    },
    listTags: (repo, ...rest) => guardList(repo, () => r.listTags(repo, ...rest)),
    listReferrers: (repo, ...rest) => guardList(repo, () => r.listReferrers(repo, ...rest)),
    pushBlob: (repo, ...rest) => guard(repo, true, () => r.pushBlob(repo, ...rest)),
    // Mounting reads `fromRepo` and writes `repo`: a hidden source reads as missing.
    mountBlob: (fromRepo, repo, ...rest) =>
      guard(fromRepo, false, () => guard(repo, true, () => r.mountBlob(fromRepo, repo, ...rest))),
    pushManifest: (repo, ...rest) => guard(repo, true, () => r.pushManifest(repo, ...rest)),
    deleteTag: (repo, ...rest) => guard(repo, true, () => r.deleteTag(repo, ...rest)),
    deleteManifest: (repo, ...rest) => guard(repo, true, () => r.deleteManifest(repo, ...rest)),
    deleteBlob: (repo, ...rest) => guard(repo, true, () => r.deleteBlob(repo, ...rest)),
    capabilities: (repo, ...rest) => (repo === undefined ? r.capabilities(repo, ...rest) : guard(repo, false, () => r.capabilities(repo, ...rest))),
    close: () => r.close(),
  });
}
