/**
 * Referrers: the API with pages and filters, and the tag-schema fallback.
 * Unit test of the HTTP backend through undici's MockAgent (no sockets, `disableNetConnect`), for what a real
 * distribution 2.8.2 cannot show (split out of the former http.test.ts; shared setup: testing/mock-session.ts).
 * Timeouts, dropped connections and concurrency against a real loopback socket are in transport/transport.test.ts.
 */
import type { MockAgent } from 'undici';
import { describe, expect, it } from 'vitest';
import { referrersFallbackTag } from '@/lib/oci/manifest';
import { MediaType } from '@/lib/oci/media-types';
import { collect } from '@/lib/registry/iter';
import { image } from '@/lib/registry/testing/build';
import { json, REGISTRY, route, utf8, wireError } from './testing/mock-registry';
import { manifestReply, mockSession, REPO } from './testing/mock-session';

let agent: MockAgent;
const open = mockSession((a) => (agent = a));

describe('referrers', () => {
  const SBOM = 'application/vnd.example.sbom';
  const SIG = 'application/vnd.example.signature';
  const subject = `sha256:${'1'.repeat(64)}`;
  const d = (n: number, artifactType = SBOM) => ({ mediaType: MediaType.OciManifest, digest: `sha256:${String(n).repeat(64)}`, size: 100 + n, artifactType });

  it('reads every page of the API via Link', async () => {
    const requests = route(agent, REGISTRY, (request) =>
      request.path.includes('page=2')
        ? json({ schemaVersion: 2, mediaType: MediaType.OciIndex, manifests: [d(3, SIG)] }, 200, { 'content-type': MediaType.OciIndex })
        : json({ schemaVersion: 2, mediaType: MediaType.OciIndex, manifests: [d(2), d(4, SIG)] }, 200, {
            'content-type': MediaType.OciIndex,
            link: `</v2/${REPO}/referrers/${subject}?page=2>; rel="next"`,
          }),
    );
    const r = open();
    expect((await collect(r.listReferrers(REPO, subject))).map((x) => x.digest)).toEqual([d(2).digest, d(4).digest, d(3).digest]);
    expect(requests.map((q) => q.path)).toEqual([`/v2/${REPO}/referrers/${subject}`, `/v2/${REPO}/referrers/${subject}?page=2`]);
    expect(requests[0]!.headers.accept).toBe(MediaType.OciIndex);
  });

  it('trusts OCI-Filters-Applied, and filters itself when the registry did not', async () => {
    route(agent, REGISTRY, (request) => {
      const filtered = request.path.startsWith('/v2/filtering/');
      // Both registries send everything; only one claims to have filtered.
      return json({ schemaVersion: 2, manifests: [d(2), d(3, SIG)] }, 200, filtered ? { 'oci-filters-applied': 'artifactType' } : {});
    });
    const r = open();
    expect((await collect(r.listReferrers('filtering/app', subject, { artifactType: SBOM }))).map((x) => x.digest)).toEqual([d(2).digest, d(3).digest]);
    expect((await collect(r.listReferrers('plain/app', subject, { artifactType: SBOM }))).map((x) => x.digest)).toEqual([d(2).digest]);
  });

  it('no API (text/plain 404, 405, non-JSON 200): reads the fallback tag, and remembers the answer per repository', async () => {
    const fallback = utf8(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.OciIndex, manifests: [d(5), d(6, SIG)] }));
    const tag = referrersFallbackTag(subject);
    const requests = route(agent, REGISTRY, (request) => {
      if (request.path.endsWith(`/manifests/${tag}`)) return manifestReply(fallback, MediaType.OciIndex);
      if (request.path.startsWith('/v2/html/')) return { statusCode: 200, data: '<html>login</html>', responseOptions: { headers: { 'content-type': 'text/html' } } };
      if (request.path.startsWith('/v2/method/')) return wireError(405, 'UNSUPPORTED');
      return { statusCode: 404, data: '404 page not found\n', responseOptions: { headers: { 'content-type': 'text/plain' } } };
    });
    const r = open();
    for (const repo of [REPO, 'html/app', 'method/app']) {
      expect((await collect(r.listReferrers(repo, subject, { artifactType: SIG }))).map((x) => x.digest)).toEqual([d(6).digest]);
    }
    const apiCalls = () => requests.filter((q) => q.path.includes('/referrers/')).length;
    expect(apiCalls()).toBe(3);
    await collect(r.listReferrers(REPO, subject));
    expect(apiCalls()).toBe(3); // cached "no API" for team/app
    const uncached = open({ referrersApiCacheMs: 0 });
    await collect(uncached.listReferrers(REPO, subject));
    await collect(uncached.listReferrers(REPO, subject));
    expect(apiCalls()).toBe(5);
  });

  it('fallback: a missing tag is no referrers; a tag holding something other than an index is none too; manifests:null is empty', async () => {
    const img = image({ seed: 'not an index' });
    route(agent, REGISTRY, (request) => {
      if (request.path.includes('/referrers/')) {
        return request.path.startsWith('/v2/nullapi/') ? json({ schemaVersion: 2, manifests: null }) : wireError(404, 'NAME_UNKNOWN');
      }
      if (request.path.startsWith('/v2/mirror/')) return manifestReply(img.manifest.bytes, MediaType.OciManifest);
      return wireError(404, 'MANIFEST_UNKNOWN');
    });
    const r = open();
    expect(await collect(r.listReferrers(REPO, subject))).toEqual([]);
    expect(await collect(r.listReferrers('mirror/app', subject))).toEqual([]);
    expect(await collect(r.listReferrers('nullapi/app', subject))).toEqual([]);
  });
});
