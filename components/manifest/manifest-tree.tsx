'use client';

import { useQueries } from '@tanstack/react-query';
import clsx from 'clsx';
import { useRouter } from 'next/navigation';
import { useCallback, useMemo, useState } from 'react';
import type { ManifestResponse } from '@/lib/api/types';
import { registryQueries } from '@/lib/query/options';
import { pages } from '@/lib/routes';
import { ManifestTreeRowContent } from './manifest-tree-row';
import { type ChildState, type ManifestTreeRow, manifestTreeRows } from './tree-model';
import { useTreeNav } from './tree-nav';

export interface ManifestTreeProps {
  source: string;
  repo: string;
  label: string;
  data: ManifestResponse;
  /** Digest of the selected child, undefined when the root is selected. */
  selectedDigest?: string;
  /** Select a child (undefined: the root); `blob` asks the details to show that config or layer. */
  onSelect: (key: string | undefined, blob?: string) => void;
}

function accessibleName(row: ManifestTreeRow, label: string): string {
  switch (row.type) {
    case 'root':
      return `${label} (${row.data.kind})`;
    case 'child':
      return `${row.child.attestation ? 'attestation' : (row.child.platform ?? 'manifest')} ${row.child.descriptor.digest.slice(0, 19)}${row.child.missing ? ', missing' : ''}`;
    case 'blob':
      return `${row.role === 'config' ? 'config' : `layer ${row.index + 1}`} ${row.descriptor.digest.slice(0, 19)}`;
    case 'link':
      return `${row.label} ${row.descriptor.digest.slice(0, 19)}, opens its page`;
    case 'note':
      return row.text;
  }
}

/** Index → platform manifests → config and layers, as a keyboard-navigable tree; children load when opened. */
export function ManifestTree({ source, repo, label, data, selectedDigest, onSelect }: ManifestTreeProps) {
  const router = useRouter();
  const [toggled, setToggled] = useState<ReadonlyMap<string, boolean>>(new Map());
  const selectedId = selectedDigest ? `c:${selectedDigest}` : 'root';
  const isExpanded = useCallback((id: string) => toggled.get(id) ?? (id === 'root' || id === selectedId), [toggled, selectedId]);

  const open = (data.children ?? []).filter((c) => !c.missing && isExpanded(`c:${c.descriptor.digest}`));
  const results = useQueries({ queries: open.map((c) => registryQueries.manifest(source, repo, c.descriptor.digest)) });
  const states = new Map<string, ChildState>(open.map((c, i) => [c.descriptor.digest, { data: results[i]?.data, error: results[i]?.error, pending: !!results[i]?.isPending }]));
  const rows = manifestTreeRows(data, isExpanded, (digest) => states.get(digest));
  const byId = useMemo(() => new Map(rows.map((r) => [r.id, r])), [rows]);

  const toggle = useCallback((id: string, expand: boolean) => setToggled((m) => new Map(m).set(id, expand)), []);
  const activate = (id: string) => {
    const row = byId.get(id);
    if (!row) return;
    if (row.type === 'root') onSelect(undefined);
    else if (row.type === 'child') onSelect(row.key);
    else if (row.type === 'blob') onSelect(row.owner, row.descriptor.digest);
    else if (row.type === 'link') router.push(pages.manifest(source, repo, row.descriptor.digest));
  };
  const rowProps = useTreeNav(rows, { onToggle: toggle, onActivate: activate, defaultFocusId: selectedId });

  return (
    <div role="tree" aria-label="Manifest tree" data-testid="manifest-tree" className="flex flex-col gap-px text-sm">
      {rows.map((row) => (
        <div
          key={row.id}
          {...rowProps({ ...row, selected: row.id === selectedId })}
          aria-label={accessibleName(row, label)}
          onClick={() => activate(row.id)}
          style={{ paddingLeft: `${(row.level - 1) * 1.1 + 0.25}rem` }}
          className={clsx(
            'flex min-h-7 cursor-pointer items-center gap-1.5 rounded py-0.5 pr-1.5 outline-offset-0',
            row.id === selectedId ? 'bg-sky-100 text-sky-950 dark:bg-sky-900/50 dark:text-sky-50' : 'hover:bg-zinc-100 dark:hover:bg-zinc-800/70',
            row.type === 'note' && 'cursor-default',
          )}
        >
          <ManifestTreeRowContent row={row} source={source} repo={repo} label={label} onToggle={() => row.expanded !== undefined && toggle(row.id, !row.expanded)} />
        </div>
      ))}
    </div>
  );
}
