import 'server-only';
/** This file implements the RegistryLister methods of the HTTP backend. */
import { parseDigest } from '@/lib/oci/digest';
import { isRegistryError, RegistryError } from '@/lib/oci/errors';
import { validateRepository } from '@/lib/oci/reference';
import type { Descriptor, Digest } from '@/lib/oci/types';
import { afterCursor, compareByteOrder } from '@/lib/registry/iter';
import type { ListOptions, ReferrersOptions, RegistryLister } from '@/lib/registry/registry';
import { Scope } from './transport/auth';
import { paths, type HttpContext } from './context';
import { MAX_PAGE_SIZE } from './options';
import { listPages } from './paging';
import { listReferrers as referrers } from './referrers';

function pageSize(ctx: HttpContext, options?: ListOptions): number {
  const wanted = options?.pageSize ?? ctx.options.pageSize;
  return Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(wanted)));
}

/**
 * Repository names in the registry's own order, which is not plain string order (distribution sorts by path
 * component, so `a/b` precedes `a-b`); re-sorting and feeding `last` back would skip names. `_catalog` is
 * outside the OCI spec: a registry without it (404/405) gives UNSUPPORTED.
 */
export async function* listRepositories(ctx: HttpContext, options?: ListOptions): AsyncGenerator<string> {
  const pages = listPages(ctx.client, {
    path: paths.catalog(),
    field: 'repositories',
    scopes: [Scope.catalog],
    pageSize: pageSize(ctx, options),
    startAfter: options?.startAfter || undefined,
    signal: options?.signal,
    links: ctx.learned.pagesWithLinks,
    ...(options?.onPage ? { onPage: options.onPage } : {}),
  });
  try {
    for await (const page of pages) {
      ctx.learned.catalog = true;
      yield* page;
    }
    ctx.learned.catalog = true;
  } catch (error) {
    if (isRegistryError(error) && (error.status === 404 || error.code === 'UNSUPPORTED')) {
      ctx.learned.catalog = false;
      throw new RegistryError('UNSUPPORTED', `${ctx.client.base.host} does not list its repositories (no _catalog endpoint)`);
    }
    throw error;
  }
}

/**
 * Tags sorted in byte order, after `startAfter`. Every page is collected first: distribution 2.8.2 ignores `n`
 * and `last` and does not sort, and the spec's case-insensitive order differs from byte order, so neither the
 * registry's order nor its `last` can be trusted for our cursor.
 */
export async function* listTags(ctx: HttpContext, repo: string, options?: ListOptions): AsyncGenerator<string> {
  validateRepository(repo);
  const all: string[] = [];
  for await (const page of listPages(ctx.client, {
    path: paths.tags(repo),
    field: 'tags',
    scopes: [Scope.pull(repo)],
    pageSize: pageSize(ctx, options),
    notFound: 'NAME_UNKNOWN',
    signal: options?.signal,
  })) {
    all.push(...page);
  }
  all.sort(compareByteOrder);
  yield* afterCursor(all, options?.startAfter);
}

export async function* listReferrers(ctx: HttpContext, repo: string, digest: Digest, options?: ReferrersOptions): AsyncGenerator<Descriptor> {
  validateRepository(repo);
  parseDigest(digest);
  yield* referrers(ctx, repo, digest, options?.artifactType, options?.signal);
}

export function createLister(ctx: HttpContext): RegistryLister {
  return {
    listRepositories: (options) => listRepositories(ctx, options),
    listTags: (repo, options) => listTags(ctx, repo, options),
    listReferrers: (repo, digest, options) => listReferrers(ctx, repo, digest, options),
  };
}
