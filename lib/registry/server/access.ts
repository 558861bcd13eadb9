/**
 * Who may do what through `/v2`: the request's user (from the configured authenticator), the served source a
 * repository name belongs to, and the source's `serve`/`delete` settings. Anonymous requests are asked to
 * authenticate (401 + challenge) unless the source allows anonymous reads; a source that is not served is
 * NAME_UNKNOWN, exactly like a missing repository.
 */
import 'server-only';
import { RegistryError } from '@/lib/oci/errors';
import { splitName } from './route';
import type { ServedSource, ServerAction, ServerOptions } from './types';

export interface Target {
  source: ServedSource;
  /** The repository inside the source. */
  repo: string;
}

export interface Caller {
  /** Authenticated user, or undefined for an anonymous request. */
  user: string | undefined;
  /** The name recorded for events: the user, or `anonymous`. */
  label: string;
}

function unauthorized(): RegistryError {
  return new RegistryError('UNAUTHORIZED', 'authentication required');
}

/** The caller of a request. Throws UNAUTHORIZED for wrong credentials. */
export function callerOf(request: Request, options: ServerOptions): Caller {
  const user = options.auth?.user(request);
  return { user, label: user ?? 'anonymous' };
}

/** True when `caller` may read `source` (authenticated, no authentication configured, or anonymous reads allowed). */
export function mayRead(caller: Caller, source: ServedSource, options: ServerOptions): boolean {
  return !options.auth || caller.user !== undefined || source.anonymousRead;
}

/**
 * The source and repository of `name` for `action`. Throws UNAUTHORIZED (anonymous where a user is needed,
 * also for names of no served source, so an anonymous caller learns nothing), NAME_UNKNOWN (no such served
 * source), DENIED (push to a `serve: read` source), UNSUPPORTED (delete on a source without `delete: true`).
 */
export async function authorize(name: string, action: ServerAction, caller: Caller, options: ServerOptions): Promise<Target> {
  const parts = splitName(name);
  const sources = await options.sources();
  const source = parts ? sources.find((s) => s.name === parts.source) : undefined;
  if (options.auth && caller.user === undefined && (!source || action !== 'pull' || !source.anonymousRead)) throw unauthorized();
  if (!source || !parts) {
    throw new RegistryError('NAME_UNKNOWN', 'repository name not known to registry', { detail: { name } });
  }
  if (action === 'push' && source.serve !== 'write') {
    throw new RegistryError('DENIED', `source "${source.name}" is served read-only`);
  }
  if (action === 'delete' && (source.serve !== 'write' || !source.delete)) {
    throw new RegistryError('UNSUPPORTED', `deleting is not enabled for source "${source.name}"`);
  }
  return { source, repo: parts.repo };
}
