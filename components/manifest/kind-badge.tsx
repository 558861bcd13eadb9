import clsx from 'clsx';
import type { ManifestKind } from '@/lib/oci/manifest';

export const MANIFEST_KIND_LABEL: Record<ManifestKind, string> = {
  image: 'Image',
  index: 'Index',
  artifact: 'Artifact',
  attestation: 'Attestation',
  'docker-image': 'Docker image',
  'docker-list': 'Docker manifest list',
  'docker-schema1': 'Docker schema 1',
  unknown: 'Unknown',
};

/** Shorter names for tight spots (tree rows). */
const SHORT_LABEL: Partial<Record<ManifestKind, string>> = {
  'docker-image': 'Image',
  'docker-list': 'List',
  'docker-schema1': 'Schema 1',
  attestation: 'Attest.',
};

const STYLE: Partial<Record<ManifestKind, string>> = {
  index: 'bg-indigo-100 text-indigo-900 dark:bg-indigo-900/60 dark:text-indigo-100',
  'docker-list': 'bg-indigo-100 text-indigo-900 dark:bg-indigo-900/60 dark:text-indigo-100',
  artifact: 'bg-sky-100 text-sky-900 dark:bg-sky-900/60 dark:text-sky-100',
  attestation: 'bg-amber-100 text-amber-900 dark:bg-amber-900/60 dark:text-amber-100',
  unknown: 'bg-red-100 text-red-900 dark:bg-red-900/60 dark:text-red-100',
  'docker-schema1': 'bg-red-100 text-red-900 dark:bg-red-900/60 dark:text-red-100',
};

/** A small chip naming what a manifest is. */
export function KindBadge({ kind, compact, className }: { kind: ManifestKind | string; compact?: boolean; className?: string }) {
  const full = MANIFEST_KIND_LABEL[kind as ManifestKind] ?? kind;
  const label = compact ? (SHORT_LABEL[kind as ManifestKind] ?? full) : full;
  return (
    <span
      title={full}
      className={clsx(
        'inline-block rounded px-1.5 py-px text-[0.7rem] font-medium whitespace-nowrap',
        STYLE[kind as ManifestKind] ?? 'bg-zinc-100 text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200',
        className,
      )}
    >
      {label}
    </span>
  );
}
