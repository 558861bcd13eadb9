'use client';

import { QueryClient, QueryClientProvider, isServer } from '@tanstack/react-query';
import { useEffect, type ReactNode } from 'react';
import { shouldRetry, TAG_STALE_MS } from '@/lib/query/options';

function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Above zero so that data prefetched by a server page is not refetched right after hydration.
        staleTime: TAG_STALE_MS,
        retry: shouldRetry,
        refetchOnWindowFocus: true,
      },
    },
  });
}

let browserClient: QueryClient | undefined;

/** One client per server request, one for the browser's lifetime (so suspense retries keep their cache). */
function getQueryClient(): QueryClient {
  if (isServer) return makeQueryClient();
  browserClient ??= makeQueryClient();
  return browserClient;
}

export function Providers({ children }: { children: ReactNode }) {
  const queryClient = getQueryClient();
  useEffect(() => {
    // Lets end-to-end tests (and curious users) tell a hydrated page from server-rendered HTML.
    document.documentElement.dataset.hydrated = 'true';
  }, []);
  return <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
}
