/**
 * `unify([a, b, …])`: several registries seen as one (cue-labs' `ociunify`), e.g. a mirror together with its
 * origin.
 *
 * - Reads try the members in order; the first that has the content answers. A member that does not have it
 *   (NAME_UNKNOWN, MANIFEST_UNKNOWN, BLOB_UNKNOWN) or cannot be reached passes the read to the next; when
 *   none answers, the most telling error is thrown (a real failure before "unknown"). What a member serves by
 *   digest is verified by that member's backend like any other read.
 * - Lists (repositories, tags, referrers) are the union of every member's list, sorted in byte order (referrers
 *   by digest) and without duplicates. A member that fails to list fails the listing: a partial union would
 *   look complete.
 * - Writes and deletes go to every member in order and fail when any member refuses (what earlier members
 *   already did stays done; the error says which member refused). A delete succeeds when at least one member
 *   held the tag or manifest; members that did not are skipped.
 * - Capabilities: what every member can do.
 * Built with `fromFuncs` and an explicit list of methods, so a method added later fails closed.
 */
import { isRegistryError, RegistryError } from '@/lib/oci/errors';
import type { Descriptor } from '@/lib/oci/types';
import { fromFuncs } from '../funcs';
import { afterCursor, collect, compareByteOrder, fromArray } from '../iter';
import type { Capabilities, DeleteManifestResult, DeleteTagResult, ListOptions, Registry } from '../registry';

const NOT_HERE = new Set(['NAME_UNKNOWN', 'MANIFEST_UNKNOWN', 'BLOB_UNKNOWN']);

function notHere(error: unknown): boolean {
  return isRegistryError(error) && NOT_HERE.has(error.code);
}

/** Tries `read` on each member in order; see the module comment for which error wins. */
async function firstHit<T>(members: readonly Registry[], read: (member: Registry) => Promise<T>): Promise<T> {
  let unknown: unknown;
  let failure: unknown;
  for (const member of members) {
    try {
      return await read(member);
    } catch (error) {
      if (notHere(error)) unknown ??= error;
      else if (isRegistryError(error, 'DIGEST_INVALID') || isRegistryError(error, 'NAME_INVALID') || isRegistryError(error, 'TAG_INVALID')) throw error;
      else failure ??= error;
    }
  }
  throw failure ?? unknown;
}

/** The sorted, de-duplicated union of the members' lists, after the cursor. */
function union(members: readonly Registry[], list: (member: Registry, options: ListOptions) => AsyncIterable<string>, options: ListOptions = {}): AsyncIterable<string> {
  return (async function* () {
    const { startAfter, ...rest } = options;
    const all = new Set<string>();
    let known = false;
    let missing: unknown;
    for (const member of members) {
      try {
        for (const item of await collect(list(member, rest))) all.add(item);
        known = true;
      } catch (error) {
        // A repository one member lacks is still listed from the others.
        if (!notHere(error)) throw error;
        missing ??= error;
      }
    }
    if (!known) throw missing;
    yield* afterCursor([...all].sort(compareByteOrder), startAfter);
  })();
}

function wrapMemberError(index: number, error: unknown): unknown {
  if (!isRegistryError(error)) return error;
  return new RegistryError(error.code, `member ${index + 1} of the unified source: ${error.message}`, {
    status: error.status,
    ...(error.detail !== undefined ? { detail: error.detail } : {}),
    cause: error,
  });
}

/** Runs a write on every member in order (from member `from` on); the first refusal stops it. */
async function everyMember<T>(members: readonly Registry[], write: (member: Registry) => Promise<T>, from = 0): Promise<T[]> {
  const results: T[] = [];
  for (let i = from; i < members.length; i++) {
    try {
      results.push(await write(members[i]!));
    } catch (error) {
      throw wrapMemberError(i, error);
    }
  }
  return results;
}

/** Runs a delete on every member that holds the target; fails when none did or one refused. */
async function deleteEverywhere<T>(members: readonly Registry[], remove: (member: Registry) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  let unknown: unknown;
  for (const [i, member] of members.entries()) {
    try {
      results.push(await remove(member));
    } catch (error) {
      if (notHere(error)) {
        unknown ??= error;
        continue;
      }
      throw wrapMemberError(i, error);
    }
  }
  if (results.length === 0) throw unknown;
  return results;
}

