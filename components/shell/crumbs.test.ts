import { describe, expect, it } from 'vitest';
import { crumbsFor, sourceOfPath } from './crumbs';

const digest = 'sha256:' + 'ab'.repeat(32);

describe('crumbsFor', () => {
  it('has nothing outside a source', () => {
    expect(crumbsFor('/')).toEqual([]);
    expect(crumbsFor('/open')).toEqual([]);
  });
  it('names the source and the cleanup page', () => {
    expect(crumbsFor('/s/demo')).toEqual([{ label: 'demo', href: '/s/demo' }]);
    expect(crumbsFor('/s/demo/cleanup').map((c) => c.label)).toEqual(['demo', 'Cleanup']);
  });
  it('splits namespace and repository and links the namespace to a filtered catalog', () => {
    const crumbs = crumbsFor('/s/demo/r/team/sub/app/-/tags');
    expect(crumbs.map((c) => c.label)).toEqual(['demo', 'team/sub', 'app']);
    expect(crumbs[1]?.href).toBe('/s/demo?q=team%2Fsub%2F');
    expect(crumbs[2]?.href).toBe('/s/demo/r/team/sub/app/-/tags');
  });
  it('adds the tag of a manifest page and shortens digests', () => {
    expect(crumbsFor('/s/demo/r/app/-/manifests/v1.2').map((c) => c.label)).toEqual(['demo', 'app', 'v1.2']);
    const crumbs = crumbsFor(`/s/demo/r/app/-/referrers/${digest}`);
    expect(crumbs.map((c) => c.label)).toEqual(['demo', 'app', 'sha256:abababababab', 'Referrers']);
    expect(crumbs[2]?.title).toBe(digest);
  });
  it('decodes escaped segments', () => {
    expect(crumbsFor('/s/my%20src/r/app').map((c) => c.label)).toEqual(['my src', 'app']);
    expect(sourceOfPath('/s/my%20src/r/app')).toBe('my src');
    expect(sourceOfPath('/')).toBeUndefined();
  });
});
