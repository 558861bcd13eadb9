/**
 * The reference client: every tag's digest, size, created time and platforms straight from the registry with
 * the fewest requests — the tags list, one GET per tag (bytes + digest), each index child once and each image
 * config once — `concurrency` at a time. With concurrency 1 it is the "naive" browser that asks one thing after
 * another. Independent of Porthole's code on purpose (own hashing and parsing), so the benchmark also checks the
 * app's answers against it.
 */
import { createHash } from 'node:crypto';
import { Agent, request, type Dispatcher } from 'undici';
import { MANIFEST_MEDIA_TYPES } from '@/lib/oci/media-types';
import { Limiter } from '@/lib/registry/limiter';
import type { ExpectedDetails } from './seed-plan';

const ACCEPT = MANIFEST_MEDIA_TYPES.join(', ');

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: { os: string; architecture: string; variant?: string };
}

interface ManifestDoc {
  mediaType?: string;
  config?: Descriptor;
  layers?: Descriptor[];
  manifests?: Descriptor[];
}

interface ImageInfo {
  size: number;
  created: string | null;
  platform: string | null;
}

export interface DirectResult {
  details: Map<string, ExpectedDetails>;
  requests: number;
  ms: number;
}

function platformText(p: { os?: string; architecture?: string; variant?: string } | undefined): string | null {
  if (!p?.os || !p.architecture) return null;
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}

/** Fetches the details of every tag of `repo` from `baseUrl` (the delay proxy), `concurrency` requests at a time. */
export async function fetchDirect(baseUrl: string, repo: string, concurrency: number): Promise<DirectResult> {
  const started = performance.now();
  const dispatcher: Dispatcher = new Agent({ connections: Math.max(concurrency, 1), keepAliveTimeout: 30_000 });
  const limiter = new Limiter(concurrency);
  const run = <T>(task: () => Promise<T>) => limiter.run(task);
  let requests = 0;

  const get = (path: string, accept?: string) =>
    run(async () => {
      requests++;
      const res = await request(new URL(path, baseUrl), { method: 'GET', headers: accept ? { accept } : {}, dispatcher });
      const bytes = Buffer.from(await res.body.arrayBuffer());
      if (res.statusCode !== 200) throw new Error(`direct: GET ${path} answered ${res.statusCode}`);
      return { bytes, headers: res.headers };
    });

  const configs = new Map<string, Promise<{ created: string | null; platform: string | null }>>();
  const config = (digest: string) => {
    let pending = configs.get(digest);
    if (!pending) {
      pending = get(`/v2/${repo}/blobs/${digest}`).then(({ bytes }) => {
        const doc = JSON.parse(bytes.toString('utf8')) as { created?: string; os?: string; architecture?: string; variant?: string };
        return { created: doc.created ?? null, platform: platformText(doc) };
      });
      configs.set(digest, pending);
    }
    return pending;
  };

  const imageInfo = async (doc: ManifestDoc): Promise<ImageInfo> => {
    const size = (doc.config?.size ?? 0) + (doc.layers ?? []).reduce((a, l) => a + l.size, 0);
    const brief = doc.config ? await config(doc.config.digest) : { created: null, platform: null };
    return { size, ...brief };
  };

  const children = new Map<string, Promise<ImageInfo>>();
  const child = (digest: string) => {
    let pending = children.get(digest);
    if (!pending) {
      pending = get(`/v2/${repo}/manifests/${digest}`, ACCEPT).then(({ bytes }) => imageInfo(JSON.parse(bytes.toString('utf8')) as ManifestDoc));
      children.set(digest, pending);
    }
    return pending;
  };

  const byDigest = new Map<string, Promise<ExpectedDetails>>();
  const details = (digest: string, doc: ManifestDoc): Promise<ExpectedDetails> => {
    let pending = byDigest.get(digest);
    if (!pending) {
      pending = (async () => {
        if (doc.manifests) {
          const parts = await Promise.all(doc.manifests.map(async (d) => ({ d, info: await child(d.digest) })));
          const created = parts.map((p) => p.info.created).filter((c): c is string => c !== null).sort().at(-1) ?? '';
          const platforms = parts.map((p) => platformText(p.d.platform) ?? p.info.platform).filter((p): p is string => p !== null);
          return { digest, size: parts.reduce((a, p) => a + p.info.size, 0), created, platforms: [...new Set(platforms)].sort() };
        }
        const info = await imageInfo(doc);
        return { digest, size: info.size, created: info.created ?? '', platforms: info.platform ? [info.platform] : [] };
      })();
      byDigest.set(digest, pending);
    }
    return pending;
  };

  try {
    const tags: string[] = [];
    let next: string | null = `/v2/${repo}/tags/list`;
    while (next) {
      const page = await get(next);
      tags.push(...((JSON.parse(page.bytes.toString('utf8')) as { tags: string[] | null }).tags ?? []));
      // distribution 2.8.2 sends every tag at once; newer registries page with a relative `Link`.
      const target = /<([^>]+)>\s*;\s*rel="?next"?/.exec(String(page.headers.link ?? ''))?.[1];
      const resolved: URL | null = target ? new URL(target, new URL(next, baseUrl)) : null;
      next = resolved ? resolved.pathname + resolved.search : null;
    }
    const result = new Map<string, ExpectedDetails>();
    await Promise.all(
      tags.map(async (tag) => {
        const { bytes } = await get(`/v2/${repo}/manifests/${tag}`, ACCEPT);
        const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
        result.set(tag, await details(digest, JSON.parse(bytes.toString('utf8')) as ManifestDoc));
      }),
    );
    return { details: result, requests, ms: performance.now() - started };
  } finally {
    await dispatcher.close();
  }
}

/** What is compared: the fields of {@link ExpectedDetails}, as the API's `TagRow` has them too. */
export interface DetailsLike {
  digest: string | null;
  size: number | null;
  created: string | null;
  platforms: readonly string[];
}

/** Tags whose details differ from `expected` (missing, or any field different), for honesty checks. */
export function compareDetails(
  expected: ReadonlyMap<string, ExpectedDetails>,
  actual: ReadonlyMap<string, DetailsLike>,
): string[] {
  const wrong: string[] = [];
  for (const [tag, want] of expected) {
    const got = actual.get(tag);
    const same =
      got &&
      got.digest === want.digest &&
      got.size === want.size &&
      got.created !== null &&
      Date.parse(got.created) === Date.parse(want.created) &&
      JSON.stringify([...got.platforms].sort()) === JSON.stringify(want.platforms);
    if (!same) wrong.push(tag);
  }
  for (const tag of actual.keys()) if (!expected.has(tag)) wrong.push(tag);
  return wrong;
}
