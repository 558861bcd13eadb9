import Link from 'next/link';
import type { AttachedCounts, ArtifactKind } from '@/lib/api/types';
import { FileListIcon, PaperclipIcon, ShieldIcon, StampIcon } from '@/components/ui/icons';

const KINDS: { kind: ArtifactKind; one: string; many: string; Icon: typeof ShieldIcon; color: string }[] = [
  { kind: 'signature', one: 'signature', many: 'signatures', Icon: ShieldIcon, color: 'text-emerald-700 dark:text-emerald-400' },
  { kind: 'sbom', one: 'SBOM', many: 'SBOMs', Icon: FileListIcon, color: 'text-violet-700 dark:text-violet-400' },
  { kind: 'provenance', one: 'provenance attestation', many: 'provenance attestations', Icon: StampIcon, color: 'text-amber-700 dark:text-amber-400' },
  { kind: 'attestation', one: 'attestation', many: 'attestations', Icon: StampIcon, color: 'text-sky-700 dark:text-sky-400' },
  { kind: 'other', one: 'other artifact', many: 'other artifacts', Icon: PaperclipIcon, color: 'text-zinc-600 dark:text-zinc-400' },
];

/** Icons for what is attached to a tag's digest (signatures, SBOMs, attestations); links to the referrer graph. */
export function AttachedMarkers({ attached, href }: { attached?: AttachedCounts; href: string }) {
  const present = KINDS.filter((k) => (attached?.[k.kind] ?? 0) > 0);
  if (present.length === 0) return null;
  const description = present
    .map((k) => {
      const n = attached?.[k.kind] ?? 0;
      return `${n} ${n === 1 ? k.one : k.many}`;
    })
    .join(', ');
  return (
    <Link
      href={href}
      data-testid="attached-markers"
      title={`Attached: ${description}`}
      aria-label={`Attached: ${description}. Show the referrer graph`}
      className="inline-flex items-center gap-1.5 rounded px-1 hover:bg-zinc-100 dark:hover:bg-zinc-800"
    >
      {present.map(({ kind, Icon, color }) => (
        <span key={kind} className={`inline-flex items-center gap-0.5 text-xs ${color}`}>
          <Icon width={14} height={14} />
          {(attached?.[kind] ?? 0) > 1 ? attached?.[kind] : null}
        </span>
      ))}
    </Link>
  );
}
