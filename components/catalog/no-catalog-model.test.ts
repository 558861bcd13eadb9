import { describe, expect, it } from 'vitest';
import { RegistryError } from '@/lib/oci/errors';
import { isNoCatalogError, repositoryNameProblem } from './no-catalog-model';

describe('no catalog', () => {
  it('treats UNSUPPORTED, UNAUTHORIZED and DENIED as "no catalog", other failures as errors', () => {
    for (const code of ['UNSUPPORTED', 'UNAUTHORIZED', 'DENIED'] as const) expect(isNoCatalogError(new RegistryError(code, 'x')), code).toBe(true);
    expect(isNoCatalogError(new RegistryError('UNAVAILABLE', 'down'))).toBe(false);
    expect(isNoCatalogError(new Error('x'))).toBe(false);
  });

  it('validates a typed repository name with the reference grammar', () => {
    expect(repositoryNameProblem(' library/nginx ')).toBeUndefined();
    expect(repositoryNameProblem('')).toMatch(/Type a repository name/);
    expect(repositoryNameProblem('Library/Nginx')).toMatch(/lower|invalid|upper/i);
    expect(repositoryNameProblem('a//b')).toBeDefined();
  });
});
