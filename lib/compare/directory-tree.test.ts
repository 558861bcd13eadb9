import { describe, expect, it } from 'vitest';
import { directoryTree, type DirectoryNode } from './directory-tree';
import type { DirectoryDelta } from './files-diff';

const d = (path: string, sizeDelta: number): DirectoryDelta => ({ path, sizeDelta, added: 1, removed: 0, changed: 0 });

function shape(node: DirectoryNode): unknown {
  return node.children.length ? { [node.name]: node.children.map(shape) } : node.name;
}

describe('directoryTree', () => {
  it('nests directories under their parents, children sorted by growth (shrinking last)', () => {
    const tree = directoryTree([d('', 900), d('usr', 1000), d('usr/lib', 700), d('usr/bin', 300), d('var', -100), d('etc', 0)]);
    expect(shape(tree)).toEqual({ '': [{ usr: ['lib', 'bin'] }, 'etc', 'var'] });
    expect(tree.sizeDelta).toBe(900);
  });

  it('hangs a directory whose parents were cut off under its nearest listed ancestor, named by the rest of its path', () => {
    const tree = directoryTree([d('usr/local/lib/python3.11/site-packages', 120_000), d('usr', 168_000), d('srv/etl', -200)]);
    expect(tree.sizeDelta).toBe(0); // no root in the list: a zero root is made up
    expect(shape(tree)).toEqual({ '': [{ usr: ['local/lib/python3.11/site-packages'] }, 'srv/etl'] });
  });

  it('is an empty root for no changes', () => {
    expect(directoryTree([])).toEqual({ path: '', name: '', sizeDelta: 0, added: 0, removed: 0, changed: 0, children: [] });
  });
});
