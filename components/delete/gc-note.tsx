import type { SourceKind } from '@/lib/api/types';

/** After a delete: how the space comes back. Registries need their garbage collector; layouts clean up themselves. */
export function GcNote({ kind }: { kind: SourceKind }) {
  return (
    <div data-testid="gc-note" className="rounded-md border border-sky-200 bg-sky-50 px-3 py-2 text-xs text-sky-950 dark:border-sky-900 dark:bg-sky-950/40 dark:text-sky-100">
      <p className="font-medium">Reclaiming space</p>
      {kind === 'http' ? (
        <p className="mt-1">
          A registry frees no disk space when a manifest or tag is deleted; its garbage collector removes blobs no
          manifest uses any more. On CNCF distribution (<code>docker-registry</code>) run{' '}
          <code className="break-all">docker-registry garbage-collect --dry-run /etc/docker/registry/config.yml</code>,
          then again without <code>--dry-run</code>, preferably with the registry read-only. Harbor, Quay, zot and
          cloud registries schedule their own collection.
        </p>
      ) : (
        <p className="mt-1">
          This source removes blobs that no manifest uses any more by itself; there is nothing to run.
        </p>
      )}
    </div>
  );
}
