/**
 * The server's implementation of the query fetchers (`lib/query/options.ts`): the same reads as the JSON API,
 * answered by the services directly instead of over HTTP. Server pages prefetch with
 * `createRegistryQueries(serverFetchers)`, so their data lands under exactly the keys, and in exactly the shape,
 * the browser's queries use. Parameters are checked by the same validators as the API's.
 */
import 'server-only';
import type { RegistryFetchers } from '@/lib/query/options';
import { getKeptCatalog } from './catalog-service';
import { compareImages } from './compare-service';
import { getManifestView } from './manifest-service';
import { getReferrersTree } from './referrers-service';
import { getRepositoriesPage } from './repositories-service';
import { getSource, getSources } from './sources';
import { getTagsPage } from './tags-service';
import { DEFAULT_REFERRERS_DEPTH } from '@/lib/api/referrers-depth';
import { DEFAULT_PAGE, sortOrder, validDigest, validReference } from './validate';

export const serverFetchers: RegistryFetchers = {
  sources: async () => ({ sources: (await getSources()).map((source) => source.summary) }),
  repositories: async (name, params) =>
    getRepositoriesPage(await getSource(name), {
      n: params.n ?? DEFAULT_PAGE,
      ...(params.last ? { last: params.last } : {}),
      ...(params.q ? { q: params.q } : {}),
    }),
  catalog: async (name, params) => getKeptCatalog(await getSource(name), params),
  tags: async (name, repo, params) =>
    getTagsPage(await getSource(name), repo, {
      n: params.n ?? DEFAULT_PAGE,
      ...(params.last ? { last: params.last } : {}),
      ...(params.q ? { q: params.q } : {}),
      sort: sortOrder(new URLSearchParams(params.sort ? { sort: params.sort } : {})),
      details: params.details ?? true,
    }),
  manifest: async (name, repo, reference) => {
    validReference(reference);
    return getManifestView(await getSource(name), repo, reference);
  },
  referrers: async (name, repo, digest, params) =>
    getReferrersTree(await getSource(name), repo, validDigest(digest), {
      depth: params.depth ?? DEFAULT_REFERRERS_DEPTH,
      ...(params.artifactType ? { artifactType: params.artifactType } : {}),
    }),
  compare: (name, repo, params) => compareImages(name, repo, new URLSearchParams({ from: params.from, to: params.to, ...(params.platform ? { platform: params.platform } : {}) })),
};
