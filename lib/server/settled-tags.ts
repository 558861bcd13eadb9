/**
 * What a tag listing keeps of a tag once it is read: its descriptor, and nothing else. While a tag is being
 * read the listing holds a shared task for it (its promise, the resolution with a details closure, and through
 * that closure's scope the task's abort signal and the first view's manifest bytes): about 1.5 KB a tag, which
 * at 20,000 tags was the largest part of the server's memory. Once the tag's details were computed once, they
 * are in the details cache by repository and digest (and if the cache let them go, the next view reads the
 * manifest again by digest), so the listing keeps only the descriptor, and the descriptor is shared by
 * every tag on the same digest (aliases), with one string per media type.
 */
import 'server-only';
import type { Descriptor, Digest } from '@/lib/oci/types';
import type { SharedTask } from './shared-task';

/** A listing's entry for one tag: its read in progress (or failed, until dropped), or its settled descriptor. */
export type TagEntry<R> = SharedTask<R> | SettledTag;

/** A settled tag: the descriptor its manifest GET answered (interned, see {@link DescriptorInterner}). */
export type SettledTag = Readonly<Descriptor>;

/** True for an entry that holds only the settled descriptor (no task, promise or closure). */
export function isSettledTag<R>(entry: TagEntry<R>): entry is SettledTag {
  // Not `instanceof SharedTask`: Next.js may bundle this module and shared-task.ts into different chunks.
  return typeof (entry as Partial<Descriptor>).digest === 'string';
}

/**
 * One descriptor object per (digest, media type, size) and one string per media type, for one listing: the
 * 20,000 tags of the benchmark point at 5,500 manifests, and every GET answers new strings for the same ones.
 * Only the fields rows use are kept (digest, media type, size).
 */
export class DescriptorInterner {
  private readonly byDigest = new Map<Digest, SettledTag>();
  private readonly mediaTypes = new Map<string, string>();

  intern(descriptor: Descriptor): SettledTag {
    const known = this.byDigest.get(descriptor.digest);
    if (known && known.mediaType === descriptor.mediaType && known.size === descriptor.size) return known;
    let mediaType = this.mediaTypes.get(descriptor.mediaType);
    if (mediaType === undefined) {
      mediaType = descriptor.mediaType;
      this.mediaTypes.set(mediaType, mediaType);
    }
    const settled: SettledTag = { mediaType, digest: known?.digest ?? descriptor.digest, size: descriptor.size };
    // A digest answered with another media type or size (a misbehaving registry) is kept apart, never merged.
    if (!known) this.byDigest.set(settled.digest, settled);
    return settled;
  }
}
