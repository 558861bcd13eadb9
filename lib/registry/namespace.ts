/**
 * A namespace of named registries, addressed by full references (cue-labs' `ociref` proposal and
 * distribution's `Namespace`): `NAME/REPO[:TAG][@DIGEST]`, where NAME is an entry's name, or
 * `HOST/REPO[:TAG][@DIGEST]`, where HOST (`host[:port]`, recognised by a `.` or `:` or being `localhost`) is one
 * of an entry's hosts. Reads by full reference — resolve, get manifest, get blob, list referrers — go through it;
 * a `:TAG@DIGEST` reference is checked: the tag must still point at that digest.
 *
 * Pure over the Registry interface: the server builds one from its configured sources, and any other caller
 * (the copy command line, tests) can build one from registries of its own.
 */
import { RegistryError } from '@/lib/oci/errors';
import { parseReference, validateRepository } from '@/lib/oci/reference';
import type { Descriptor, Digest } from '@/lib/oci/types';
import type { BlobContent, CallOptions, ManifestContent, ReferrersOptions, Registry } from './registry';

export interface NamespaceEntry {
  /** The entry's name: the first component of a reference that names no host. */
  name: string;
  /** Registry hosts (`host[:port]`) this entry answers for, compared case-insensitively. */
  hosts?: readonly string[];
  registry: Registry;
}

/** A reference resolved to an entry and a repository in it. */
export interface NamespaceTarget {
  entry: NamespaceEntry;
  repo: string;
  tag?: string;
  digest?: Digest;
}

function moved(target: NamespaceTarget, actual: Digest): RegistryError {
  return new RegistryError('MANIFEST_UNKNOWN', `tag ${target.tag} of ${target.entry.name}/${target.repo} has moved: it points at ${actual}, not ${target.digest}`, {
    status: 409,
    detail: { tag: target.tag, expected: target.digest, actual },
  });
}

export class Namespace {
  private readonly entries: readonly NamespaceEntry[];

  constructor(entries: readonly NamespaceEntry[]) {
    this.entries = [...entries];
  }

  /** The entry for a host, or undefined: the first whose hosts (or name) match, case-insensitively. */
  entryForHost(host: string): NamespaceEntry | undefined {
    const wanted = host.toLowerCase();
    return (
      this.entries.find((e) => e.hosts?.some((h) => h.toLowerCase() === wanted)) ?? this.entries.find((e) => e.name.toLowerCase() === wanted)
    );
  }

  /** The entry of that name, or undefined. */
  entryNamed(name: string): NamespaceEntry | undefined {
    return this.entries.find((e) => e.name === name);
  }

  /**
   * Parses a full reference and finds its entry. Throws NAME_INVALID / TAG_INVALID / DIGEST_INVALID for a
   * malformed reference, NAME_UNKNOWN when no entry serves its host or name.
   */
  parse(reference: string): NamespaceTarget {
    const parsed = parseReference(reference);
    let entry: NamespaceEntry | undefined;
    let repo = parsed.repository;
    if (parsed.host) {
      entry = this.entryForHost(parsed.host);
      if (!entry) throw new RegistryError('NAME_UNKNOWN', `no source serves the registry host "${parsed.host}"`, { detail: { host: parsed.host } });
    } else {
      const [first, ...rest] = parsed.repository.split('/');
      entry = this.entryNamed(first!);
      if (!entry) throw new RegistryError('NAME_UNKNOWN', `"${first}" is neither a source name nor a registry host`, { detail: { source: first } });
      repo = rest.join('/');
      if (repo === '') throw new RegistryError('NAME_INVALID', `reference "${reference.slice(0, 80)}" has no repository after the source name`);
      validateRepository(repo);
    }
    return { entry, repo, ...(parsed.tag ? { tag: parsed.tag } : {}), ...(parsed.digest ? { digest: parsed.digest } : {}) };
  }

  /**
   * The descriptor a reference names: by digest, by tag, or by both (the tag must point at the digest:
   * MANIFEST_UNKNOWN with status 409 otherwise). A reference with neither is NAME_INVALID.
   */
  async resolve(reference: string | NamespaceTarget, options: CallOptions = {}): Promise<Descriptor> {
    const target = typeof reference === 'string' ? this.parse(reference) : reference;
    const { registry } = target.entry;
    if (target.tag !== undefined) {
      const byTag = await registry.resolveTag(target.repo, target.tag, options);
      if (target.digest !== undefined && byTag.digest !== target.digest) throw moved(target, byTag.digest);
      return byTag;
    }
    if (target.digest !== undefined) return registry.resolveManifest(target.repo, target.digest, options);
    throw new RegistryError('NAME_INVALID', 'the reference needs a tag or a digest');
  }

  /** The manifest a reference names, exact bytes (a `:TAG@DIGEST` reference is checked first). */
  async getManifest(reference: string | NamespaceTarget, options: CallOptions = {}): Promise<ManifestContent> {
    const target = typeof reference === 'string' ? this.parse(reference) : reference;
    const { registry } = target.entry;
    if (target.digest !== undefined) {
      if (target.tag !== undefined) await this.resolve(target, options);
      return registry.getManifest(target.repo, target.digest, options);
    }
    if (target.tag !== undefined) return registry.getTag(target.repo, target.tag, options);
    throw new RegistryError('NAME_INVALID', 'the reference needs a tag or a digest');
  }

  /** A blob by `NAME/REPO@DIGEST` (a tag is not meaningful for blobs: NAME_INVALID). */
  getBlob(reference: string | NamespaceTarget, options: CallOptions = {}): Promise<BlobContent> {
    const target = typeof reference === 'string' ? this.parse(reference) : reference;
    if (target.digest === undefined || target.tag !== undefined) {
      return Promise.reject(new RegistryError('NAME_INVALID', 'a blob reference is NAME/REPO@DIGEST'));
    }
    return target.entry.registry.getBlob(target.repo, target.digest, options);
  }

  /** Referrers of the manifest a reference names (resolving a tag first). */
  async *listReferrers(reference: string | NamespaceTarget, options: ReferrersOptions = {}): AsyncGenerator<Descriptor, void, undefined> {
    const target = typeof reference === 'string' ? this.parse(reference) : reference;
    const digest = target.digest !== undefined && target.tag === undefined ? target.digest : (await this.resolve(target, options)).digest;
    yield* target.entry.registry.listReferrers(target.repo, digest, options);
  }
}
