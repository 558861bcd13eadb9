/**
 * Garbage collection of one repository layout: mark everything reachable from index.json (entries, index
 * children, configs, layers — not `subject` links, like regclient's ocidir and distribution), then sweep
 * `blobs/`. An unmarked blob is removed when the deletion that triggered GC referred to it, or when it is
 * older than the grace period (younger ones may belong to a push in progress: blobs come before the
 * manifest that lists them). If any listed manifest cannot be parsed, nothing is swept: its blobs would be
 * unmarked and removing them could break it.
 */
import 'server-only';
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Descriptor, Digest } from '@/lib/oci/types';
import { requiredBlobs } from '@/lib/registry/local/manifest-info';
import { isErrno } from './files';
import type { LayoutStore } from './store';

/** Everything a set of manifests refers to, themselves included (for the "referred to" sweep rule). */
export async function contentOf(store: LayoutStore, dir: string, roots: readonly Descriptor[]): Promise<Set<Digest>> {
  const graph = await store.walk(dir, roots);
  const digests = new Set<Digest>(graph.manifests.keys());
  for (const { record } of graph.manifests.values()) {
    if (record.state === 'ok') for (const blob of record.info.references.blobs) digests.add(blob.digest);
  }
  return digests;
}

/** Sweeps unreachable blobs of `dir`; returns the digests removed. */
export async function collectGarbage(
  store: LayoutStore,
  dir: string,
  entries: readonly Descriptor[],
  candidates: ReadonlySet<Digest>,
  now = Date.now(),
): Promise<Digest[]> {
  const graph = await store.walk(dir, entries);
  const marked = new Set<Digest>(graph.manifests.keys());
  for (const { record } of graph.manifests.values()) {
    if (record.state === 'invalid') return [];
    if (record.state === 'ok') for (const blob of requiredBlobs(record.info.references)) marked.add(blob.digest);
  }
  const removed: Digest[] = [];
  const blobsDir = join(dir, 'blobs');
  let algorithms: string[];
  try {
    algorithms = await readdir(blobsDir);
  } catch (error) {
    if (isErrno(error, 'ENOENT', 'ENOTDIR')) return [];
    throw error;
  }
  for (const algorithm of algorithms) {
    if (algorithm.startsWith('.')) continue;
    let files: string[];
    try {
      files = await readdir(join(blobsDir, algorithm));
    } catch (error) {
      if (isErrno(error, 'ENOTDIR', 'ENOENT')) continue;
      throw error;
    }
    for (const file of files) {
      // Temp files of writes in progress start with a dot.
      if (file.startsWith('.')) continue;
      const digest = `${algorithm}:${file}`;
      if (marked.has(digest)) continue;
      const path = join(blobsDir, algorithm, file);
      if (!candidates.has(digest)) {
        const info = await stat(path).catch(() => undefined);
        if (!info || now - info.mtimeMs < store.gcGraceMs) continue;
      }
      await rm(path, { force: true });
      removed.push(digest);
    }
  }
  store.forget(dir, removed);
  return removed;
}
