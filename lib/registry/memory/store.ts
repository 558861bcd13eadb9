/**
 * State of the in-memory registry: per repository, blobs and manifests by digest and tags by name.
 * Repositories appear on their first push or mount and are never removed (as in distribution and ocimem).
 */
import 'server-only';
import { RegistryError } from '@/lib/oci/errors';
import type { Descriptor, Digest } from '@/lib/oci/types';

export interface StoredBlob {
  descriptor: Descriptor;
  bytes: Uint8Array;
}

export interface StoredManifest {
  /** mediaType, digest, size. */
  descriptor: Descriptor;
  bytes: Uint8Array;
  /** Subject digest and the descriptor this manifest contributes to the subject's referrers. */
  referrer?: { subject: Digest; descriptor: Descriptor };
}

export class MemoryRepository {
  readonly blobs = new Map<Digest, StoredBlob>();
  readonly manifests = new Map<Digest, StoredManifest>();
  readonly tags = new Map<string, Digest>();

  /** Tags pointing at `digest`. */
  tagsOf(digest: Digest): string[] {
    return [...this.tags].filter(([, target]) => target === digest).map(([tag]) => tag);
  }

  manifest(digest: Digest): StoredManifest {
    const stored = this.manifests.get(digest);
    if (!stored) throw new RegistryError('MANIFEST_UNKNOWN', 'manifest unknown', { detail: { digest } });
    return stored;
  }

  blob(digest: Digest): StoredBlob {
    const stored = this.blobs.get(digest);
    if (!stored) throw new RegistryError('BLOB_UNKNOWN', 'blob unknown', { detail: { digest } });
    return stored;
  }
}

export class MemoryStore {
  readonly repositories = new Map<string, MemoryRepository>();

  /** An existing repository; NAME_UNKNOWN otherwise. */
  get(name: string): MemoryRepository {
    const repo = this.repositories.get(name);
    if (!repo) throw new RegistryError('NAME_UNKNOWN', 'repository name not known to registry', { detail: { name } });
    return repo;
  }

  /** The repository, created when missing (writes only). */
  ensure(name: string): MemoryRepository {
    let repo = this.repositories.get(name);
    if (!repo) {
      repo = new MemoryRepository();
      this.repositories.set(name, repo);
    }
    return repo;
  }
}

/** A copy of a descriptor with only the fields a resolve returns. */
export function plainDescriptor(descriptor: Descriptor): Descriptor {
  return { mediaType: descriptor.mediaType, digest: descriptor.digest, size: descriptor.size };
}
