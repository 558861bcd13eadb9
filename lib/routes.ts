/**
 * URLs of Porthole: the pages (stable, linkable from dashboards — see docs/links.md) and the JSON API
 * (see docs/api.md). All URL building and parsing lives here.
 *
 * A repository name may contain slashes; the segment `-` separates it from what follows. No repository name
 * can contain a `-` path component: the distribution-spec grammar requires every component to start with
 * `[a-z0-9]`.
 */

/** `delete-plan` is API-only (what deleting a manifest removes); pages have no such view. */
export type RepoAction = 'tags' | 'manifests' | 'referrers' | 'blobs' | 'delete-plan' | 'compare';

export interface RepoPath {
  repo: string;
  action: RepoAction;
  /** Tag, digest or digest for manifests/referrers/blobs/tags (single segment); undefined for a list. */
  reference?: string;
  /**
   * `…/-/blobs/{digest}/files[/{path…}]` and `…/-/manifests/{ref}/files[/{path…}]`: the file path segments
   * (empty for the root). Undefined for every other path.
   */
  files?: string[];
}

const ACTIONS: readonly RepoAction[] = ['tags', 'manifests', 'referrers', 'blobs', 'delete-plan', 'compare'];

function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '' || value === false) continue;
    search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

function seg(value: string): string {
  // Keep `:` readable in digests; everything else outside the tag/digest alphabet is escaped.
  return encodeURIComponent(value).replace(/%3A/gi, ':');
}

function repoPath(repo: string): string {
  return repo.split('/').map(seg).join('/');
}

/** A page's path segment as text; a malformed escape is kept as it came (the grammar checks then refuse it). */
export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * Parses the catch-all segments after `/repositories/` (API) or `/r/` (pages):
 * `team/app/-/tags`, `team/app/-/manifests/v1`, `team/app/-/referrers/sha256:…`, `team/app` (= tags).
 * Returns null when the shape is wrong; grammar of names is checked by the caller.
 */
export function parseRepoPath(segments: readonly string[]): RepoPath | null {
  const separator = segments.indexOf('-');
  if (separator === -1) {
    if (segments.length === 0 || segments.some((s) => s === '' || s === '.' || s === '..')) return null;
    return { repo: segments.join('/'), action: 'tags' };
  }
  const repoSegments = segments.slice(0, separator);
  const rest = segments.slice(separator + 1);
  if (repoSegments.length === 0 || repoSegments.some((s) => s === '' || s === '.' || s === '..')) return null;
  const action = rest[0] as RepoAction | undefined;
  if (!action || !ACTIONS.includes(action)) return null;
  const files = rest.length > 2 && rest[2] === 'files' && (action === 'blobs' || action === 'manifests') ? rest.slice(3) : undefined;
  if (rest.length > 2 && !files) return null;
  if (files?.some((s) => s === '' || s === '.' || s === '..')) return null;
  const reference = rest[1];
  if (reference !== undefined && (reference === '' || reference === '.' || reference === '..')) return null;
  const parsed: RepoPath = reference === undefined ? { repo: repoSegments.join('/'), action } : { repo: repoSegments.join('/'), action, reference };
  if (files) parsed.files = files;
  return parsed;
}

export interface TagsViewParams {
  q?: string;
  sort?: string;
  /** `all` shows referrers-fallback and cosign tags instead of folding them under their subject. */
  show?: 'all';
  /** Selected tags, comma-separated in the URL. */
  sel?: string[];
}

export interface ManifestViewParams {
  platform?: string;
  tab?: string;
}

/** Page URLs. */
export const pages = {
  home: () => '/',
  catalog: (source: string, params: { q?: string } = {}) => `/s/${seg(source)}${query({ q: params.q })}`,
  tags: (source: string, repo: string, params: TagsViewParams = {}) =>
    `/s/${seg(source)}/r/${repoPath(repo)}/-/tags${query({
      q: params.q,
      sort: params.sort,
      show: params.show,
      sel: params.sel?.length ? params.sel.join(',') : undefined,
    })}`,
  manifest: (source: string, repo: string, reference: string, params: ManifestViewParams = {}) =>
    `/s/${seg(source)}/r/${repoPath(repo)}/-/manifests/${seg(reference)}${query({ platform: params.platform, tab: params.tab })}`,
  /** `depth`: how many levels of referrers-of-referrers the graph shows (`?depth=`). */
  referrers: (source: string, repo: string, digest: string, params: { depth?: number } = {}) =>
    `/s/${seg(source)}/r/${repoPath(repo)}/-/referrers/${seg(digest)}${query({ depth: params.depth })}`,
  /**
   * Two images compared (the page of the compare API): `from`/`to` are tags or digests of `repo`, or
   * `SOURCE/REPO:TAG` anywhere.
   */
  compare: (source: string, repo: string, params: { from: string; to: string; platform?: string }) =>
    `/s/${seg(source)}/r/${repoPath(repo)}/-/compare${query(params)}`,
  cleanup: (source: string) => `/s/${seg(source)}/cleanup`,
  open: (ref: string) => `/open${query({ ref })}`,
};

