import { dehydrate, HydrationBoundary, QueryClient } from '@tanstack/react-query';
import { redirect } from 'next/navigation';
import { connection } from 'next/server';
import { SourcesList } from '@/components/catalog/sources-list';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorState } from '@/components/ui/error-state';
import type { SourceSummary } from '@/lib/api/types';
import { registryKeys } from '@/lib/query/keys';
import { pages } from '@/lib/routes';
import { getSources } from '@/lib/server/sources';

/** Home: the list of sources, or straight to the catalog when there is only one. */
export default async function HomePage() {
  // The configuration is read at request time, never at build time.
  await connection();
  let sources: SourceSummary[];
  try {
    sources = (await getSources()).map((s) => s.summary);
  } catch (error) {
    // A configuration message names the file and field, never a secret: show it rather than a blank 500.
    // (Checked by name: another route bundle may have loaded lib/server/config, with its own class.)
    if (error instanceof Error && error.name === 'ConfigError') return <ErrorState title="Porthole's configuration has a problem" error={error} />;
    throw error;
  }
  const only = sources[0];
  if (sources.length === 1 && only) redirect(pages.catalog(only.name));
  if (sources.length === 0) {
    return (
      <EmptyState title="No sources configured">
        <p>
          Add a registry or an OCI layout to <code>porthole.config.yaml</code> (see <code>docs/configuration.md</code>).
        </p>
      </EmptyState>
    );
  }
  const client = new QueryClient();
  client.setQueryData(registryKeys.sources(), { sources });
  return (
    <HydrationBoundary state={dehydrate(client)}>
      <SourcesList sources={sources} />
    </HydrationBoundary>
  );
}
