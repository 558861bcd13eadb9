'use client';

import { useQuery } from '@tanstack/react-query';
import { PageLink } from '@/components/ui/page-link';
import { ReferrersBadge } from '@/components/referrers/referrers-badge';
import { CopyButton } from '@/components/ui/copy-button';
import { ErrorState } from '@/components/ui/error-state';
import { PlatformBadge } from '@/components/ui/platform-badge';
import { SkeletonRows } from '@/components/ui/skeleton';
import type { ChildManifest } from '@/lib/api/types';
import { RegistryError, isErrorCode } from '@/lib/oci/errors';
import { registryQueries } from '@/lib/query/options';
import { pages } from '@/lib/routes';
import { KindBadge } from './kind-badge';
import { ManifestDetails } from './manifest-details';
import { PullCommands } from './pull-commands';
import { Section } from './section';

export interface ChildPanelProps {
  source: string;
  repo: string;
  reference: string;
  child: ChildManifest;
  /** Tags of the index, for `docker pull --platform … :tag`. */
  tags: readonly string[];
  highlight?: string | null;
}

/** Details of the platform manifest selected with `?platform=`, loaded by digest (cached for good). */
export function ChildPanel({ source, repo, reference, child, tags, highlight }: ChildPanelProps) {
  const { digest } = child.descriptor;
  const query = useQuery({ ...registryQueries.manifest(source, repo, digest), enabled: !child.missing });
  const platform = child.platform && !child.attestation ? child.platform : undefined;
  return (
    <section aria-labelledby="child-heading" data-testid="child-panel" className="flex min-w-0 flex-col gap-5">
      <div className="flex flex-col gap-2 rounded-md border border-zinc-200 p-3 dark:border-zinc-800">
        <div className="flex flex-wrap items-center gap-2">
          <h2 id="child-heading" className="text-base font-semibold">
            {child.attestation ? 'Attestation manifest' : `Platform ${child.platform ?? '(none)'}`}
          </h2>
          {child.platform ? <PlatformBadge platform={child.platform} /> : null}
          {query.data ? <KindBadge kind={query.data.kind} /> : null}
          <ReferrersBadge source={source} repo={repo} digest={digest} />
          <PageLink href={pages.manifest(source, repo, reference)} scroll={false} className="ml-auto text-sm text-sky-700 underline dark:text-sky-400">
            Back to the index
          </PageLink>
        </div>
        <div className="flex flex-wrap items-center gap-1 text-xs">
          <code className="font-mono break-all">{digest}</code>
          <CopyButton value={digest} label="Copy platform manifest digest" />
          <PageLink href={pages.manifest(source, repo, digest)} className="ml-2 text-sm text-sky-700 underline dark:text-sky-400">
            Open this manifest
          </PageLink>
        </div>
      </div>
      {child.missing ? (
        <ErrorState
          title="The index lists this manifest, but it could not be read"
          error={new RegistryError(isErrorCode(child.missing.code) ? child.missing.code : 'UNKNOWN', child.missing.message)}
        />
      ) : query.isPending ? (
        <SkeletonRows rows={8} label="Loading platform manifest" />
      ) : query.isError ? (
        <ErrorState title="Could not load this platform manifest" error={query.error} onRetry={() => void query.refetch()} retrying={query.isFetching} />
      ) : (
        <>
          {child.attestation ? null : (
            <Section id="child-pull" title="Pull this platform">
              <PullCommands source={source} repo={repo} digest={digest} tags={tags} platform={platform} />
            </Section>
          )}
          <ManifestDetails source={source} repo={repo} reference={digest} data={query.data} highlight={highlight} />
        </>
      )}
    </section>
  );
}
