import { describe, expect, it } from 'vitest';
import { type TreeRow, treeKeyAction } from './tree-nav';

// root (expanded) > a (expanded) > a1 ; root > b (collapsed) ; c (leaf, top level)
const rows: TreeRow[] = [
  { id: 'root', level: 1, expanded: true },
  { id: 'a', parentId: 'root', level: 2, expanded: true },
  { id: 'a1', parentId: 'a', level: 3 },
  { id: 'b', parentId: 'root', level: 2, expanded: false },
  { id: 'c', level: 1 },
];

describe('treeKeyAction', () => {
  it('moves up and down and jumps to the ends, clamped', () => {
    expect(treeKeyAction(rows, 'a', 'ArrowDown')).toEqual({ type: 'focus', id: 'a1' });
    expect(treeKeyAction(rows, 'a', 'ArrowUp')).toEqual({ type: 'focus', id: 'root' });
    expect(treeKeyAction(rows, 'root', 'ArrowUp')).toEqual({ type: 'focus', id: 'root' });
    expect(treeKeyAction(rows, 'c', 'ArrowDown')).toEqual({ type: 'focus', id: 'c' });
    expect(treeKeyAction(rows, 'b', 'Home')).toEqual({ type: 'focus', id: 'root' });
    expect(treeKeyAction(rows, 'b', 'End')).toEqual({ type: 'focus', id: 'c' });
  });

  it('expands, enters, collapses and goes to the parent', () => {
    expect(treeKeyAction(rows, 'b', 'ArrowRight')).toEqual({ type: 'toggle', id: 'b', expand: true });
    expect(treeKeyAction(rows, 'a', 'ArrowRight')).toEqual({ type: 'focus', id: 'a1' });
    expect(treeKeyAction(rows, 'a1', 'ArrowRight')).toEqual({ type: 'focus', id: 'a1' });
    expect(treeKeyAction(rows, 'a', 'ArrowLeft')).toEqual({ type: 'toggle', id: 'a', expand: false });
    expect(treeKeyAction(rows, 'a1', 'ArrowLeft')).toEqual({ type: 'focus', id: 'a' });
    expect(treeKeyAction(rows, 'b', 'ArrowLeft')).toEqual({ type: 'focus', id: 'root' });
    expect(treeKeyAction(rows, 'c', 'ArrowLeft')).toEqual({ type: 'focus', id: 'c' });
  });

  it('activates with Enter and Space and ignores other keys and unknown rows', () => {
    expect(treeKeyAction(rows, 'a1', 'Enter')).toEqual({ type: 'activate', id: 'a1' });
    expect(treeKeyAction(rows, 'a1', ' ')).toEqual({ type: 'activate', id: 'a1' });
    expect(treeKeyAction(rows, 'a1', 'x')).toBeNull();
    expect(treeKeyAction(rows, 'zz', 'ArrowDown')).toBeNull();
  });
});
