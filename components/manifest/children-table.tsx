import { PageLink } from '@/components/ui/page-link';
import { ReferrersBadge } from '@/components/referrers/referrers-badge';
import { PlatformBadge } from '@/components/ui/platform-badge';
import type { ChildManifest } from '@/lib/api/types';
import { shortDigest } from '@/lib/oci/digest';
import { Annotation } from '@/lib/oci/media-types';
import { pages } from '@/lib/routes';
import { DetailRow, DetailTable, EmptyDetail } from './detail-table';
import { formatBytes, shortMediaType } from './format';
import { childKey } from './selection';

export interface ChildrenTableProps {
  source: string;
  repo: string;
  reference: string;
  items: readonly ChildManifest[];
  selectedKey?: string;
}

/** What an attestation entry attests: the platform of the manifest its annotation names. */
function attestedPlatform(child: ChildManifest, items: readonly ChildManifest[]): string | undefined {
  const target = child.descriptor.annotations?.[Annotation.DockerReferenceDigest];
  return target ? (items.find((c) => c.descriptor.digest === target)?.platform ?? shortDigest(target)) : undefined;
}

const CHILD_COLUMNS = [
  { label: 'Platform', className: 'w-48' },
  { label: 'Manifest' },
  { label: 'Size', className: 'w-20 text-right' },
  { label: 'Referrers', className: 'w-16 text-right' },
];

/** The manifests an index lists: platform, type, size, referrers, and whether they could be read. */
export function ChildrenTable({ source, repo, reference, items, selectedKey }: ChildrenTableProps) {
  if (items.length === 0) return <EmptyDetail>This index lists no manifests.</EmptyDetail>;
  return (
    <DetailTable columns={CHILD_COLUMNS} testId="children-table">
      {items.map((child) => {
        const key = childKey(child, items);
        const attests = child.attestation ? attestedPlatform(child, items) : undefined;
        return (
          <DetailRow key={child.descriptor.digest} highlighted={key === selectedKey} marked="bg-sky-50 dark:bg-sky-950/40">
            <td className="py-1.5 pr-2 align-top">
              <PageLink href={pages.manifest(source, repo, reference, { platform: key })} scroll={false} className="inline-flex flex-wrap items-center gap-1 hover:underline">
                {child.attestation ? (
                  <span className="rounded bg-amber-100 px-1.5 py-px text-[0.7rem] font-medium text-amber-900 dark:bg-amber-900/60 dark:text-amber-100">attestation</span>
                ) : (
                  <PlatformBadge platform={child.platform ?? 'no platform'} />
                )}
                <span className="sr-only">show details</span>
              </PageLink>
              {attests ? <div className="mt-0.5 text-xs text-zinc-500 dark:text-zinc-400">for {attests}</div> : null}
            </td>
            <td className="py-1.5 pr-2 align-top">
              <PageLink href={pages.manifest(source, repo, child.descriptor.digest)} className="font-mono text-xs break-all text-sky-700 underline dark:text-sky-400">
                {child.descriptor.digest}
              </PageLink>
              <div className="text-xs text-zinc-500 dark:text-zinc-400">{shortMediaType(child.descriptor.mediaType)}</div>
              {child.missing ? (
                <div role="note" className="mt-0.5 text-xs text-red-700 dark:text-red-300">
                  Missing: <code>{child.missing.code}</code> {child.missing.message}
                </div>
              ) : null}
            </td>
            <td className="py-1.5 pr-2 text-right align-top whitespace-nowrap tabular-nums">{formatBytes(child.descriptor.size)}</td>
            <td className="py-1.5 text-right align-top">
              {child.missing ? null : <ReferrersBadge source={source} repo={repo} digest={child.descriptor.digest} />}
            </td>
          </DetailRow>
        );
      })}
    </DetailTable>
  );
}
