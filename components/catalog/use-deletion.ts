'use client';

import { useQuery } from '@tanstack/react-query';
import type { DeletionResponse, SourceSummary } from '@/lib/api/types';
import { registryQueries } from '@/lib/query/options';

/**
 * Whether deleting really works on a source, as its registry answers (only asked when the configuration
 * allows deleting). Undefined while not known.
 */
export function useDeletion(summary: SourceSummary | undefined, repo?: string): DeletionResponse | undefined {
  const query = useQuery({ ...registryQueries.deletion(summary?.name ?? '', repo), enabled: summary?.delete === true });
  return summary?.delete === true ? query.data : undefined;
}
