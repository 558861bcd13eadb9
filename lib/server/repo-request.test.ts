import { describe, expect, it } from 'vitest';
import { RegistryError } from '@/lib/oci/errors';
import { parseRepoRequest } from './repo-request';

const DIGEST = `sha256:${'a'.repeat(64)}`;

function request(path: string, init: RequestInit = {}): Request {
  return new Request(`http://porthole.test/api/sources/demo/repositories/${path}`, init);
}

async function refusal(promise: Promise<unknown>): Promise<{ code: string; status: number }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RegistryError);
  return { code: (error as RegistryError).code, status: (error as RegistryError).status };
}

describe('parseRepoRequest', () => {
  it('names one service call per method and action, with its parameters parsed', async () => {
    expect(await parseRepoRequest('GET', request('a/b/-/tags?n=5&sort=-version&details=false'), 'demo', ['a', 'b', '-', 'tags'])).toMatchObject({
      action: 'list-tags',
      source: 'demo',
      repo: 'a/b',
      query: { n: 5, sort: { key: 'version', descending: true }, details: false },
    });
    expect(await parseRepoRequest('GET', request(`a/-/manifests/${DIGEST}/files/etc`), 'demo', ['a', '-', 'manifests', DIGEST, 'files', 'etc'])).toMatchObject({
      action: 'manifest',
      reference: DIGEST,
      files: ['etc'],
    });
    expect(await parseRepoRequest('GET', request(`a/-/referrers/${DIGEST}?depth=2`), 'demo', ['a', '-', 'referrers', DIGEST])).toMatchObject({
      action: 'referrers',
      digest: DIGEST,
      query: { depth: 2 },
    });
    expect(await parseRepoRequest('DELETE', request('a/-/tags/v1', { method: 'DELETE' }), 'demo', ['a', '-', 'tags', 'v1'])).toMatchObject({
      action: 'delete-tag',
      tag: 'v1',
    });
    const body = JSON.stringify({ expect: { manifests: [DIGEST], tags: ['v1'] } });
    expect(
      await parseRepoRequest('DELETE', request(`a/-/manifests/${DIGEST}?cascade=referrers`, { method: 'DELETE', body }), 'demo', ['a', '-', 'manifests', DIGEST]),
    ).toMatchObject({ action: 'delete-manifest', digest: DIGEST, cascade: true, expect: { manifests: [DIGEST], tags: ['v1'] } });
  });

  it('refuses methods and references an action does not take, and bad input, before any registry call', async () => {
    expect(await refusal(parseRepoRequest('DELETE', request('a/-/referrers/x', { method: 'DELETE' }), 'demo', ['a', '-', 'referrers', DIGEST]))).toEqual({ code: 'UNSUPPORTED', status: 405 });
    expect(await refusal(parseRepoRequest('GET', request('a/-/tags/v1'), 'demo', ['a', '-', 'tags', 'v1']))).toEqual({ code: 'UNSUPPORTED', status: 405 });
    expect(await refusal(parseRepoRequest('GET', request('a/-/blobs'), 'demo', ['a', '-', 'blobs']))).toEqual({ code: 'UNSUPPORTED', status: 405 });
    expect(await refusal(parseRepoRequest('DELETE', request(`a/-/blobs/${DIGEST}/files/x`), 'demo', ['a', '-', 'blobs', DIGEST, 'files', 'x']))).toEqual({ code: 'UNSUPPORTED', status: 405 });
    expect(await refusal(parseRepoRequest('GET', request('a/-/nope'), 'demo', ['a', '-', 'nope']))).toMatchObject({ code: 'NAME_INVALID' });
    expect(await refusal(parseRepoRequest('GET', request('A/-/tags'), 'demo', ['A', '-', 'tags']))).toMatchObject({ code: 'NAME_INVALID' });
    expect(await refusal(parseRepoRequest('GET', request('a/-/tags?n=0'), 'demo', ['a', '-', 'tags']))).toMatchObject({ code: 'PAGINATION_NUMBER_INVALID' });
    expect(await refusal(parseRepoRequest('GET', request('a/-/blobs/sha256:zz'), 'demo', ['a', '-', 'blobs', 'sha256:zz']))).toMatchObject({ code: 'DIGEST_INVALID' });
  });
});
