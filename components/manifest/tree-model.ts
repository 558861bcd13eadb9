/**
 * The rows of the manifest tree (index → platform manifests → config and layers), flattened in display order.
 * Child manifests are loaded lazily when expanded; their state (loading, failed, loaded) becomes rows too, so a
 * sparse index or an unreadable child shows what is missing instead of breaking the tree.
 */
import type { ChildManifest, ManifestResponse } from '@/lib/api/types';
import type { Descriptor } from '@/lib/oci/types';
import { childKey } from './selection';
import type { PositionedTreeRow } from './tree-nav';

export type ManifestTreeRow = PositionedTreeRow &
  (
    | { type: 'root'; data: ManifestResponse }
    /** A child of the root index; `key` is its `?platform=` value. */
    | { type: 'child'; child: ChildManifest; key: string }
    /** A manifest deeper down (nested index) or the subject: opens its own page. */
    | { type: 'link'; descriptor: Descriptor; label: string }
    /** Config or layer; `owner` is the child key of the manifest holding it (undefined: the root). */
    | { type: 'blob'; descriptor: Descriptor; role: 'config' | 'layer'; index: number; owner?: string }
    | { type: 'note'; tone: 'muted' | 'error'; text: string }
  );

export interface ChildState {
  data?: ManifestResponse;
  error?: unknown;
  pending: boolean;
}

// Omit over each member of the union (plain Omit would merge the members and lose their fields).
type Draft = ManifestTreeRow extends infer R ? (R extends unknown ? Omit<R, 'posinset' | 'setsize'> : never) : never;

function errorText(error: unknown): string {
  const e = error as { code?: string; message?: string } | null;
  return e?.code ? `${e.code}: ${e.message ?? ''}` : (e?.message ?? 'unknown error');
}

/** Config and layer rows of a manifest (or a note when it has neither). */
function contents(data: ManifestResponse, parentId: string, level: number, owner?: string): Draft[] {
  const rows: Draft[] = [];
  if (data.children) {
    for (const child of data.children) {
      const label = child.platform ?? (child.attestation ? 'attestation' : 'manifest');
      rows.push({ type: 'link', id: `${parentId}/m:${child.descriptor.digest}`, parentId, level, descriptor: child.descriptor, label });
    }
  }
  const config = data.config ? { mediaType: data.config.mediaType, digest: data.config.digest, size: -1 } : undefined;
  const configDescriptor = (data.manifest as { config?: Descriptor } | null)?.config ?? config;
  if (configDescriptor?.digest) {
    rows.push({ type: 'blob', id: `${parentId}/config`, parentId, level, descriptor: configDescriptor, role: 'config', index: 0, owner });
  }
  (data.layers ?? []).forEach((layer, index) => {
    rows.push({ type: 'blob', id: `${parentId}/layer:${index}`, parentId, level, descriptor: layer, role: 'layer', index, owner });
  });
  if (rows.length === 0) {
    rows.push({ type: 'note', id: `${parentId}/empty`, parentId, level, tone: 'muted', text: 'No child manifests, config or layers' });
  }
  return rows;
}

/** All visible rows; `isExpanded` decides which nodes are open, `child` gives a child manifest's load state. */
export function manifestTreeRows(
  root: ManifestResponse,
  isExpanded: (id: string) => boolean,
  child: (digest: string) => ChildState | undefined,
): ManifestTreeRow[] {
  const rows: Draft[] = [];
  const rootExpanded = isExpanded('root');
  rows.push({ type: 'root', id: 'root', level: 1, expanded: rootExpanded, data: root });
  if (rootExpanded) {
    if (root.children) {
      for (const c of root.children) {
        const id = `c:${c.descriptor.digest}`;
        const expandable = !c.missing;
        const expanded = expandable && isExpanded(id);
        rows.push({ type: 'child', id, parentId: 'root', level: 2, expanded: expandable ? expanded : undefined, child: c, key: childKey(c, root.children) });
        if (!expanded) continue;
        const state = child(c.descriptor.digest);
        if (!state || state.pending) {
          rows.push({ type: 'note', id: `${id}/loading`, parentId: id, level: 3, tone: 'muted', text: 'Loading…' });
        } else if (state.error || !state.data) {
          rows.push({ type: 'note', id: `${id}/error`, parentId: id, level: 3, tone: 'error', text: `Could not load: ${errorText(state.error)}` });
        } else {
          rows.push(...contents(state.data, id, 3, childKey(c, root.children)));
        }
      }
      if (root.children.length === 0) {
        rows.push({ type: 'note', id: 'root/empty', parentId: 'root', level: 2, tone: 'muted', text: 'This index lists no manifests' });
      }
    } else {
      rows.push(...contents(root, 'root', 2));
    }
    if (root.subject) {
      rows.push({ type: 'link', id: 'root/subject', parentId: 'root', level: 2, descriptor: root.subject, label: 'subject' });
    }
  }
  return withPositions(rows);
}

function withPositions(rows: Draft[]): ManifestTreeRow[] {
  const sizes = new Map<string, number>();
  for (const row of rows) sizes.set(row.parentId ?? '', (sizes.get(row.parentId ?? '') ?? 0) + 1);
  const seen = new Map<string, number>();
  return rows.map((row) => {
    const parent = row.parentId ?? '';
    const posinset = (seen.get(parent) ?? 0) + 1;
    seen.set(parent, posinset);
    return { ...row, posinset, setsize: sizes.get(parent)! } as ManifestTreeRow;
  });
}
