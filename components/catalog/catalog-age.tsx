'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { formatAbsolute } from '@/components/ui/format';
import type { CatalogResponse } from '@/lib/api/types';
import { clientFetchers } from '@/lib/query/client-fetchers';
import { registryKeys } from '@/lib/query/keys';
import { catalogAge } from './catalog-age-model';

/**
 * "listed 40 s ago · refresh": how old the list the server keeps is, and a way to have it read from the registry
 * now. A failed refresh is said next to it (the list shown is the one before it).
 */
export function CatalogAge({ source, catalog }: { source: string; catalog: CatalogResponse }) {
  const client = useQueryClient();
  const [now, setNow] = useState(() => Date.now());
  const [forcing, setForcing] = useState(false);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 5_000);
    return () => clearInterval(timer);
  }, []);

  const refresh = async () => {
    setForcing(true);
    try {
      const fresh = await clientFetchers.catalog(source, { fresh: true });
      client.setQueryData(registryKeys.repositories(source), fresh);
    } catch {
      // Only when nothing was kept on the server: the next read shows that error.
      await client.invalidateQueries({ queryKey: registryKeys.repositories(source) });
    } finally {
      setForcing(false);
    }
  };

  const busy = forcing || catalog.refreshing;
  return (
    <span className="text-sm text-zinc-600 dark:text-zinc-400">
      <span data-testid="catalog-age" title={`Read from the registry ${formatAbsolute(catalog.listedAt)}; kept for ${catalog.cacheSeconds} s`} suppressHydrationWarning>
        listed {catalogAge(catalog.listedAt, now)}
      </span>
      {' · '}
      <button
        type="button"
        data-testid="catalog-refresh"
        onClick={() => void refresh()}
        disabled={busy}
        className="text-sky-700 underline-offset-2 hover:underline disabled:cursor-wait disabled:text-zinc-500 dark:text-sky-400"
      >
        {busy ? 'refreshing…' : 'refresh'}
      </button>
      {catalog.refreshError ? (
        <span data-testid="catalog-refresh-error" role="status" className="ml-2 text-amber-700 dark:text-amber-400">
          refreshing failed {catalogAge(catalog.refreshError.at, now)} ({catalog.refreshError.message}): this is the list from before
        </span>
      ) : null}
    </span>
  );
}
