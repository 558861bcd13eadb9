import { PageLink } from '@/components/ui/page-link';
import type { AttachedCounts, ArtifactKind } from '@/lib/api/types';
import { FileListIcon, PaperclipIcon, ShieldIcon, StampIcon } from '@/components/ui/icons';

const KINDS: { kind: ArtifactKind; one: string; many: string; Icon: typeof ShieldIcon; color: string }[] = [
  { kind: 'signature', one: 'signature', many: 'signatures', Icon: ShieldIcon, color: 'text-emerald-700 dark:text-emerald-400' },
  { kind: 'sbom', one: 'SBOM', many: 'SBOMs', Icon: FileListIcon, color: 'text-violet-700 dark:text-violet-400' },
  { kind: 'provenance', one: 'provenance attestation', many: 'provenance attestations', Icon: StampIcon, color: 'text-amber-700 dark:text-amber-400' },
  { kind: 'attestation', one: 'attestation', many: 'attestations', Icon: StampIcon, color: 'text-sky-700 dark:text-sky-400' },
  { kind: 'other', one: 'other artifact', many: 'other artifacts', Icon: PaperclipIcon, color: 'text-zinc-600 dark:text-zinc-400' },
];

function describe(counts: AttachedCounts | undefined, present: typeof KINDS): string {
  return present
    .map((k) => {
      const n = counts?.[k.kind] ?? 0;
      return `${n} ${n === 1 ? k.one : k.many}`;
    })
    .join(', ');
}

function Icons({ counts, present }: { counts?: AttachedCounts; present: typeof KINDS }) {
  return present.map(({ kind, Icon, color }) => (
    <span key={kind} className={`inline-flex items-center gap-0.5 text-xs ${color}`}>
      <Icon width={14} height={14} />
      {(counts?.[kind] ?? 0) > 1 ? counts?.[kind] : null}
    </span>
  ));
}

const LINK = 'inline-flex shrink-0 items-center gap-1.5 rounded px-1 hover:bg-zinc-100 dark:hover:bg-zinc-800';

/**
 * Icons for what belongs to a tag's digest, as two different things:
 * - referrers (signatures, SBOMs… whose `subject` is the digest), linked to the referrer graph;
 * - an index's own attestation entries, which are not referrers, linked to the index's list of manifests.
 */
export function AttachedMarkers({
  attached,
  href,
  indexAttestations,
  indexHref,
}: {
  attached?: AttachedCounts;
  href: string;
  indexAttestations?: AttachedCounts;
  indexHref: string;
}) {
  const referrers = KINDS.filter((k) => (attached?.[k.kind] ?? 0) > 0);
  const entries = KINDS.filter((k) => (indexAttestations?.[k.kind] ?? 0) > 0);
  if (referrers.length === 0 && entries.length === 0) return null;
  return (
    <>
      {referrers.length > 0 ? (
        <PageLink
          href={href}
          data-testid="attached-markers"
          title={`Attached: ${describe(attached, referrers)}`}
          aria-label={`Attached: ${describe(attached, referrers)}. Show the referrer graph`}
          className={LINK}
        >
          <Icons counts={attached} present={referrers} />
        </PageLink>
      ) : null}
      {entries.length > 0 ? (
        <PageLink
          href={indexHref}
          data-testid="index-attestation-markers"
          title={`In the index: ${describe(indexAttestations, entries)}`}
          aria-label={`In the index: ${describe(indexAttestations, entries)}. Show the index's manifests`}
          className={`${LINK} opacity-80`}
        >
          <Icons counts={indexAttestations} present={entries} />
        </PageLink>
      ) : null}
    </>
  );
}
