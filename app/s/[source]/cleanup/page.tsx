import { dehydrate, HydrationBoundary, QueryClient } from '@tanstack/react-query';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { CleanupView } from '@/components/cleanup/cleanup-view';
import { findSource, prefetchSources } from '../prefetch';
import { decodeSegment } from '@/lib/routes';

interface Props {
  params: Promise<{ source: string }>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { source } = await params;
  return { title: `Cleanup · ${decodeSegment(source)}` };
}

/** The Cleanup page of a source (docs/cleanup.md): policy editor, plan preview, confirmation, progress, results. */
export default async function CleanupPage({ params }: Props) {
  const name = decodeSegment((await params).source);
  const source = await findSource(name);
  if (!source) notFound();
  const client = new QueryClient();
  await prefetchSources(client);
  return (
    <HydrationBoundary state={dehydrate(client)}>
      <CleanupView source={name} />
    </HydrationBoundary>
  );
}
