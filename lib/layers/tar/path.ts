/**
 * Normalises an archive path the way container runtimes do when they unpack a layer (containerd joins it
 * onto `/` and cleans it): `./a//b/../c/` becomes `a/c`, and `..` never climbs above the root. The root
 * itself normalises to the empty string.
 */
export function normalisePath(raw: string): string {
  const out: string[] = [];
  for (const part of raw.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return out.join('/');
}

/** The parent directory of a normalised path (`''` for top-level entries). */
export function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '' : path.slice(0, slash);
}

/** The last component of a normalised path. */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
