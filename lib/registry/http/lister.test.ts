/**
 * The lister: catalog and tags pagination (every Link spelling, registries that ignore n or last, refused n).
 * Unit test of the HTTP backend through undici's MockAgent (no sockets, `disableNetConnect`), for what a real
 * distribution 2.8.2 cannot show (split out of the former http.test.ts; shared setup: testing/mock-session.ts).
 * Timeouts, dropped connections and concurrency against a real loopback socket are in transport/transport.test.ts.
 */
import type { MockAgent } from 'undici';
import { describe, expect, it } from 'vitest';
import { collect } from '@/lib/registry/iter';
import { json, REGISTRY, route, wireError, type MockReply } from './testing/mock-registry';
import { mockSession, REPO, rejection } from './testing/mock-session';

let agent: MockAgent;
const open = mockSession((a) => (agent = a));

describe('lists', () => {
  it('follows Link in every spelling: relative, absolute, without spaces, several links in one header', async () => {
    const pages: Record<string, MockReply> = {
      '/v2/_catalog?n=2': json({ repositories: ['a/a', 'a/b'] }, 200, { link: '</v2/_catalog?last=a%2Fb&n=2>; rel="next"' }),
      '/v2/_catalog?last=a%2Fb&n=2': json({ repositories: ['a-b', 'a.b'] }, 200, { link: `<${REGISTRY}/v2/_catalog?last=a.b&n=2>;rel="next"` }),
      '/v2/_catalog?last=a.b&n=2': json({ repositories: ['a0', 'a_b'] }, 200, {
        link: '</v2/_catalog?n=2>; rel="first", </v2/_catalog?n=2&last=a_b>; rel=next',
      }),
      '/v2/_catalog?n=2&last=a_b': json({ repositories: ['b'] }),
    };
    const requests = route(agent, REGISTRY, (request) => pages[request.path] ?? wireError(400, 'UNEXPECTED'));
    const all = await collect(open().listRepositories({ pageSize: 2 }));
    // The registry's order (path components first) is kept, not re-sorted.
    expect(all).toEqual(['a/a', 'a/b', 'a-b', 'a.b', 'a0', 'a_b', 'b']);
    expect(requests.map((q) => q.path)).toEqual(Object.keys(pages));
  });

  it('ends at a full page without Link once the registry paged with links, and says so through onPage', async () => {
    const pages: Record<string, MockReply> = {
      '/v2/_catalog?n=2': json({ repositories: ['a', 'b'] }, 200, { link: '</v2/_catalog?last=b&n=2>; rel="next"' }),
      // Distribution leaves the link off its last page even when that page is exactly full.
      '/v2/_catalog?last=b&n=2': json({ repositories: ['c', 'd'] }),
    };
    const requests = route(agent, REGISTRY, (request) => pages[request.path] ?? wireError(400, 'UNEXPECTED'));
    const said: boolean[] = [];
    const all = await collect(open().listRepositories({ pageSize: 2, onPage: (more) => said.push(more) }));
    expect(all).toEqual(['a', 'b', 'c', 'd']);
    expect(said).toEqual([true, false]);
    expect(requests.map((q) => q.path)).toEqual(Object.keys(pages));
  });

  it('refuses a Link to another origin', async () => {
    route(agent, REGISTRY, () => json({ repositories: ['a'] }, 200, { link: '<https://elsewhere.example.com/v2/_catalog?last=a>; rel="next"' }));
    const error = await rejection(collect(open().listRepositories()));
    expect(error.message).toContain('another host');
  });

  it('without Link: asks again with last= after a full page, stops after a short one', async () => {
    const requests = route(agent, REGISTRY, (request) => {
      const last = new URL(request.path, REGISTRY).searchParams.get('last');
      if (!last) return json({ repositories: ['r1', 'r2'] });
      if (last === 'r2') return json({ repositories: ['r3', 'r4'] });
      return json({ repositories: ['r5'] });
    });
    expect(await collect(open().listRepositories({ pageSize: 2, startAfter: '' }))).toEqual(['r1', 'r2', 'r3', 'r4', 'r5']);
    expect(requests.map((q) => q.path)).toEqual(['/v2/_catalog?n=2', '/v2/_catalog?n=2&last=r2', '/v2/_catalog?n=2&last=r4']);
  });

  it('copes with registries that ignore n (more than asked: that is everything) or ignore last', async () => {
    const everything = route(agent, REGISTRY, (request) =>
      request.path.startsWith('/v2/_catalog') ? json({ repositories: ['x', 'y', 'z'] }) : json({ name: REPO, tags: ['v3', 'v1', 'v2'] }),
    );
    const r = open();
    expect(await collect(r.listRepositories({ pageSize: 2 }))).toEqual(['x', 'y', 'z']);
    expect(everything).toHaveLength(1);
    // startAfter sent as last= but ignored by the registry: items up to it are dropped.
    expect(await collect(r.listRepositories({ pageSize: 2, startAfter: 'x' }))).toEqual(['y', 'z']);
    expect(await collect(r.listTags(REPO, { pageSize: 1 }))).toEqual(['v1', 'v2', 'v3']);
  });

  it('asks again without n when the registry refuses it (distribution catalog.maxentries)', async () => {
    const requests = route(agent, REGISTRY, (request) => {
      if (request.path === '/v2/_catalog?n=1000') return json({ errors: [{ code: 'PAGINATION_NUMBER_INVALID', message: 'invalid number of results requested', detail: { n: 1000 } }] }, 400);
      if (request.path === '/v2/_catalog') return json({ repositories: ['a', 'b'] }, 200, { link: '</v2/_catalog?last=b&n=2>; rel="next"' });
      return json({ repositories: ['c'] });
    });
    expect(await collect(open().listRepositories())).toEqual(['a', 'b', 'c']);
    expect(requests.map((q) => q.path)).toEqual(['/v2/_catalog?n=1000', '/v2/_catalog', '/v2/_catalog?last=b&n=2']);
  });

  it('tags: null is empty; tags are collected from every page, sorted by bytes, then cut after startAfter', async () => {
    route(agent, REGISTRY, (request) => {
      if (request.path.startsWith('/v2/empty/')) return json({ name: 'empty', tags: null });
      if (request.path.includes('last=')) return json({ name: REPO, tags: ['a', 'C', '_x'] });
      return json({ name: REPO, tags: ['b', '1', 'a.b'] }, 200, { link: `</v2/${REPO}/tags/list?n=3&last=a.b>; rel="next"` });
    });
    const r = open({ pageSize: 3 });
    expect(await collect(r.listTags('empty'))).toEqual([]);
    expect(await collect(r.listTags(REPO))).toEqual(['1', 'C', '_x', 'a', 'a.b', 'b']);
    expect(await collect(r.listTags(REPO, { startAfter: 'C' }))).toEqual(['_x', 'a', 'a.b', 'b']);
  });

  it('caps the page size at 1000 and reports a missing catalog as UNSUPPORTED', async () => {
    const requests = route(agent, REGISTRY, () => ({ statusCode: 404, data: '404 page not found', responseOptions: { headers: { 'content-type': 'text/plain' } } }));
    const r = open({ pageSize: 5000 });
    const error = await rejection(collect(r.listRepositories({ pageSize: 9999 })));
    expect(error.code).toBe('UNSUPPORTED');
    expect(requests[0]!.path).toBe('/v2/_catalog?n=1000');
  });
});
