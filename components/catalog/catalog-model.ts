/**
 * The catalog as rows for a virtualised list: repositories grouped by namespace (everything before the last
 * `/`), filtered over the whole catalog on the client. Pure.
 */
import { nameMatcher } from '@/lib/text/query';

export interface GroupRow {
  type: 'group';
  /** '' for repositories without a namespace. */
  namespace: string;
  /** Repositories of this namespace that match the filter. */
  count: number;
}

export interface RepoRow {
  type: 'repo';
  repo: string;
  namespace: string;
  /** The last path component. */
  name: string;
}

export type CatalogRow = GroupRow | RepoRow;

export function namespaceOf(repo: string): string {
  const slash = repo.lastIndexOf('/');
  return slash === -1 ? '' : repo.slice(0, slash);
}

/** The repositories matching a `q` filter (`lib/text/query.ts`). */
export function filterRepositories(repositories: readonly string[], query: string): string[] {
  const matches = nameMatcher(query);
  return repositories.filter(matches);
}

/**
 * Sorted rows with a group header per namespace. Headers are left out when every repository sits in the
 * root namespace (a header would only repeat "no namespace").
 */
export function catalogRows(repositories: readonly string[]): CatalogRow[] {
  const byNamespace = new Map<string, string[]>();
  for (const repo of repositories) {
    const namespace = namespaceOf(repo);
    const list = byNamespace.get(namespace);
    if (list) list.push(repo);
    else byNamespace.set(namespace, [repo]);
  }
  const namespaces = [...byNamespace.keys()].sort((a, b) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0));
  const withHeaders = !(namespaces.length === 1 && namespaces[0] === '');
  const rows: CatalogRow[] = [];
  for (const namespace of namespaces) {
    const repos = (byNamespace.get(namespace) ?? []).slice().sort();
    if (withHeaders) rows.push({ type: 'group', namespace, count: repos.length });
    for (const repo of repos) rows.push({ type: 'repo', repo, namespace, name: repo.slice(namespace ? namespace.length + 1 : 0) });
  }
  return rows;
}
