/**
 * Where the disk tier keeps a key: `<namespace>/<algorithm>/<first two hex>/<hex>[.<part>]` under its root, e.g.
 * `manifest/sha256/3f/3f…a1` (the manifest's exact bytes, so an operator can look at them) or
 * `toc/sha256/9c/9c….checkpoints`. Two hex characters of fan-out keep directories small. The mapping is
 * one-to-one both ways, so the index can be rebuilt from the files alone.
 */
import 'server-only';
import { join, sep } from 'node:path';
import { parseKey } from '@/lib/registry/cache/keys';

/** The path of `key` relative to the root; throws for a key outside the grammar (never stored). */
export function relativePathOf(key: string): string {
  const parsed = parseKey(key);
  if (!parsed) throw new Error(`not a content store key: ${JSON.stringify(key.slice(0, 200))}`);
  const [algorithm, hex] = parsed.digest.split(':') as [string, string];
  return join(parsed.namespace, algorithm, hex.slice(0, 2), parsed.part ? `${hex}.${parsed.part}` : hex);
}

/** The key a relative path holds, or undefined for a file that is not an entry. */
export function keyOfRelativePath(path: string): string | undefined {
  const parts = path.split(sep);
  if (parts.length !== 4) return undefined;
  const [namespace, algorithm, shard, file] = parts as [string, string, string, string];
  const dot = file.indexOf('.');
  const hex = dot < 0 ? file : file.slice(0, dot);
  const part = dot < 0 ? undefined : file.slice(dot + 1);
  if (shard !== hex.slice(0, 2)) return undefined;
  const key = `${namespace}/${algorithm}:${hex}${part ? `/${part}` : ''}`;
  return parseKey(key) ? key : undefined;
}
