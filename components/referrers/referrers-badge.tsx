'use client';

import { type UseQueryResult, useQuery } from '@tanstack/react-query';
import clsx from 'clsx';
import { PageLink } from '@/components/ui/page-link';
import { useRef } from 'react';
import type { ReferrersResponse } from '@/lib/api/types';
import { describeError } from '@/components/ui/error-state';
import { PaperclipIcon } from '@/components/ui/icons';
import { registryQueries } from '@/lib/query/options';
import { pages } from '@/lib/routes';
import { summarizeKinds } from './artifact-kinds';
import { useInView } from './use-in-view';

const base = 'inline-flex items-center gap-1 rounded-full px-1.5 py-px text-[0.7rem] leading-4 whitespace-nowrap';

/**
 * Number of direct referrers of a manifest, loaded when the badge scrolls into view. Links to the referrer
 * graph. `focusable={false}` inside tree rows, whose own keyboard handling reaches the same page.
 */
export function ReferrersBadge({ source, repo, digest, focusable = true }: { source: string; repo: string; digest: string; focusable?: boolean }) {
  const ref = useRef<HTMLSpanElement>(null);
  const inView = useInView(ref);
  const query = useQuery({ ...registryQueries.referrers(source, repo, digest, { depth: 1 }), enabled: inView });
  return (
    <span ref={ref} data-testid="referrers-badge" className="inline-flex shrink-0">
      <BadgeBody query={query} source={source} repo={repo} digest={digest} focusable={focusable} />
    </span>
  );
}

function BadgeBody({ query, source, repo, digest, focusable }: { query: UseQueryResult<ReferrersResponse>; source: string; repo: string; digest: string; focusable: boolean }) {
  if (!query.data) {
    const failed = query.isError ? describeError(query.error) : null;
    return (
      <span
        title={failed ? `Referrers unavailable: ${failed.code} ${failed.message}` : 'Loading referrers'}
        className={clsx(base, failed ? 'bg-amber-100 text-amber-900 dark:bg-amber-900/50 dark:text-amber-100' : 'bg-zinc-100 text-zinc-400 dark:bg-zinc-800 dark:text-zinc-500')}
      >
        <PaperclipIcon width={11} height={11} />
        {failed ? '?' : '…'}
        <span className="sr-only">{failed ? 'referrers unavailable' : 'loading referrers'}</span>
      </span>
    );
  }
  const count = query.data.referrers.length;
  if (count === 0) {
    return (
      <span data-count="0" title="No referrers: nothing is attached to this manifest" className={clsx(base, 'text-zinc-400 dark:text-zinc-500')}>
        <PaperclipIcon width={11} height={11} />0<span className="sr-only"> referrers</span>
      </span>
    );
  }
  const summary = summarizeKinds(query.data.referrers);
  return (
    <PageLink
      data-count={count}
      href={pages.referrers(source, repo, digest)}
      tabIndex={focusable ? undefined : -1}
      title={`${count} referrer${count === 1 ? '' : 's'}: ${summary}`}
      onClick={(event) => event.stopPropagation()}
      className={clsx(base, 'bg-emerald-100 text-emerald-900 hover:bg-emerald-200 dark:bg-emerald-900/50 dark:text-emerald-100 dark:hover:bg-emerald-900')}
    >
      <PaperclipIcon width={11} height={11} />
      {count}
      <span className="sr-only"> referrers ({summary})</span>
    </PageLink>
  );
}
