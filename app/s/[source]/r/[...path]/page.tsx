import { dehydrate, HydrationBoundary, QueryClient } from '@tanstack/react-query';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { ManifestView } from '@/components/manifest/manifest-view';
import { ReferrerGraphView } from '@/components/referrers/referrer-graph-view';
import { TagsView } from '@/components/tags/tags-view';
import { isDigest } from '@/lib/oci/digest';
import { isValidRepository } from '@/lib/oci/reference';
import { decodeSegment, parseRepoPath, type RepoPath } from '@/lib/routes';
import { findSource, prefetchSources, prefetchTagNames, warmTagDetails } from '../../prefetch';

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
  return { title: repo };
}

/**
 * `/s/<source>/r/<repo…>[/-/<action>[/<reference>]]`: tags (default), a manifest by tag or digest, or the
 * referrer graph of a digest. See docs/links.md.
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
    default:
      notFound();
  }
  await Promise.all(prefetches);
  return <HydrationBoundary state={dehydrate(client)}>{view}</HydrationBoundary>;
}
