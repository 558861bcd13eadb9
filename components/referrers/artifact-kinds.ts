/** Names and colours of the artifact kinds shown in referrer badges, graph nodes and lists. */
import type { ArtifactKind, ReferrerNode } from '@/lib/api/types';

export type GraphKind = ArtifactKind | 'subject';

export const KIND_LABEL: Record<GraphKind, string> = {
  subject: 'Subject',
  signature: 'Signature',
  sbom: 'SBOM',
  provenance: 'Provenance',
  attestation: 'Attestation',
  other: 'Other artifact',
};

const KIND_SINGULAR: Record<ArtifactKind, string> = {
  signature: 'signature',
  sbom: 'SBOM',
  provenance: 'provenance attestation',
  attestation: 'attestation',
  other: 'other artifact',
};

const KIND_PLURAL: Record<ArtifactKind, string> = {
  signature: 'signatures',
  sbom: 'SBOMs',
  provenance: 'provenance attestations',
  attestation: 'attestations',
  other: 'other artifacts',
};

/** Accent classes per kind (border + chip), light and dark. */
export const KIND_STYLE: Record<GraphKind, { border: string; chip: string }> = {
  subject: {
    border: 'border-zinc-500 dark:border-zinc-400',
    chip: 'bg-zinc-200 text-zinc-800 dark:bg-zinc-700 dark:text-zinc-100',
  },
  signature: {
    border: 'border-emerald-500 dark:border-emerald-400',
    chip: 'bg-emerald-100 text-emerald-900 dark:bg-emerald-900/60 dark:text-emerald-100',
  },
  sbom: {
    border: 'border-sky-500 dark:border-sky-400',
    chip: 'bg-sky-100 text-sky-900 dark:bg-sky-900/60 dark:text-sky-100',
  },
  provenance: {
    border: 'border-violet-500 dark:border-violet-400',
    chip: 'bg-violet-100 text-violet-900 dark:bg-violet-900/60 dark:text-violet-100',
  },
  attestation: {
    border: 'border-amber-500 dark:border-amber-400',
    chip: 'bg-amber-100 text-amber-900 dark:bg-amber-900/60 dark:text-amber-100',
  },
  other: {
    border: 'border-zinc-400 dark:border-zinc-500',
    chip: 'bg-zinc-100 text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200',
  },
};

/** "2 signatures, 1 SBOM" for the direct referrers in `nodes`. */
export function summarizeKinds(nodes: readonly ReferrerNode[]): string {
  const counts = new Map<ArtifactKind, number>();
  for (const node of nodes) counts.set(node.kind, (counts.get(node.kind) ?? 0) + 1);
  return [...counts]
    .map(([kind, n]) => `${n} ${n === 1 ? KIND_SINGULAR[kind] : KIND_PLURAL[kind]}`)
    .join(', ');
}
