import { PageLink } from '@/components/ui/page-link';
import { ThemeToggle } from '@/components/ui/theme-toggle';
import { Breadcrumbs } from './breadcrumbs';
import { CleanupLink } from './cleanup-link';

export const HEADER_HEIGHT_CLASS = 'h-12';

/** The top bar: home link, breadcrumbs, cleanup and theme toggle. */
export function Header() {
  return (
    <header className="sticky top-0 z-30 border-b border-zinc-200 bg-white/90 backdrop-blur dark:border-zinc-800 dark:bg-zinc-950/90">
      <div className={`mx-auto flex ${HEADER_HEIGHT_CLASS} max-w-screen-2xl items-center gap-2 px-4`}>
        <PageLink href="/" className="flex shrink-0 items-center gap-2 rounded font-semibold tracking-tight">
          <span aria-hidden="true" className="inline-block h-5 w-5 rounded-full border-4 border-sky-600 dark:border-sky-400" />
          Porthole
        </PageLink>
        <Breadcrumbs />
        <div className="ml-auto flex shrink-0 items-center gap-1">
          <CleanupLink />
          <ThemeToggle />
        </div>
      </div>
    </header>
  );
}
