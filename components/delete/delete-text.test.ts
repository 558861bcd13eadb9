import { describe, expect, it } from 'vitest';
import { describeBulkSurvivors, describeManifestDelete, describeTagDelete } from './delete-text';

const D = 'sha256:0123456789abcdef' + '0'.repeat(48);

describe('describeTagDelete', () => {
  it('names the siblings that keep the digest', () => {
    expect(describeTagDelete('latest', D, ['v1.2.0'])).toBe('Only `latest` is removed; `v1.2.0` keeps pointing at `sha256:0123456789ab…`.');
    expect(describeTagDelete('latest', D, ['v1', 'v1.2', 'v1.2.0'])).toBe(
      'Only `latest` is removed; `v1`, `v1.2` and `v1.2.0` keep pointing at `sha256:0123456789ab…`.',
    );
  });
  it('says the manifest stays untagged when it was the last tag', () => {
    expect(describeTagDelete('old', D, [])).toContain('It is the last tag on `sha256:0123456789ab…`');
  });
  it('copes with an unresolved digest', () => {
    expect(describeTagDelete('x', null, [])).toBe('Only the tag `x` is removed. Its manifest stays in the repository.');
  });
});

describe('describeManifestDelete', () => {
  it('lists every tag and the fate of referrers', () => {
    expect(describeManifestDelete(D, ['latest', 'v2'], 3, true)).toBe(
      'The manifest `sha256:0123456789ab…` is deleted from the repository. All 2 tags on it are removed: `latest` and `v2`. The 3 artifacts attached to it (signatures, SBOMs, attestations) are deleted too.',
    );
    expect(describeManifestDelete(D, ['v1'], 1, false)).toBe(
      'The manifest `sha256:0123456789ab…` is deleted from the repository. Its tag `v1` is removed with it. The 1 artifact attached to it stays, pointing at a manifest that no longer exists.',
    );
    expect(describeManifestDelete(D, [], 0, true)).toBe('The manifest `sha256:0123456789ab…` is deleted from the repository. No tag points at it.');
  });
});

describe('describeBulkSurvivors', () => {
  it('mentions only siblings outside the selection', () => {
    expect(
      describeBulkSurvivors([
        { name: 'a', sharedWith: ['b', 'c'] },
        { name: 'b', sharedWith: ['a', 'c'] },
        { name: 'd', sharedWith: [] },
      ]),
    ).toEqual(['`a`: `c` keeps the manifest.', '`b`: `c` keeps the manifest.']);
  });
});
