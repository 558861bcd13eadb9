/**
 * Porthole's `/v2` registry server, wired to the configuration: the served sources (`serve: read | write`),
 * app auth as registries ask for it (`WWW-Authenticate: Basic`, a configured app token as the password, so
 * `docker login` works; `Authorization: Bearer <token>` and the proxy user header work too), anonymous pulls
 * of `serve: read` sources with `registryServer.anonymousPull`, the audit log for every push, mount and delete,
 * cross-site refusal of changes, and the same redacted error bodies as the JSON API. The protocol itself is
 * `lib/registry/server`. See docs/registry-server.md.
 */
import 'server-only';
import { RegistryError } from '@/lib/oci/errors';
import type { Digest } from '@/lib/oci/types';
import { createRegistryServer, replyError, type Authenticator, type ServedSource, type ServerEvent } from '@/lib/registry/server';
import { ensureAuditLogWritable, writeAudit } from './audit';
import { keepContentLength } from './content-length';
import { dataDir, type AuthConfig, type PortholeConfig } from './config';
import { forgetDeletedBlob, forgetDeletedManifests } from './forget-deleted';
import { errorBody, logError, toRegistryError } from './respond';
import { checkSameOrigin, requestUser, tokenUser } from './safety';
import { getConfig, getSources, type Source } from './sources';
import { invalidateTags } from './tags-service';

export const REALM = 'Porthole';

/** The user of `Authorization: Basic` whose password is a configured app token (the username is not checked). */
function basicUser(request: Request, auth: AuthConfig): string | undefined {
  const header = request.headers.get('authorization');
  if (!header || !/^basic\s+/i.test(header)) return undefined;
  const decoded = Buffer.from(header.replace(/^basic\s+/i, '').trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = colon < 0 ? undefined : tokenUser(auth, decoded.slice(colon + 1));
  if (!user) throw new RegistryError('UNAUTHORIZED', 'the password is not a valid Porthole token');
  return user;
}

/** App auth for `/v2`: Basic with a token as password, a bearer token, or the trusted proxy header. */
export function authenticator(auth: AuthConfig): Authenticator {
  return {
    challenge: `Basic realm="${REALM}"`,
    user(request) {
      const basic = basicUser(request, auth);
      if (basic) return basic;
      const user = requestUser(request, auth);
      if (!user && /^bearer\s/i.test(request.headers.get('authorization') ?? '')) {
        throw new RegistryError('UNAUTHORIZED', 'the bearer token is not a valid Porthole token');
      }
      return user;
    },
  };
}

/** The sources `/v2` serves, as the protocol layer sees them. */
export function servedSources(sources: readonly Source[], config: PortholeConfig): ServedSource[] {
  return sources
    .filter((source) => source.config.serve !== undefined)
    .map((source) => ({
      name: source.name,
      registry: source.registry,
      serve: source.config.serve!,
      delete: source.config.delete,
      // Searching every repository for a blob is a stat per repository locally, a request per repository upstream.
      discoverMounts: source.config.kind !== 'http',
      anonymousRead: source.config.serve === 'read' && config.registryServer?.anonymousPull === true,
    }));
}

async function audit(config: PortholeConfig, sources: readonly Source[], event: ServerEvent): Promise<void> {
  try {
    await writeAudit(config.auditLog, { time: new Date().toISOString(), ...event });
  } catch (error) {
    logError('audit log write failed', error);
    await writeAudit(undefined, { time: new Date().toISOString(), ...event });
  }
  const source = sources.find((s) => s.name === event.source);
  if (!source || event.result !== 'ok') return;
  if (event.action === 'push-manifest' || event.action.startsWith('delete')) {
    // The browsing UI caches tag → digest for a few seconds; a change through /v2 shows at once.
    invalidateTags(source, event.repository, event.tag ? [event.tag] : []);
  }
  // As after the same deletes through the JSON API: what the views remembered of the content goes too.
  const digest = event.digest as Digest | undefined;
  if (event.action === 'delete-manifest' && digest) forgetDeletedManifests(source, event.repository, [digest]);
  if (event.action === 'delete-blob' && digest) forgetDeletedBlob(source, event.repository, digest);
}

function mapError(error: unknown) {
  const mapped = toRegistryError(error);
  if (!(error instanceof RegistryError) || (mapped.code === 'UNKNOWN' && mapped.status >= 500)) logError('/v2', error);
  return errorBody(mapped);
}

/** Answers one `/v2…` request. Never throws. */
export async function serveRegistry(request: Request): Promise<Response> {
  let config: PortholeConfig;
  let sources: Source[];
  try {
    config = await getConfig();
    sources = await getSources();
    const method = request.method.toUpperCase();
    if (method !== 'GET' && method !== 'HEAD') {
      checkSameOrigin(request, config);
      // No change goes unrecorded: refuse pushes and deletes while the audit log cannot be written.
      await ensureAuditLogWritable(config.auditLog);
    }
  } catch (error) {
    await request.body?.cancel().catch(() => undefined);
    return replyError(error, request.method.toUpperCase(), mapError);
  }
  const served = servedSources(sources, config);
  const server = createRegistryServer(
    {
      sources: async () => served,
      dataDir: dataDir(),
      ...(config.auth ? { auth: authenticator(config.auth) } : {}),
      onEvent: (event) => audit(config, sources, event),
    },
    mapError,
  );
  return keepContentLength(await server.handle(request));
}
