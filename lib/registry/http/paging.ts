import 'server-only';
import { isRegistryError, RegistryError, type ErrorCode } from '@/lib/oci/errors';
import { headerValues, MAX_LIST_BODY_BYTES } from './transport/body';
import type { Call, RegistryClient } from './transport/client';
import type { Exchange } from './transport/transport';

export interface LinkValue {
  url: string;
  rel: string[];
}

/**
 * Parses RFC 8288 `Link` values: `<url>; rel="next"`, with or without spaces around `;` (cue-labs' ociserver
 * sends `<…>;rel="next"`), several links per line separated by commas, and several lines (undici keeps them
 * apart; `Headers.get` joins them with `, `).
 */
export function parseLinks(values: string[]): LinkValue[] {
  const links: LinkValue[] = [];
  for (const value of values) {
    let pos = 0;
    while (pos < value.length) {
      const open = value.indexOf('<', pos);
      if (open < 0) break;
      const close = value.indexOf('>', open + 1);
      if (close < 0) break;
      const link: LinkValue = { url: value.slice(open + 1, close).trim(), rel: [] };
      pos = close + 1;
      // Parameters run until a comma outside quotes.
      let params = '';
      let quoted = false;
      while (pos < value.length && (quoted || value[pos] !== ',')) {
        if (value[pos] === '"') quoted = !quoted;
        params += value[pos];
        pos++;
      }
      for (const param of params.split(';')) {
        const match = /^\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))\s*$/i.exec(param);
        if (match) link.rel.push(...(match[1] ?? match[2] ?? '').toLowerCase().split(/\s+/).filter(Boolean));
      }
      links.push(link);
    }
  }
  return links;
}

/**
 * The `rel="next"` URL of a response, resolved against the request URL. A link to another origin is refused
 * (go-containerregistry's pagination SSRF rule): following it could send credentials or probe other hosts.
 */
export function nextLink(response: Pick<Exchange, 'headers' | 'url'>, registryOrigin: string): URL | undefined {
  const link = parseLinks(headerValues(response, 'link')).find((l) => l.rel.includes('next'));
  if (!link) return undefined;
  let url: URL;
  try {
    url = new URL(link.url, response.url);
  } catch {
    throw new RegistryError('UNKNOWN', `${response.url.host} sent an invalid pagination link`, { status: 502 });
  }
  if (url.origin !== registryOrigin) {
    throw new RegistryError('UNKNOWN', `${response.url.host} sent a pagination link to another host (${url.host}); refused`, { status: 502 });
  }
  return url;
}

export interface PageRequest {
  path: string;
  /** JSON field holding the page's items (`repositories`, `tags`). */
  field: string;
  scopes: readonly string[];
  pageSize: number;
  /** Sent as `last` on the first request. */
  startAfter?: string;
  notFound?: ErrorCode;
  signal?: AbortSignal;
  /** Shared per registry: set once the registry has paged with `Link`. */
  links?: { seen: boolean };
  /** Told after each page whether more follow (see `ListOptions.onPage`). */
  onPage?: (more: boolean) => void;
}

/**
 * Pages of a catalog or tags list, each item once. Follows `Link rel="next"`; without one, asks again with
 * `last=<final item>` only when the page was exactly full. Copes with registries that:
 * - ignore `n` and send everything (distribution 2.8.2 tags, GCR/GAR): a page larger than `n` is the whole list;
 * - ignore `last` (the items up to it are dropped when they show up again);
 * - refuse our `n` (distribution with `catalog.maxentries` below it answers 400 PAGINATION_NUMBER_INVALID): asked
 *   again without `n`, the registry picks its own page size;
 * - send `"tags": null` (distribution 2.8.2 after the last tag is deleted): an empty page.
 * Never loops: a page without new items ends the listing.
 */
export async function* listPages(client: RegistryClient, request: PageRequest): AsyncGenerator<string[]> {
  const seen = new Set<string>();
  let target: string | URL = request.path;
  let sendSize = true;
  let last = request.startAfter;
  let query: Call['query'] = { n: String(request.pageSize), last };
  for (let page = 0; ; page++) {
    let response: Exchange;
    try {
      response = await client.send({
        method: 'GET',
        path: target,
        query,
        headers: { accept: 'application/json' },
        scopes: request.scopes,
        signal: request.signal,
        notFound: request.notFound,
      });
    } catch (error) {
      if (sendSize && query?.n !== undefined && isRegistryError(error, 'PAGINATION_NUMBER_INVALID')) {
        sendSize = false;
        query = { last };
        page--;
        continue;
      }
      throw error;
    }
    const body = (await client.readJson(response, MAX_LIST_BODY_BYTES, 'list page', request.signal)) as Record<string, unknown> | null;
    const raw = body?.[request.field];
    if (raw !== null && raw !== undefined && !Array.isArray(raw)) {
      throw new RegistryError('UNKNOWN', `${response.url.host} sent a list page whose "${request.field}" is not an array`, { status: 502 });
    }
    let items = (raw ?? []).filter((item): item is string => typeof item === 'string');
    if (last !== undefined) {
      const at = items.indexOf(last);
      if (at >= 0) items = items.slice(at + 1);
    }
    const fresh = items.filter((item) => !seen.has(item));
    for (const item of fresh) seen.add(item);
    const link = nextLink(response, client.base.origin);
    const count = (raw ?? []).length;
    if (link && request.links) request.links.seen = true;
    // A registry that pages with links leaves the link off its last page (distribution does, even when that
    // page is exactly full); one that never sends links may have more whenever a page is full. Told before the
    // page's items, so a caller stopping inside the page knows.
    request.onPage?.(link !== undefined || (sendSize && count === request.pageSize && fresh.length > 0 && !request.links?.seen));
    if (fresh.length > 0) yield fresh;
    else if (page > 0) return;

    if (link) {
      target = link;
      query = undefined;
      last = link.searchParams.get('last') ?? items.at(-1) ?? last;
      continue;
    }
    if (!sendSize || count !== request.pageSize || fresh.length === 0 || request.links?.seen) return;
    last = items.at(-1);
    target = request.path;
    query = { n: String(request.pageSize), last };
  }
}