function combineCapabilities(all: readonly Capabilities[]): Capabilities {
  const every = (pick: (c: Capabilities) => boolean | 'unknown'): boolean | 'unknown' => {
    const values = all.map(pick);
    if (values.some((v) => v === false)) return false;
    return values.every((v) => v === true) ? true : 'unknown';
  };
  const tagDeletes = all.map((c) => c.tagDelete);
  const tagDelete: Capabilities['tagDelete'] = tagDeletes.includes('unsupported')
    ? 'unsupported'
    : tagDeletes.includes('unknown')
      ? 'unknown'
      : tagDeletes.includes('placeholder')
        ? 'placeholder'
        : 'native';
  return {
    catalog: every((c) => c.catalog),
    write: every((c) => c.write),
    manifestDelete: every((c) => c.manifestDelete),
    tagDelete,
    referrersApi: every((c) => c.referrersApi),
  };
}

/** A registry over `members` (at least one), read in order, written to all. */
export function unify(members: readonly Registry[]): Registry {
  if (members.length === 0) throw new TypeError('unify needs at least one registry');
  const m = [...members];
  return fromFuncs({
    resolveTag: (repo, tag, options) => firstHit(m, (r) => r.resolveTag(repo, tag, options)),
    resolveManifest: (repo, digest, options) => firstHit(m, (r) => r.resolveManifest(repo, digest, options)),
    resolveBlob: (repo, digest, options) => firstHit(m, (r) => r.resolveBlob(repo, digest, options)),
    getTag: (repo, tag, options) => firstHit(m, (r) => r.getTag(repo, tag, options)),
    getManifest: (repo, digest, options) => firstHit(m, (r) => r.getManifest(repo, digest, options)),
    getBlob: (repo, digest, options) => firstHit(m, (r) => r.getBlob(repo, digest, options)),
    listRepositories: (options) => union(m, (r, o) => r.listRepositories(o), options),
    listTags: (repo, options) => union(m, (r, o) => r.listTags(repo, o), options),
    listReferrers: (repo, digest, options) =>
      (async function* () {
        const seen = new Map<string, Descriptor>();
        let known = false;
        let missing: unknown;
        for (const member of m) {
          try {
            for (const d of await collect(member.listReferrers(repo, digest, options))) if (!seen.has(d.digest)) seen.set(d.digest, d);
            known = true;
          } catch (error) {
            if (!notHere(error)) throw error;
            missing ??= error;
          }
        }
        if (!known) throw missing;
        yield* fromArray([...seen.values()].sort((a, b) => compareByteOrder(a.digest, b.digest)));
      })(),
    pushBlob: async (repo, descriptor, body, options) => {
      // A stream can be read once: members after the first get the blob from the first.
      const first = await everyMember([m[0]!], (r) => r.pushBlob(repo, descriptor, body, options));
      await everyMember(m, async (r) => r.pushBlob(repo, descriptor, (await m[0]!.getBlob(repo, descriptor.digest, options)).body, options), 1);
      return first[0]!;
    },
    mountBlob: async (fromRepo, repo, digest, options) => (await everyMember(m, (r) => r.mountBlob(fromRepo, repo, digest, options)))[0]!,
    pushManifest: async (repo, bytes, mediaType, options) => (await everyMember(m, (r) => r.pushManifest(repo, bytes, mediaType, options)))[0]!,
    deleteTag: async (repo, tag, options): Promise<DeleteTagResult> => (await deleteEverywhere(m, (r) => r.deleteTag(repo, tag, options)))[0]!,
    deleteManifest: async (repo, digest, options): Promise<DeleteManifestResult> => {
      const results = await deleteEverywhere(m, (r) => r.deleteManifest(repo, digest, options));
      return {
        deleted: [...new Set(results.flatMap((r) => r.deleted))],
        tags: [...new Set(results.flatMap((r) => r.tags))].sort(compareByteOrder),
      };
    },
    deleteBlob: async (repo, digest, options) => {
      await deleteEverywhere(m, (r) => r.deleteBlob(repo, digest, options));
    },
    capabilities: async (repo, options) => combineCapabilities(await Promise.all(m.map((r) => r.capabilities(repo, options)))),
    close: async () => {
      await Promise.all(m.map((r) => r.close()));
    },
  });
}
