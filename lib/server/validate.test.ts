import { describe, expect, it } from 'vitest';
import { isRegistryError } from '@/lib/oci/errors';
import {
  artifactTypeFilter,
  cascade,
  checkRawPath,
  checkSegments,
  flag,
  pageSize,
  referrersDepth,
  sortOrder,
  validReference,
} from './validate';

function code(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    if (!isRegistryError(error)) throw error;
    return `${error.code} ${error.status}`;
  }
}
const q = (text: string) => new URLSearchParams(text);

describe('validation', () => {
  it('refuses encoded slashes and dot segments in the raw path', () => {
    expect(code(() => checkRawPath('http://h/api/sources/demo/repositories/team%2Fapp/-/tags'))).toBe('NAME_INVALID 400');
    expect(code(() => checkRawPath('http://h/api/sources/demo/repositories/a%5Cb/-/tags'))).toBe('NAME_INVALID 400');
    expect(code(() => checkRawPath('http://h/api/sources/demo/repositories/a/%2e%2e%2e/-/tags'))).toBeUndefined();
    expect(code(() => checkRawPath('http://h/api/sources/demo/repositories/a/b/-/tags'))).toBeUndefined();
    expect(code(() => checkSegments(['a', '..']))).toBe('NAME_INVALID 400');
    expect(code(() => checkSegments(['a/b']))).toBe('NAME_INVALID 400');
  });

  it('checks n between 1 and 1000', () => {
    expect(pageSize(q(''))).toBe(100);
    expect(pageSize(q('n=1000'))).toBe(1000);
    for (const bad of ['n=0', 'n=1001', 'n=-1', 'n=1.5', 'n=abc', 'n=1e3']) expect(code(() => pageSize(q(bad)))).toBe('PAGINATION_NUMBER_INVALID 400');
  });

  it('checks sort, flags, depth, artifactType and cascade', () => {
    expect(sortOrder(q('sort=-created'))).toEqual({ key: 'created', descending: true });
    expect(code(() => sortOrder(q('sort=size')))).toBe('UNSUPPORTED 400');
    expect(flag(q('details=false'), 'details', true)).toBe(false);
    expect(code(() => flag(q('details=maybe'), 'details', true))).toBe('UNSUPPORTED 400');
    expect(referrersDepth(q(''))).toBe(2);
    expect(code(() => referrersDepth(q('depth=6')))).toBe('UNSUPPORTED 400');
    expect(artifactTypeFilter(q('artifactType=application/vnd.dev.cosign.artifact.sig.v1%2Bjson'))).toBe('application/vnd.dev.cosign.artifact.sig.v1+json');
    expect(code(() => artifactTypeFilter(q('artifactType=<script>')))).toBe('UNSUPPORTED 400');
    expect(cascade(q('cascade=referrers'))).toBe(true);
    expect(code(() => cascade(q('cascade=all')))).toBe('UNSUPPORTED 400');
  });

  it('tells tags from digests and checks their grammar', () => {
    expect(validReference('v1')).toEqual({ tag: 'v1' });
    expect(validReference(`sha256:${'a'.repeat(64)}`)).toEqual({ digest: `sha256:${'a'.repeat(64)}` });
    expect(code(() => validReference('sha256:zzz'))).toBe('DIGEST_INVALID 400');
    expect(code(() => validReference('-bad'))).toBe('TAG_INVALID 400');
  });
});
