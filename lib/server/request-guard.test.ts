import { describe, expect, it } from 'vitest';
import { checkRawPath, guardRequest, MAX_TARGET_LENGTH, rawPathOf, refusalAnswer } from './request-guard';

function verdict(method: string, target: string): string | undefined {
  const refusal = guardRequest(method, target);
  return refusal && `${refusal.error.status} ${refusal.error.code}`;
}

describe('request guard', () => {
  it('takes the path of a raw target or a URL without decoding or resolving it', () => {
    expect(rawPathOf('/api/sources/ro/%2e%2e/open/x?n=1')).toBe('/api/sources/ro/%2e%2e/open/x');
    expect(rawPathOf('http://h:1/api/a/%2E./b#f')).toBe('/api/a/%2E./b');
    expect(rawPathOf('http://h')).toBe('/');
  });

  it.each([
    '/api/sources/ro/%2e%2e/open/repositories/probe/x/-/tags/t5',
    '/api/sources/demo/repositories/team/%2e%2e/team/app/-/tags',
    '/api/sources/demo/repositories/team/.%2E/app/-/tags',
    '/api/sources/demo/repositories/team/%2e/app/-/tags',
    '/api/sources/demo/repositories/team/../app/-/tags',
    '/api/sources/demo/repositories/%zz/-/tags',
    '/api/sources/demo/repositories/a/-/tags/%C0%AF',
    '/api/sources/demo/repositories/a%/-/tags',
    '/api/sources/demo/repositories/team%2Fapp/-/tags',
    '/api/sources/demo/repositories/a%5Cb/-/tags',
    '/api/sources/demo/repositories/a%00/-/tags',
    '/v2/team/%2e%2e/app/tags/list',
  ])('refuses %s with 400 NAME_INVALID before routing', (target) => {
    expect(verdict('GET', target)).toBe('400 NAME_INVALID');
    expect(verdict('DELETE', target)).toBe('400 NAME_INVALID');
  });

  it('passes ordinary paths, dots inside names and encoded characters that are not separators', () => {
    expect(verdict('GET', '/api/sources/demo/repositories/a/%2e%2e%2e/-/tags')).toBeUndefined();
    expect(verdict('GET', '/api/sources/demo/repositories/team/app.v2/-/tags?n=5&last=%zz')).toBeUndefined();
    expect(verdict('DELETE', '/api/sources/demo/repositories/team/app/-/tags/v1')).toBeUndefined();
    expect(verdict('POST', '/api/sources/demo/cleanup')).toBeUndefined();
    expect(verdict('POST', '/api/copy')).toBeUndefined();
    expect(verdict('GET', '/s/demo/r/%2e%2e/x')).toBeUndefined(); // pages are not the JSON surface
    expect(() => checkRawPath('http://h/api/sources/demo/repositories/a/b/-/tags')).not.toThrow();
  });

  it('answers wrong methods with 405 and Allow, unknown methods everywhere', () => {
    expect(verdict('PUT', '/api/sources')).toBe('405 UNSUPPORTED');
    expect(guardRequest('POST', '/api/health')?.headers.allow).toBe('GET, HEAD, OPTIONS');
    expect(verdict('DELETE', '/api/sources/demo/repositories')).toBe('405 UNSUPPORTED');
    expect(verdict('GET', '/api/sources/demo/cleanup')).toBe('405 UNSUPPORTED');
    expect(guardRequest('GET', '/api/copy')?.headers.allow).toBe('POST, OPTIONS');
    expect(verdict('TRACE', '/api/sources')).toBe('405 UNSUPPORTED');
    expect(verdict('TRACE', '/api/unknown/path')).toBe('405 UNSUPPORTED');
    expect(verdict('TRACE', '/')).toBe('405 UNSUPPORTED');
    expect(verdict('PATCH', '/api/unknown/path')).toBeUndefined(); // the catch-all route answers 404
    expect(verdict('OPTIONS', '/api/sources')).toBeUndefined();
    // The registry API takes pushes, uploads and deletes; its endpoints answer their own 405s in the spec format.
    expect(verdict('DELETE', '/v2/team/app/manifests/v1')).toBeUndefined();
    expect(verdict('PATCH', '/v2/team/app/blobs/uploads/x')).toBeUndefined();
    expect(verdict('TRACE', '/v2/')).toBe('405 UNSUPPORTED');
  });

  it('refuses targets longer than the limit with 414', () => {
    expect(verdict('GET', `/api/sources?q=${'a'.repeat(MAX_TARGET_LENGTH)}`)).toBe('414 UNSUPPORTED');
    expect(verdict('GET', `/api/sources?q=${'a'.repeat(MAX_TARGET_LENGTH - 20)}`)).toBeUndefined();
  });

  it('answers in the distribution-spec JSON format', () => {
    const answer = refusalAnswer(guardRequest('TRACE', '/api/sources')!);
    expect(answer.status).toBe(405);
    expect(answer.headers['content-type']).toContain('application/json');
    expect(JSON.parse(answer.body)).toMatchObject({ errors: [{ code: 'UNSUPPORTED' }] });
  });
});
