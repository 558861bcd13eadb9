/**
 * `/open?ref=HOST/REPO[:TAG][@DIGEST]`: finds the page for a pull reference, so that links can be built from
 * what people copy out of CI logs and Dockerfiles.
 *
 * Matching: the first source in configuration order whose host equals the reference's host
 * (case-insensitive): an http source's `host` (default: its URL's `host[:port]`); a layout or memory source's
 * name, or its `host` when set. A reference without a registry host (its first component has no `.` or `:`
 * and is not `localhost`, e.g. `demo/app:v1`) is looked up by its first component as a layout/memory source
 * name; the rest is the repository. A bare source name opens that source's catalog, and so does a bare
 * registry host (`127.0.0.1:5201`, `registry.example.com`).
 */
import 'server-only';
import { RegistryError } from '@/lib/oci/errors';
import { parseReference, validateRepository } from '@/lib/oci/reference';
import { pages } from '@/lib/routes';
import { sourceHosts } from './namespace';
import { getSources, type Source } from './sources';

function servesHost(source: Source, host: string): boolean {
  return sourceHosts(source).includes(host.toLowerCase());
}

/** `ref` when it is only a registry host (with a `.`, a `:port` or `localhost`, and no `/`), else undefined. */
function bareHost(ref: string): string | undefined {
  if (ref.includes('/') || ref.includes('@')) return undefined;
  return /^(localhost|[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+|\[[0-9A-Fa-f:]+\])(:[0-9]+)?$/.test(ref) ? ref : undefined;
}

/** The page path (e.g. `/s/demo/r/team/app/-/manifests/v1`) for a reference. Throws NAME_INVALID, NAME_UNKNOWN. */
export async function openTarget(ref: string): Promise<string> {
  const sources = await getSources();
  // A registry host alone (`127.0.0.1:5201`, `registry.example.com`) would parse as a repository with a tag:
  // it opens that registry's catalog instead.
  const bare = bareHost(ref);
  if (bare) {
    const source = sources.find((s) => servesHost(s, bare));
    if (!source) throw new RegistryError('NAME_UNKNOWN', `no configured source serves the registry host "${bare}"`, { detail: { host: bare } });
    return pages.catalog(source.name);
  }
  const reference = parseReference(ref);
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
