/**
 * How the space of deleted tags is actually freed, per source kind: the explanation shown after a cleanup
 * (UI, CLI, API result). Pure.
 *
 * Deleting a tag frees nothing by itself: the manifest stays, reachable by digest, and so do its blobs.
 * On distribution only the garbage collector removes blobs, and only those no remaining manifest links;
 * distribution 2.8.2's placeholder tag deletion (tag re-pointed at a throw-away manifest, which is then
 * deleted) leaves the original manifest untagged in the same way.
 * @see https://github.com/distribution/distribution/blob/v2.8.2/docs/garbage-collection.md
 */
import type { SourceKind } from '@/lib/api/types';
import type { CollectedManifest, GcAdvice } from './types';

/**
 * The advice for a source kind; `untagged` is how many manifests the cleanup left without tags, `collected`
 * what happened to them on a layout source.
 */
export function gcAdvice(kind: SourceKind, untagged: number, collected: readonly CollectedManifest[] = []): GcAdvice {
  switch (kind) {
    case 'layout': {
      const deleted = collected.filter((c) => c.status === 'deleted').length;
      const left = untagged - deleted;
      return {
        kind: 'layout',
        message:
          'OCI layout source: Porthole is its garbage collector. ' +
          (untagged === 0
            ? 'This cleanup left no manifest without tags, so nothing more was freed than the tags themselves.'
            : `It deleted ${deleted} of the ${untagged} manifest${untagged === 1 ? '' : 's'} this cleanup left without tags, ` +
              'and removed at once every blob no remaining manifest uses: the space is already free.' +
              (left > 0 ? ` ${left} stayed (tagged again, still listed by a kept index, or not attempted after a failure; see the results).` : '')) +
          ' Signatures and other referrers of deleted manifests stay until deleted themselves.',
        commands: [],
      };
    }
    case 'memory':
      return {
        kind: 'memory',
        message: 'In-memory source: the data lives only in this Porthole process and is gone when it stops; there is nothing to collect.',
        commands: [],
      };
    default: {
      const untaggedNote =
        untagged > 0
          ? `${untagged} manifest${untagged === 1 ? ' is' : 's are'} now without tags: still stored and pullable by digest, and holding their layers. `
          : '';
      return {
        kind: 'distribution',
        message:
          'Registry source: deleting tags frees no space by itself. ' +
          untaggedNote +
          'The garbage collector (run by the registry operator, ideally with the registry stopped or read-only) frees only blobs ' +
          'that no manifest links, tagged or not: first delete the manifests left without tags by digest (the plan lists them; ' +
          'manifest page → Delete manifest), then run the collector. Its --delete-untagged flag would remove untagged manifests ' +
          'itself, but on distribution 2.x it also removes the platform manifests of multi-arch images that are still tagged and ' +
          'referrers pushed by digest (distribution#3178), so it is not offered here; on distribution 3.x it is safe for indexes. ' +
          'Blobs still linked from another repository stay.',
        commands: [
          'registry garbage-collect --dry-run /etc/docker/registry/config.yml',
          'registry garbage-collect /etc/docker/registry/config.yml',
        ],
      };
    }
  }
}
