import { describe, expect, it } from 'vitest';
import type { DeletePlan } from '@/lib/api/types';
import { confirmationText, describeFallbackTagDelete, describePlan, needsTypedConfirmation } from './delete-plan-text';

const D = `sha256:${'a'.repeat(64)}`;
const R = `sha256:${'b'.repeat(64)}`;
const I = `sha256:${'c'.repeat(64)}`;

function plan(over: Partial<DeletePlan> = {}): DeletePlan {
  return {
    repository: 'app',
    digest: D,
    cascade: true,
    manifests: [{ digest: D, mediaType: 'application/vnd.oci.image.manifest.v1+json', kind: 'image', role: 'target', tags: [] }],
    tags: [],
    referrers: [],
    referencedBy: [],
    notReferrers: [],
    leftTags: [],
    tagsChecked: 4,
    checkedAt: '2026-01-01T00:00:00Z',
    expect: { manifests: [D], tags: [] },
    ...over,
  };
}
const tag = (name: string) => ({ name, kind: 'tag' as const, digest: D, why: 'on-deleted-manifest' as const });

describe('delete plan sentences', () => {
  it('says how many tags were checked when none points at the manifest', () => {
    expect(describePlan(plan())).toBe('The manifest `sha256:aaaaaaaaaaaa…` is deleted from the repository. No tag points at it (all 4 tags of the repository checked).');
  });

  it('names every tag, and what happens to attached artifacts with and without cascade', () => {
    const referrer = { digest: R, mediaType: 'x', kind: 'artifact' as const, role: 'referrer' as const, subject: D, tags: ['sbom-v1'] };
    const p = plan({ tags: [tag('a'), tag('b')], referrers: [referrer] });
    expect(describePlan(p)).toBe(
      'The manifest `sha256:aaaaaaaaaaaa…` is deleted from the repository. 2 tags are removed: `a` and `b`. 1 artifact attached to it (signatures, SBOMs, attestations) is deleted too.',
    );
    expect(describePlan({ ...p, cascade: false })).toContain('1 artifact attached to it stays, pointing at a manifest that no longer exists.');
  });

  it('asks for typing when a tag other than the shown one goes, or an index breaks', () => {
    expect(needsTypedConfirmation(plan({ tags: [tag('b')] }), 'b')).toBe(false);
    expect(needsTypedConfirmation(plan({ tags: [tag('a'), tag('b')] }), 'b')).toBe(true);
    expect(needsTypedConfirmation(plan({ tags: [tag('a')] }), undefined)).toBe(true);
    expect(needsTypedConfirmation(plan({ referencedBy: [{ digest: I, mediaType: 'x', tags: ['v1'], lists: [D] }] }), undefined)).toBe(true);
    expect(confirmationText(plan({ tags: [tag('a'), tag('b')] }), 'b')).toBe('b');
    expect(confirmationText(plan({ tags: [tag('a'), tag('b')] }), undefined)).toBe('a');
    expect(confirmationText(plan(), undefined)).toBe('aaaaaaaaaaaa');
  });

  it('explains a referrers fallback tag and what the image loses without it', () => {
    const text = describeFallbackTagDelete(`sha256-${'a'.repeat(64)}`, D, 2);
    expect(text).toContain('is the referrers index of `sha256:aaaaaaaaaaaa…`');
    expect(text).toContain('shows none of its 2 attached artifacts: they stay in the repository');
  });
});