/** JSON API URLs (relative to the app origin). */
export const apiUrls = {
  health: () => '/api/health',
  sources: () => '/api/sources',
  deletion: (source: string, repo?: string) => `/api/sources/${seg(source)}/deletion${query({ repo })}`,
  repositories: (source: string, params: { n?: number; last?: string; q?: string } = {}) =>
    `/api/sources/${seg(source)}/repositories${query(params)}`,
  catalog: (source: string, params: { fresh?: boolean } = {}) => `/api/sources/${seg(source)}/catalog${query({ fresh: params.fresh ? '1' : undefined })}`,
  tags: (
    source: string,
    repo: string,
    params: { n?: number; last?: string; q?: string; sort?: string; details?: boolean } = {},
  ) =>
    `/api/sources/${seg(source)}/repositories/${repoPath(repo)}/-/tags${query({
      ...params,
      details: params.details === false ? 'false' : undefined,
    })}`,
  manifest: (source: string, repo: string, reference: string) =>
    `/api/sources/${seg(source)}/repositories/${repoPath(repo)}/-/manifests/${seg(reference)}`,
  blob: (source: string, repo: string, digest: string) =>
    `/api/sources/${seg(source)}/repositories/${repoPath(repo)}/-/blobs/${seg(digest)}`,
  /** A layer's table of contents (`path` empty), a directory or a file of it. */
  layerFiles: (source: string, repo: string, digest: string, path = '', params: { path?: string; download?: boolean } = {}) =>
    `/api/sources/${seg(source)}/repositories/${repoPath(repo)}/-/blobs/${seg(digest)}/files${path ? `/${repoPath(path)}` : ''}${query({ path: params.path, download: params.download ? 1 : undefined })}`,
  /** The image filesystem of a manifest: the root (`path` empty), a directory or a file. */
  imageFiles: (source: string, repo: string, reference: string, path = '', params: { platform?: string; download?: boolean; recursive?: boolean } = {}) =>
    `/api/sources/${seg(source)}/repositories/${repoPath(repo)}/-/manifests/${seg(reference)}/files${path ? `/${repoPath(path)}` : ''}${query({ platform: params.platform, download: params.download ? 1 : undefined, recursive: params.recursive ? 1 : undefined })}`,
  referrers: (source: string, repo: string, digest: string, params: { artifactType?: string; depth?: number } = {}) =>
    `/api/sources/${seg(source)}/repositories/${repoPath(repo)}/-/referrers/${seg(digest)}${query(params)}`,
  deleteTag: (source: string, repo: string, tag: string) =>
    `/api/sources/${seg(source)}/repositories/${repoPath(repo)}/-/tags/${seg(tag)}`,
  deleteManifest: (source: string, repo: string, digest: string, params: { cascade?: 'referrers' } = {}) =>
    `/api/sources/${seg(source)}/repositories/${repoPath(repo)}/-/manifests/${seg(digest)}${query(params)}`,
  deletePlan: (source: string, repo: string, digest: string, params: { cascade?: 'referrers' } = {}) =>
    `/api/sources/${seg(source)}/repositories/${repoPath(repo)}/-/delete-plan/${seg(digest)}${query(params)}`,
  cleanup: (source: string) => `/api/sources/${seg(source)}/cleanup`,
  /** Two images compared; `from`/`to` are tags or digests of `repo`, or `SOURCE/REPO:TAG`. */
  compare: (source: string, repo: string, params: { from: string; to: string; platform?: string }) =>
    `/api/sources/${seg(source)}/repositories/${repoPath(repo)}/-/compare${query(params)}`,
};
