import { PageLink } from '@/components/ui/page-link';
import { buttonClass } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';

export default function NotFound() {
  return (
    <div className="mx-auto max-w-xl py-10">
      <EmptyState
        title="Nothing here"
        action={
          <PageLink href="/" className={buttonClass('primary')}>
            Go to the sources
          </PageLink>
        }
      >
        <p>
          This address names no source, repository or manifest Porthole knows. It may have been deleted, or the link
          is mistyped. See <code>docs/links.md</code> for the URL scheme.
        </p>
      </EmptyState>
    </div>
  );
}
