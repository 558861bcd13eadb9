/**
 * `/open?ref=HOST/REPO[:TAG][@DIGEST]`: finds the page for a pull reference, so that links can be built from
 * what people copy out of CI logs and Dockerfiles.
 *
 * Matching: the first source in configuration order whose host equals the reference's host
 * (case-insensitive): an http source's `host` (default: its URL's `host[:port]`); a layout or memory source's
 * name, or its `host` when set. A reference without a registry host (its first component has no `.` or `:`
 * and is not `localhost`, e.g. `demo/app:v1`) is looked up by its first component as a layout/memory source
 * name; the rest is the repository. A bare source name opens that source's catalog.
 */
import 'server-only';
import { RegistryError } from '@/lib/oci/errors';
import { parseReference, validateRepository } from '@/lib/oci/reference';
import { pages } from '@/lib/routes';
import { getSources, type Source } from './sources';

function servesHost(source: Source, host: string): boolean {
  const wanted = host.toLowerCase();
  if (source.config.host?.toLowerCase() === wanted) return true;
  return source.config.kind !== 'http' && source.name === wanted;
}

/** The page path (e.g. `/s/demo/r/team/app/-/manifests/v1`) for a reference. Throws NAME_INVALID, NAME_UNKNOWN. */
export async function openTarget(ref: string): Promise<string> {
  const reference = parseReference(ref);
  const sources = await getSources();
  let source: Source | undefined;
  let repo = reference.repository;
  if (reference.host) {
    source = sources.find((s) => servesHost(s, reference.host!));
    if (!source) {
      throw new RegistryError('NAME_UNKNOWN', `no configured source serves the registry host "${reference.host}"`, {
        detail: { host: reference.host },
      });
    }
  } else {
    const [first, ...rest] = reference.repository.split('/');
    source = sources.find((s) => s.config.kind !== 'http' && (s.name === first || s.config.host === first));
    if (!source) {
      throw new RegistryError('NAME_UNKNOWN', `the reference names no registry host, and "${first}" is not a layout or memory source`, {
        detail: { source: first },
      });
    }
    repo = rest.join('/');
    if (repo === '') {
      if (reference.tag || reference.digest) throw new RegistryError('NAME_INVALID', 'the reference has no repository after the source name');
      return pages.catalog(source.name);
    }
    validateRepository(repo);
  }
  if (reference.digest) return pages.manifest(source.name, repo, reference.digest);
  if (reference.tag) return pages.manifest(source.name, repo, reference.tag);
  return pages.tags(source.name, repo);
}
