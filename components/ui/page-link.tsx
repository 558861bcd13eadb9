import Link from 'next/link';
import type { ComponentProps } from 'react';

/**
 * A link to another page of Porthole: Next.js's `Link` (client-side navigation) without its prefetch, which
 * every link of this app gets by default. Every page here is rendered per request from live registry data, so
 * a prefetch brings only the route tree and the shared layout, which the page already has; yet it costs the
 * server a render per visible link, again after every URL change (a filter, a sort), right while the page's
 * own registry reads run: a tag page's header and breadcrumbs made 7 such renders during a cold view, a
 * catalog page 25 (docs/performance.md). A click renders the target as it would anyway.
 */
export function PageLink(props: Omit<ComponentProps<typeof Link>, 'prefetch'>) {
  return <Link {...props} prefetch={false} />;
}
