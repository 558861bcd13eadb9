/**
 * Browser-side calls of Porthole's JSON API. Errors come back as the same `RegistryError` the server threw,
 * decoded from the wire format, so components can branch on `error.code`.
 */
import type {
  CatalogResponse,
  CompareResponse,
  DeletionResponse,
  DeleteManifestResponse,
  DeleteTagResponse,
  ManifestResponse,
  ReferrersResponse,
  RepositoriesResponse,
  SourcesResponse,
  TagsResponse,
} from '@/lib/api/types';
import { fromWireErrors, RegistryError } from '@/lib/oci/errors';
import { apiUrls } from '@/lib/routes';

export async function apiFetch<T>(url: string, init: RequestInit = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, headers: { accept: 'application/json', ...init.headers } });
  } catch (cause) {
    if ((cause as Error).name === 'AbortError') throw cause;
    throw new RegistryError('UNAVAILABLE', 'Porthole server is not reachable', { cause });
  }
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!response.ok) throw fromWireErrors(response.status, body);
  return body as T;
}

export const clientFetchers = {
  sources: (signal?: AbortSignal) => apiFetch<SourcesResponse>(apiUrls.sources(), { signal }),
  sourceStatus: (signal?: AbortSignal) => apiFetch<SourcesResponse>(`${apiUrls.sources()}?status=1`, { signal }),
  deletion: (source: string, repo?: string, signal?: AbortSignal) => apiFetch<DeletionResponse>(apiUrls.deletion(source, repo), { signal }),
  repositories: (source: string, params: { n?: number; last?: string; q?: string }, signal?: AbortSignal) =>
    apiFetch<RepositoriesResponse>(apiUrls.repositories(source, params), { signal }),
  /** The kept catalog (every repository); `fresh` waits for a registry read. */
  catalog: (source: string, params: { fresh?: boolean } = {}, signal?: AbortSignal) =>
    apiFetch<CatalogResponse>(apiUrls.catalog(source, params), { signal }),
  tags: (
    source: string,
    repo: string,
    params: { n?: number; last?: string; q?: string; sort?: string; details?: boolean },
    signal?: AbortSignal,
  ) => apiFetch<TagsResponse>(apiUrls.tags(source, repo, params), { signal }),
  manifest: (source: string, repo: string, reference: string, signal?: AbortSignal) =>
    apiFetch<ManifestResponse>(apiUrls.manifest(source, repo, reference), { signal }),
  referrers: (
    source: string,
    repo: string,
    digest: string,
    params: { artifactType?: string; depth?: number },
    signal?: AbortSignal,
  ) => apiFetch<ReferrersResponse>(apiUrls.referrers(source, repo, digest, params), { signal }),
  compare: (source: string, repo: string, params: { from: string; to: string; platform?: string }, signal?: AbortSignal) =>
    apiFetch<CompareResponse>(apiUrls.compare(source, repo, params), { signal }),
  deleteTag: (source: string, repo: string, tag: string) =>
    apiFetch<DeleteTagResponse>(apiUrls.deleteTag(source, repo, tag), { method: 'DELETE' }),
  deleteManifest: (source: string, repo: string, digest: string, cascade?: boolean) =>
    apiFetch<DeleteManifestResponse>(
      apiUrls.deleteManifest(source, repo, digest, cascade ? { cascade: 'referrers' } : {}),
      { method: 'DELETE' },
    ),
};
