import { dehydrate, HydrationBoundary, QueryClient } from '@tanstack/react-query';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { CompareView, ManifestView, ReferrerGraphView } from '@/components/shell/repository-views';
import { TagsView } from '@/components/tags/tags-view';
import { isDigest } from '@/lib/oci/digest';
import { isValidRepository } from '@/lib/oci/reference';
import { decodeSegment, parseRepoPath, type RepoPath } from '@/lib/routes';
import { findSource, prefetchCompare, prefetchSources, prefetchTagNames, warmTagDetails } from '../../prefetch';

interface Props {
  params: Promise<{ source: string; path: string[] }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

async function resolve(props: Props): Promise<{ source: string; parsed: RepoPath } | null> {
  const { source, path } = await props.params;
  const parsed = parseRepoPath(path.map(decodeSegment));
  if (!parsed || !isValidRepository(parsed.repo)) return null;
  return { source: decodeSegment(source), parsed };
}

export async function generateMetadata(props: Props): Promise<Metadata> {
  const target = await resolve(props);
  if (!target) return {};
  const { repo, action, reference } = target.parsed;
  if (action === 'manifests' && reference) return { title: `${repo}:${reference}` };
  if (action === 'referrers' && reference) return { title: `Referrers of ${repo}@${reference.slice(0, 19)}` };
  if (action === 'compare') {
    const { from, to } = compareParams(await props.searchParams);
    return { title: from && to ? `Compare ${from} → ${to}` : `Compare in ${repo}` };
  }
  return { title: repo };
}

/** `?from=&to=&platform=` of the compare page (first value of each). */
function compareParams(search: Record<string, string | string[] | undefined>): { from?: string; to?: string; platform?: string } {
  const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) || undefined;
  const [from, to, platform] = [first(search.from), first(search.to), first(search.platform)];
  return { ...(from ? { from } : {}), ...(to ? { to } : {}), ...(platform ? { platform } : {}) };
}

/**
 * `/s/<source>/r/<repo…>[/-/<action>[/<reference>]]`: tags (default), a manifest by tag or digest, the
 * referrer graph of a digest, or two images compared (`-/compare?from=&to=`). See docs/links.md.
 */
export default async function RepositoryPage(props: Props) {
  const target = await resolve(props);
  if (!target) notFound();
  const { source: name, parsed } = target;
  const source = await findSource(name);
  if (!source) notFound();
  const client = new QueryClient();
  const prefetches = [prefetchSources(client)];
  let view: React.ReactNode;
  switch (parsed.action) {
    case 'tags':
      prefetches.push(prefetchTagNames(client, source, parsed.repo));
      warmTagDetails(source, parsed.repo);
      // A link to other filter text remounts the view; typing only replaces the URL (no new render here).
      view = <TagsView key={String((await props.searchParams).q ?? '')} source={name} repo={parsed.repo} />;
      break;
    case 'manifests':
      // `…/files/…` paths are API-only for now: no page shows a file yet.
      if (!parsed.reference || parsed.files) notFound();
      view = <ManifestView source={name} repo={parsed.repo} reference={parsed.reference} />;
      break;
    case 'referrers':
      if (!parsed.reference || !isDigest(parsed.reference)) notFound();
      view = <ReferrerGraphView source={name} repo={parsed.repo} digest={parsed.reference} />;
      break;
    case 'compare': {
      if (parsed.reference) notFound();
      const params = compareParams(await props.searchParams);
      if (params.from && params.to) prefetches.push(prefetchCompare(client, source, parsed.repo, { ...params, from: params.from, to: params.to }));
      view = <CompareView key={`${params.from}|${params.to}|${params.platform}`} source={name} repo={parsed.repo} {...params} />;
      break;
    }
    default:
      notFound();
  }
  await Promise.all(prefetches);
  return <HydrationBoundary state={dehydrate(client)}>{view}</HydrationBoundary>;
}
