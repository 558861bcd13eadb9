'use client';

import { useQuery } from '@tanstack/react-query';
import { PageLink } from '@/components/ui/page-link';
import { usePathname } from 'next/navigation';
import { buttonClass } from '@/components/ui/button';
import { BroomIcon } from '@/components/ui/icons';
import { registryQueries } from '@/lib/query/options';
import { pages } from '@/lib/routes';
import { sourceOfPath } from './crumbs';

/** "Cleanup" for the current source, shown only when the source allows deletion. */
export function CleanupLink() {
  const source = sourceOfPath(usePathname());
  const { data } = useQuery({ ...registryQueries.sources(), enabled: source !== undefined });
  const summary = data?.sources.find((s) => s.name === source);
  if (!source || !summary?.delete) return null;
  return (
    <PageLink href={pages.cleanup(source)} className={buttonClass('ghost', 'sm')}>
      <BroomIcon /> Cleanup
    </PageLink>
  );
}
