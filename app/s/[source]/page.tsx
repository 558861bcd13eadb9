import { dehydrate, HydrationBoundary, QueryClient } from '@tanstack/react-query';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { CatalogView } from '@/components/catalog/catalog-view';
import { findSource, prefetchRepositories, prefetchSources } from './prefetch';
import { decodeSegment } from '@/lib/routes';

interface Props {
  params: Promise<{ source: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { source } = await params;
  return { title: decodeSegment(source) };
}

/** The catalog of one source (server-rendered, then filtered on the client). */
export default async function CatalogPage({ params, searchParams }: Props) {
  const name = decodeSegment((await params).source);
  const source = await findSource(name);
  if (!source) notFound();
  const client = new QueryClient();
  await Promise.all([prefetchSources(client), prefetchRepositories(client, source)]);
  return (
    <HydrationBoundary state={dehydrate(client)}>
      {/* A link to other filter text remounts the view; typing only replaces the URL (no new render here). */}
      <CatalogView key={String((await searchParams).q ?? '')} source={name} />
    </HydrationBoundary>
  );
}
