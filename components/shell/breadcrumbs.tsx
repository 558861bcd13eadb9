'use client';

import { PageLink } from '@/components/ui/page-link';
import { usePathname } from 'next/navigation';
import { ChevronRightIcon } from '@/components/ui/icons';
import { crumbsFor } from './crumbs';

/** source › namespace › repository › tag, from the current URL. */
export function Breadcrumbs() {
  const crumbs = crumbsFor(usePathname());
  if (crumbs.length === 0) return null;
  return (
    <nav aria-label="Breadcrumb" className="min-w-0">
      <ol className="flex min-w-0 items-center gap-1 text-sm">
        {crumbs.map((crumb, i) => {
          const last = i === crumbs.length - 1;
          return (
            <li key={crumb.href + i} className="flex min-w-0 items-center gap-1">
              <ChevronRightIcon className="shrink-0 text-zinc-400" />
              <PageLink
                href={crumb.href}
                title={crumb.title}
                aria-current={last ? 'page' : undefined}
                className={
                  last
                    ? 'truncate rounded font-medium text-zinc-900 dark:text-zinc-100'
                    : 'truncate rounded text-zinc-600 hover:text-zinc-900 hover:underline dark:text-zinc-400 dark:hover:text-zinc-100'
                }
              >
                {crumb.label}
              </PageLink>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
