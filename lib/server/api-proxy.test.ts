import { NextRequest } from 'next/server';
import { describe, expect, it } from 'vitest';
import { apiProxy } from './api-proxy';

const at = (path: string, method = 'GET') => apiProxy(new NextRequest(`http://localhost:3000${path}`, { method }));

describe('api proxy (next dev, bare next start)', () => {
  it('answers malformed encodings and wrong methods in the JSON error format', async () => {
    for (const path of ['/api/sources/demo/repositories/%zz/-/tags', '/api/sources/demo/repositories/a%/-/tags', '/api/sources/demo/repositories/a/-/tags/%C0%AF']) {
      const response = at(path);
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/json');
      expect(await response.json()).toMatchObject({ errors: [{ code: 'NAME_INVALID' }] });
    }
    const put = at('/api/sources', 'PUT');
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
  });

  it('passes good requests on to the routes', () => {
    const response = at('/api/sources/demo/repositories/team/app/-/tags?n=5');
    expect(response.headers.get('x-middleware-next')).toBe('1');
  });
});
