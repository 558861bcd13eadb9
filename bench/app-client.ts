/**
 * What a client of Porthole's JSON API does for the two measured views — every tag with details, and the
 * whole catalog — paging exactly like the UI (`n=1000`, follow `next`); plus the catalog read straight from
 * the registry (`/v2/_catalog?n=1000`, following `Link`) as its reference.
 */
import { Agent, request, type Dispatcher } from 'undici';
import type { CatalogResponse, RepositoriesResponse, TagRow, TagsResponse } from '@/lib/api/types';
import { apiUrls } from '@/lib/routes';

// No header or body deadline of undici's (300 s): the API answers a cold first page after resolving every
// tag, which for the 20,000-tag preset on a busy machine takes longer than that.
const agent: Dispatcher = new Agent({ connections: 16, keepAliveTimeout: 30_000, headersTimeout: 0, bodyTimeout: 0 });

async function getJson<T>(url: string): Promise<{ body: T; bytes: number }> {
  const res = await request(url, { headers: { accept: 'application/json' }, dispatcher: agent });
  const text = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`GET ${url} answered ${res.statusCode}: ${text.slice(0, 300)}`);
  return { body: JSON.parse(text) as T, bytes: Buffer.byteLength(text) };
}

export interface TagsFetch {
  rows: TagRow[];
  /** API requests made (pages). */
  pages: number;
  /** Response bytes (JSON, uncompressed). */
  bytes: number;
  ms: number;
  /** Time of each page. */
  pageMs: number[];
}

/** Every tag of `repo` with details (or names only), page by page. */
export async function fetchTagsViaApi(appUrl: string, source: string, repo: string, details = true): Promise<TagsFetch> {
  const started = performance.now();
  const rows: TagRow[] = [];
  let bytes = 0;
  let pages = 0;
  let last: string | undefined;
  const pageMs: number[] = [];
  for (;;) {
    const pageStarted = performance.now();
    const page = await getJson<TagsResponse>(appUrl + apiUrls.tags(source, repo, { n: 1000, ...(last ? { last } : {}), details }));
    pageMs.push(Math.round(performance.now() - pageStarted));
    pages++;
    bytes += page.bytes;
    rows.push(...page.body.tags);
    if (!page.body.next) break;
    last = page.body.next;
  }
  return { rows, pages, bytes, ms: performance.now() - started, pageMs };
}

export interface CatalogFetch {
  repositories: string[];
  pages: number;
  ms: number;
}

/** The whole catalog through the API. */
export async function fetchCatalogViaApi(appUrl: string, source: string): Promise<CatalogFetch> {
  const started = performance.now();
  const repositories: string[] = [];
  let pages = 0;
  let last: string | undefined;
  for (;;) {
    const page = await getJson<RepositoriesResponse>(appUrl + apiUrls.repositories(source, { n: 1000, ...(last ? { last } : {}) }));
    pages++;
    repositories.push(...page.body.repositories);
    if (!page.body.next) break;
    last = page.body.next;
  }
  return { repositories, pages, ms: performance.now() - started };
}

/** The catalog the server keeps (GET /api/sources/{source}/catalog), in one answer. */
export async function fetchKeptCatalog(appUrl: string, source: string): Promise<CatalogResponse> {
  return (await getJson<CatalogResponse>(appUrl + apiUrls.catalog(source))).body;
}

/** The whole catalog straight from the registry, `n` per page (default 1000), following `Link` (relative on distribution). */
export async function fetchCatalogDirect(registryUrl: string, n = 1000): Promise<CatalogFetch> {
  const started = performance.now();
  const repositories: string[] = [];
  let pages = 0;
  let next: URL | null = new URL(`/v2/_catalog?n=${n}`, registryUrl);
  while (next) {
    const res: Dispatcher.ResponseData = await request(next, { dispatcher: agent });
    const text = await res.body.text();
    if (res.statusCode !== 200) throw new Error(`GET ${next.pathname} answered ${res.statusCode}: ${text.slice(0, 300)}`);
    pages++;
    repositories.push(...((JSON.parse(text) as { repositories: string[] }).repositories ?? []));
    const target: string | undefined = /<([^>]+)>\s*;\s*rel="?next"?/.exec(String(res.headers.link ?? ''))?.[1];
    next = target ? new URL(target, next) : null;
  }
  return { repositories, pages, ms: performance.now() - started };
}

export async function closeAppClient(): Promise<void> {
  await agent.close();
}
