/**
 * Keyboard behaviour of the file tree, after the WAI-ARIA tree view pattern: ↑/↓ move, → opens a directory
 * (or moves into it when open), ← closes it (or moves to the parent), Home/End jump, PageUp/PageDown move a
 * page, Enter activates (a file opens in the viewer, a directory toggles, a symlink is followed).
 * @see https://www.w3.org/WAI/ARIA/apg/patterns/treeview/
 */
import type { FileTree } from './tree-model';

export interface KeyResult {
  /** The row to focus next. */
  focus?: number;
  /** The directory node to open or close. */
  toggle?: number;
  /** Enter: activate the focused node. */
  activate?: true;
}

/**
 * What `key` does with row `focus` of `rows` focused; undefined: the key is not the tree's. While a filter
 * shows its matches (`isOpen` undefined) nothing opens or closes: → and ← only move.
 */
export function treeKey(tree: FileTree, rows: Int32Array, focus: number, key: string, isOpen: ((node: number) => boolean) | undefined, pageSize = 10): KeyResult | undefined {
  const last = rows.length - 1;
  if (last < 0) return undefined;
  const at = Math.min(Math.max(focus, 0), last);
  const node = rows[at]!;
  const isDir = tree.entries[node]!.type === 'dir';
  switch (key) {
    case 'ArrowDown':
      return { focus: Math.min(at + 1, last) };
    case 'ArrowUp':
      return { focus: Math.max(at - 1, 0) };
    case 'PageDown':
      return { focus: Math.min(at + pageSize, last) };
    case 'PageUp':
      return { focus: Math.max(at - pageSize, 0) };
    case 'Home':
      return { focus: 0 };
    case 'End':
      return { focus: last };
    case 'ArrowRight':
      if (!isDir) return { focus: at };
      if (isOpen && !isOpen(node)) return { focus: at, toggle: node };
      // Open: the first child is the next row (if it has any shown).
      return { focus: at < last && tree.parent[rows[at + 1]!] === node ? at + 1 : at };
    case 'ArrowLeft': {
      if (isDir && isOpen?.(node)) return { focus: at, toggle: node };
      const parent = tree.parent[node]!;
      if (parent < 0) return { focus: at };
      for (let r = at - 1; r >= 0; r--) if (rows[r] === parent) return { focus: r };
      return { focus: at };
    }
    case 'Enter':
      return { focus: at, activate: true };
    default:
      return undefined;
  }
}
