/**
 * `prefixed(r, prefix)`: repository `x` of the result is repository `<prefix>/x` of `r`, and only repositories
 * under `<prefix>/` are listed (prefix cut). Lets the registry contract suite, whose repository names have any
 * number of components, run through the HTTP client against Porthole's `/v2`, where the first component
 * names the source (cue-labs' `ocifilter.Sub` does the same for scopes).
 */
import { fromFuncs } from '@/lib/registry/funcs';
import type { ListOptions, Registry } from '@/lib/registry/registry';

export function prefixed(registry: Registry, prefix: string): Registry {
  const r = registry;
  const p = (repo: string) => `${prefix}/${repo}`;
  async function* repositories(options: ListOptions = {}): AsyncGenerator<string> {
    const { startAfter, ...rest } = options;
    for await (const name of r.listRepositories({ ...rest, ...(startAfter !== undefined ? { startAfter: p(startAfter) } : {}) })) {
      if (name.startsWith(`${prefix}/`)) yield name.slice(prefix.length + 1);
    }
  }
  return fromFuncs({
    resolveTag: (repo, ...args) => r.resolveTag(p(repo), ...args),
    resolveManifest: (repo, ...args) => r.resolveManifest(p(repo), ...args),
    resolveBlob: (repo, ...args) => r.resolveBlob(p(repo), ...args),
    getTag: (repo, ...args) => r.getTag(p(repo), ...args),
    getManifest: (repo, ...args) => r.getManifest(p(repo), ...args),
    getBlob: (repo, ...args) => r.getBlob(p(repo), ...args),
    listRepositories: repositories,
    listTags: (repo, ...args) => r.listTags(p(repo), ...args),
    listReferrers: (repo, ...args) => r.listReferrers(p(repo), ...args),
    pushBlob: (repo, ...args) => r.pushBlob(p(repo), ...args),
    mountBlob: (from, to, ...args) => r.mountBlob(p(from), p(to), ...args),
    pushManifest: (repo, ...args) => r.pushManifest(p(repo), ...args),
    deleteTag: (repo, ...args) => r.deleteTag(p(repo), ...args),
    deleteManifest: (repo, ...args) => r.deleteManifest(p(repo), ...args),
    deleteBlob: (repo, ...args) => r.deleteBlob(p(repo), ...args),
    capabilities: (repo, ...args) => r.capabilities(repo === undefined ? undefined : p(repo), ...args),
    close: () => r.close(),
  });
}
