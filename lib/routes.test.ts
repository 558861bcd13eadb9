import { describe, expect, it } from 'vitest';
import { apiUrls, decodeSegment, pages, parseRepoPath } from './routes';

describe('parseRepoPath', () => {
  it('splits nested repositories at the `-` segment', () => {
    expect(parseRepoPath(['team', 'app', '-', 'manifests', 'v1'])).toEqual({
      repo: 'team/app',
      action: 'manifests',
      reference: 'v1',
    });
    expect(parseRepoPath(['a', '-', 'tags'])).toEqual({ repo: 'a', action: 'tags' });
  });

  it('reads file paths after blobs/{digest}/files and manifests/{ref}/files', () => {
    expect(parseRepoPath(['a', 'b', '-', 'blobs', 'sha256:x', 'files'])).toEqual({ repo: 'a/b', action: 'blobs', reference: 'sha256:x', files: [] });
    expect(parseRepoPath(['a', '-', 'manifests', 'v1', 'files', 'etc', '-', 'os-release'])).toEqual({ repo: 'a', action: 'manifests', reference: 'v1', files: ['etc', '-', 'os-release'] });
    expect(parseRepoPath(['a', '-', 'tags', 'v1', 'files'])).toBeNull();
    expect(parseRepoPath(['a', '-', 'blobs', 'sha256:x', 'files', '..', 'x'])).toBeNull();
    expect(apiUrls.imageFiles('s', 'a/b', 'v1', 'etc/os release', { platform: 'linux/amd64', download: true })).toBe(
      '/api/sources/s/repositories/a/b/-/manifests/v1/files/etc/os%20release?platform=linux%2Famd64&download=1',
    );
    expect(apiUrls.layerFiles('s', 'a', 'sha256:x', '', { path: 'etc' })).toBe('/api/sources/s/repositories/a/-/blobs/sha256:x/files?path=etc');
  });

  it('treats a bare repository as its tag list', () => {
    expect(parseRepoPath(['team', 'app'])).toEqual({ repo: 'team/app', action: 'tags' });
  });

  it('rejects unknown actions, dot segments and extra segments', () => {
    expect(parseRepoPath(['a', '-', 'nope'])).toBeNull();
    expect(parseRepoPath(['..', 'a', '-', 'tags'])).toBeNull();
    expect(parseRepoPath(['a', '-', 'manifests', 'v1', 'x'])).toBeNull();
    expect(parseRepoPath(['-', 'tags'])).toBeNull();
    expect(parseRepoPath(['a', '-', 'manifests', '..'])).toBeNull();
    expect(parseRepoPath([])).toBeNull();
  });
});

describe('url builders', () => {
  it('round-trips page and API paths', () => {
    const digest = 'sha256:' + 'a'.repeat(64);
    expect(pages.manifest('demo', 'team/app', digest)).toBe(`/s/demo/r/team/app/-/manifests/${digest}`);
    expect(pages.tags('demo', 'x/y', { q: 'v1', sort: '-created', sel: ['a', 'b'] })).toBe(
      '/s/demo/r/x/y/-/tags?q=v1&sort=-created&sel=a%2Cb',
    );
    expect(apiUrls.tags('demo', 'x/y', { n: 50, details: false })).toBe(
      '/api/sources/demo/repositories/x/y/-/tags?n=50&details=false',
    );
    const path = apiUrls.referrers('demo', 'x/y', digest, { depth: 3 }).split('?')[0]!;
    const segments = path.split('/').slice(5);
    expect(parseRepoPath(segments)).toEqual({ repo: 'x/y', action: 'referrers', reference: digest });
  });
});

describe('decodeSegment', () => {
  it('decodes escapes and keeps a malformed one as it came', () => {
    expect(decodeSegment('sha256%3Aabc')).toBe('sha256:abc');
    expect(decodeSegment('bad%E0%A4%A')).toBe('bad%E0%A4%A');
  });
});
