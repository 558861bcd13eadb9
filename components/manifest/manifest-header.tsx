import { PageLink } from '@/components/ui/page-link';
import { ReferrersBadge } from '@/components/referrers/referrers-badge';
import { CopyButton } from '@/components/ui/copy-button';
import type { ManifestResponse } from '@/lib/api/types';
import { isDigest } from '@/lib/oci/digest';
import { pages } from '@/lib/routes';
import { AnnotationsList } from './annotations-list';
import { formatBytes } from './format';
import { KindBadge } from './kind-badge';
import { ManifestActions } from './manifest-actions';
import { PullCommands } from './pull-commands';
import { Fact, Facts, Section } from './section';

/** Title, identity, tags, subject, annotations and pull commands of the manifest the page is about. */
export function ManifestHeader({ source, repo, reference, data }: { source: string; repo: string; reference: string; data: ManifestResponse }) {
  const { digest, mediaType, size } = data.descriptor;
  const byTag = !isDigest(reference);
  const tags = [...new Set([...(byTag ? [reference] : []), ...(data.tags ?? [])])];
  return (
    <header className="flex flex-col gap-5">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <h1 className="text-xl font-semibold break-all">
          {repo}
          <span className="text-zinc-500 dark:text-zinc-400">{byTag ? `:${reference}` : `@${reference.slice(0, 19)}…`}</span>
        </h1>
        <KindBadge kind={data.kind} />
        <div className="ml-auto">
          <ManifestActions source={source} repo={repo} digest={digest} tags={tags} {...(byTag ? { shownTag: reference } : {})} />
        </div>
      </div>
      <Facts>
        <Fact label="Digest">
          <span className="inline-flex max-w-full items-center gap-1">
            <code data-testid="manifest-digest" className="font-mono text-xs break-all">
              {digest}
            </code>
            <CopyButton value={digest} label="Copy manifest digest" />
          </span>
        </Fact>
        <Fact label="Media type">
          <code className="font-mono text-xs break-all">{mediaType || 'none (duck-typed)'}</code>
        </Fact>
        <Fact label="Manifest size">{formatBytes(size)}</Fact>
        {data.artifactType ? (
          <Fact label="Artifact type">
            <code className="font-mono text-xs break-all">{data.artifactType}</code>
          </Fact>
        ) : null}
        {data.subject ? (
          <Fact label="Subject">
            <PageLink className="font-mono text-xs break-all text-sky-700 underline dark:text-sky-400" href={pages.manifest(source, repo, data.subject.digest)}>
              {data.subject.digest}
            </PageLink>
          </Fact>
        ) : null}
        <Fact label="Tags">
          {tags.length ? (
            <ul className="flex flex-wrap gap-1" aria-label="Tags on this digest">
              {tags.map((tag) => (
                <li key={tag}>
                  <PageLink
                    href={pages.manifest(source, repo, tag)}
                    className="inline-block rounded bg-zinc-100 px-1.5 py-px font-mono text-xs text-zinc-800 hover:bg-zinc-200 dark:bg-zinc-800 dark:text-zinc-200 dark:hover:bg-zinc-700"
                  >
                    {tag}
                  </PageLink>
                </li>
              ))}
            </ul>
          ) : data.tagsComplete === false ? null : (
            <span className="text-zinc-500 dark:text-zinc-400">{data.tags || data.tagsComplete ? 'No tag points at this digest' : 'Not known (opened by digest)'}</span>
          )}
          {data.tagsComplete === false ? (
            <span data-testid="tags-not-known" className="text-xs text-zinc-500 dark:text-zinc-400">
              {tags.length ? 'Other tags may point here too: ' : 'Not known yet: '}this repository&apos;s tags are being checked
            </span>
          ) : null}
        </Fact>
        <Fact label="Referrers">
          <span className="inline-flex items-center gap-2">
            <ReferrersBadge source={source} repo={repo} digest={digest} />
            <PageLink href={pages.referrers(source, repo, digest)} className="text-sky-700 underline dark:text-sky-400">
              Referrer graph
            </PageLink>
          </span>
        </Fact>
      </Facts>
      {data.annotations && Object.keys(data.annotations).length > 0 ? (
        <Section id="manifest-annotations" title="Annotations">
          <AnnotationsList entries={data.annotations} />
        </Section>
      ) : null}
      <Section id="manifest-pull" title="Pull">
        <PullCommands source={source} repo={repo} digest={digest} tags={tags} tool={data.kind === 'artifact' ? 'oras' : 'docker'} />
      </Section>
    </header>
  );
}
