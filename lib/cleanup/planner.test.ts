import { describe, expect, it } from 'vitest';
import { compilePolicy } from './policy';
import { parsePolicy } from './policy-schema';
import { createdMs as parseCreated } from '@/lib/tags/order';
import { DAY_MS, planRepository, planTags, tagKindOf } from './planner';
import type { CleanupPolicy, PlanTagInput } from './types';

const NOW = Date.parse('2026-03-01T00:00:00Z');
const d = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`;
/** A tag created `age` days before NOW (null: unknown). */
const tag = (name: string, age: number | null, digest = d(name.length * 1000 + name.charCodeAt(name.length - 1)), extra: Partial<PlanTagInput> = {}): PlanTagInput => ({
  name,
  digest,
  created: age === null ? null : new Date(NOW - age * DAY_MS).toISOString(),
  size: 100,
  kind: 'tag',
  ...extra,
});

function compiled(policy: Partial<CleanupPolicy>) {
  const parsed = parsePolicy({ repositories: ['team/app'], rules: [], protect: [], ...policy });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return compilePolicy(parsed.policy);
}

function run(policy: Partial<CleanupPolicy>, tags: PlanTagInput[]) {
  const plan = planRepository(compiled(policy), { repository: 'team/app', tags }, NOW);
  return {
    plan,
    deleted: plan.delete.map((x) => x.tag),
    kept: Object.fromEntries(plan.keep.map((k) => [k.tag, k.reason])),
  };
}

describe('keepNewest', () => {
  it('keeps the N newest matching tags and deletes the rest when no age is given', () => {
    const tags = [tag('ci-1', 50), tag('ci-2', 40), tag('ci-3', 30), tag('ci-4', 20), tag('ci-5', 10)];
    const { deleted, kept, plan } = run({ rules: [{ match: '^ci-', keepNewest: 2 }] }, tags);
    expect(deleted).toEqual(['ci-1', 'ci-2', 'ci-3']);
    expect(kept).toEqual({ 'ci-4': 'newest', 'ci-5': 'newest' });
    const newest = plan.keep.find((k) => k.tag === 'ci-5')!;
    expect(newest.rule).toBe(0);
    expect(newest.detail).toBe('newest 1 of 5 matching rules[0] (^ci-), which keeps 2');
    expect(plan.delete[0]).toEqual({
      repository: 'team/app',
      tag: 'ci-1',
      digest: tags[0]!.digest,
      created: tags[0]!.created,
      size: 100,
      rules: [0],
    });
  });

  it('keepNewest larger than the number of tags keeps them all', () => {
    const { deleted } = run({ rules: [{ match: '^ci-', keepNewest: 10 }] }, [tag('ci-1', 500), tag('ci-2', 400)]);
    expect(deleted).toEqual([]);
  });

  it('keepNewest 0 deletes every matching tag', () => {
    const { deleted, kept } = run({ rules: [{ match: '^pr-', keepNewest: 0 }] }, [tag('pr-1', 1), tag('pr-2', 0), tag('main', 9)]);
    expect(deleted).toEqual(['pr-1', 'pr-2']);
    expect(kept).toEqual({ main: 'no-rule' });
  });

  it('ranks ties on created by name (byte order)', () => {
    const same = [tag('ci-b', 10), tag('ci-a', 10), tag('ci-c', 10)];
    const { deleted, kept } = run({ rules: [{ match: '^ci-', keepNewest: 1 }] }, same);
    expect(kept).toEqual({ 'ci-a': 'newest' });
    expect(deleted).toEqual(['ci-b', 'ci-c']);
  });
});

describe('olderThanDays', () => {
  it('deletes only tags beyond keepNewest that are older than the limit', () => {
    const tags = [tag('ci-1', 90), tag('ci-2', 60), tag('ci-3', 31), tag('ci-4', 29), tag('ci-5', 5), tag('ci-6', 1)];
    const { deleted, kept, plan } = run({ rules: [{ match: '^ci-', keepNewest: 2, olderThanDays: 30 }] }, tags);
    expect(deleted).toEqual(['ci-1', 'ci-2', 'ci-3']);
    expect(kept).toEqual({ 'ci-4': 'recent', 'ci-5': 'newest', 'ci-6': 'newest' });
    expect(plan.keep.find((k) => k.tag === 'ci-4')!.detail).toBe('created 29 days ago; rules[0] (^ci-) deletes only tags older than 30 days');
  });

  it('keeps a tag exactly at the limit (strictly older is deleted)', () => {
    const exact = { ...tag('ci-x', 30) };
    const older = { ...tag('ci-y', 30), created: new Date(NOW - 30 * DAY_MS - 1000).toISOString() };
    const { deleted, kept } = run({ rules: [{ match: '^ci-', olderThanDays: 30 }] }, [exact, older]);
    expect(deleted).toEqual(['ci-y']);
    expect(kept).toEqual({ 'ci-x': 'recent' });
  });

  it('without keepNewest applies the age to every matching tag', () => {
    const { deleted } = run({ rules: [{ match: '^nightly-', olderThanDays: 7 }] }, [tag('nightly-1', 8), tag('nightly-2', 6)]);
    expect(deleted).toEqual(['nightly-1']);
  });

  it('keeps tags created in the future (clock skew) as recent', () => {
    const { kept } = run({ rules: [{ match: '.*', olderThanDays: 0 }] }, [tag('future', -3)]);
    expect(kept).toEqual({ future: 'recent' });
  });

  it('uses fractional days', () => {
    const { deleted } = run({ rules: [{ match: '.*', olderThanDays: 0.5 }] }, [tag('a', 0.6), tag('b', 0.4)]);
    expect(deleted).toEqual(['a']);
  });
});

describe('unknown created', () => {
  it('is never deleted by olderThanDays', () => {
    const { deleted, kept, plan } = run({ rules: [{ match: '^ci-', olderThanDays: 1 }] }, [tag('ci-old', 100), tag('ci-none', null)]);
    expect(deleted).toEqual(['ci-old']);
    expect(kept).toEqual({ 'ci-none': 'no-created' });
    expect(plan.keep[0]!.detail).toMatch(/creation time unknown/);
  });

  it('sorts last, so keepNewest alone prefers tags with a known time', () => {
    const { deleted, kept } = run({ rules: [{ match: '^ci-', keepNewest: 2 }] }, [tag('ci-none', null), tag('ci-old', 100), tag('ci-new', 1)]);
    expect(kept).toEqual({ 'ci-new': 'newest', 'ci-old': 'newest' });
    expect(deleted).toEqual(['ci-none']);
  });

  it('treats an unreadable time as unknown', () => {
    expect(parseCreated('not a date')).toBeNull();
    expect(parseCreated(null)).toBeNull();
    expect(parseCreated('2026-01-01T00:00:00Z')).toBe(Date.parse('2026-01-01T00:00:00Z'));
    const { kept } = run({ rules: [{ match: '.*', olderThanDays: 1 }] }, [{ ...tag('x', 5), created: 'garbage' }]);
    expect(kept).toEqual({ x: 'no-created' });
  });
});

describe('placeholder created (reproducible builds)', () => {
  it('is unknown: never deleted by olderThanDays, and the reason names the placeholder', () => {
    const tags = [
      { ...tag('ko', 5), created: '0001-01-01T00:00:00Z' },
      { ...tag('nix', 5), created: '1970-01-01T00:00:01Z' },
      // As the tags API hands it over: created null, the raw value beside it.
      { ...tag('bazel', null), createdPlaceholder: '1970-01-01T00:00:00Z' },
      tag('real', 100),
    ];
    const { deleted, kept, plan } = run({ rules: [{ match: '.*', olderThanDays: 30 }] }, tags);
    expect(deleted).toEqual(['real']);
    expect(kept).toEqual({ ko: 'no-created', nix: 'no-created', bazel: 'no-created' });
    expect(plan.keep.find((k) => k.tag === 'bazel')!.detail).toContain('1970-01-01T00:00:00Z is a reproducible-build placeholder');
    expect(parseCreated('1970-01-01T00:00:00Z')).toBeNull();
    expect(parseCreated('1980-01-01T00:00:00Z')).toBe(Date.UTC(1980, 0, 1));
  });
});

describe('protect', () => {
  it('never deletes a protected tag, whatever the rules say', () => {
    const { deleted, kept, plan } = run(
      { rules: [{ match: '.*', keepNewest: 0 }], protect: ['^latest$', '^v\\d+\\.\\d+\\.\\d+$'] },
      [tag('latest', 400), tag('v1.2.3', 400), tag('v1.2.3-rc1', 400), tag('dev', 400)],
    );
    expect(deleted).toEqual(['dev', 'v1.2.3-rc1']);
    expect(kept).toEqual({ latest: 'protected', 'v1.2.3': 'protected' });
    expect(plan.keep.find((k) => k.tag === 'v1.2.3')).toMatchObject({ protect: 1, detail: 'matches protection protect[1] (^v\\d+\\.\\d+\\.\\d+$)' });
  });

  it('protected tags still take their rank in keepNewest', () => {
    const { deleted, kept } = run(
      { rules: [{ match: '.*', keepNewest: 2 }], protect: ['^latest$'] },
      [tag('latest', 0), tag('b', 1), tag('c', 2), tag('d', 3)],
    );
    expect(kept).toEqual({ latest: 'protected', b: 'newest' });
    expect(deleted).toEqual(['c', 'd']);
  });
});

describe('several rules', () => {
  it('keeps a tag that any matching rule keeps', () => {
    const policy = {
      rules: [
        { match: '^ci-', keepNewest: 0, olderThanDays: 10 },
        { match: '-stable$', keepNewest: 1 },
      ],
    };
    const { deleted, kept, plan } = run(policy, [tag('ci-1-stable', 50), tag('ci-2-stable', 60), tag('ci-3', 50)]);
    expect(kept).toEqual({ 'ci-1-stable': 'newest' });
    expect(plan.keep[0]!.rule).toBe(1);
    expect(deleted).toEqual(['ci-2-stable', 'ci-3']);
    expect(plan.delete.find((x) => x.tag === 'ci-2-stable')!.rules).toEqual([0, 1]);
    expect(plan.delete.find((x) => x.tag === 'ci-3')!.rules).toEqual([0]);
  });

  it('keeps tags that match no rule', () => {
    const { deleted, kept } = run({ rules: [{ match: '^ci-', keepNewest: 0 }] }, [tag('ci-1', 5), tag('main', 500), tag('release', 500)]);
    expect(deleted).toEqual(['ci-1']);
    expect(kept).toEqual({ main: 'no-rule', release: 'no-rule' });
  });
});

describe('tags that are never candidates', () => {
  it('keeps referrers-fallback and cosign tags, even when a rule matches them', () => {
    const subject = d(1);
    const fallbackName = `sha256-${subject.slice(7)}`;
    const { deleted, kept } = run({ rules: [{ match: '.*', keepNewest: 0 }] }, [
      tag(fallbackName, 100, d(2), { kind: 'referrers-fallback', subjectDigest: subject }),
      tag(`${fallbackName}.sig`, 100, d(3), { kind: 'signature', subjectDigest: subject }),
      tag('app', 100, subject),
    ]);
    expect(deleted).toEqual(['app']);
    expect(kept).toEqual({ [fallbackName]: 'artifact-tag', [`${fallbackName}.sig`]: 'artifact-tag' });
  });

  it('recognises fallback and cosign tags by name when the input has no kind', () => {
    const hex = 'b'.repeat(64);
    expect(tagKindOf(`sha256-${hex}`)).toEqual({ kind: 'referrers-fallback', subjectDigest: `sha256:${hex}` });
    expect(tagKindOf(`sha256-${hex}.att`)).toEqual({ kind: 'attestation', subjectDigest: `sha256:${hex}` });
    expect(tagKindOf('sha256-short')).toEqual({ kind: 'tag' });
    const { kept } = run({ rules: [{ match: '.*', keepNewest: 0 }] }, [{ name: `sha256-${hex}.sbom`, digest: d(9), created: null }]);
    expect(kept).toEqual({ [`sha256-${hex}.sbom`]: 'artifact-tag' });
  });

  it('keeps tags whose digest could not be read', () => {
    const { deleted, kept, plan } = run({ rules: [{ match: '.*', keepNewest: 0 }] }, [
      tag('broken', 100, d(5), { digest: null }),
      tag('errored', 100, d(6), { error: { code: 'MANIFEST_UNKNOWN', message: 'gone' } }),
      tag('fine', 100, d(7)),
    ]);
    expect(deleted).toEqual(['fine']);
    expect(kept).toEqual({ broken: 'unresolved', errored: 'unresolved' });
    expect(plan.keep.find((k) => k.tag === 'errored')!.detail).toMatch(/gone/);
  });
});

describe('untagged manifests and attached tags', () => {
  it('lists digests whose every tag goes, not those with a surviving alias', () => {
    const shared = d(100);
    const alone = d(200);
    const { plan } = run({ rules: [{ match: '^ci-', keepNewest: 0 }] }, [
      tag('ci-1', 10, shared),
      tag('release-1', 10, shared),
      tag('ci-2', 10, alone),
      tag('ci-2-again', 10, alone),
    ]);
    expect(plan.delete.map((x) => x.tag)).toEqual(['ci-1', 'ci-2', 'ci-2-again']);
    expect(plan.untagged).toEqual([{ repository: 'team/app', digest: alone, tags: ['ci-2', 'ci-2-again'], size: 100 }]);
  });

  it('reports fallback and cosign tags about an untagged manifest', () => {
    const subject = d(300);
    const fallbackName = `sha256-${subject.slice(7)}`;
    const { plan } = run({ rules: [{ match: '^ci-', keepNewest: 0 }] }, [
      tag('ci-9', 10, subject),
      tag(fallbackName, null, d(301), { kind: 'referrers-fallback', subjectDigest: subject }),
      tag(`sha256-${'c'.repeat(64)}`, null, d(302), { kind: 'referrers-fallback', subjectDigest: `sha256:${'c'.repeat(64)}` }),
    ]);
    expect(plan.attachedTags).toEqual([{ repository: 'team/app', subject, via: 'tag', tag: fallbackName, digest: d(301) }]);
  });
});

describe('planTags', () => {
  it('plans several repositories in repository order', () => {
    const c = compiled({ repositories: ['team/*'], rules: [{ match: '^ci-', keepNewest: 1 }] });
    const plan = planTags(
      c,
      [
        { repository: 'team/b', tags: [tag('ci-1', 2), tag('ci-2', 1)] },
        { repository: 'team/a', tags: [tag('ci-1', 2), tag('ci-2', 1)] },
      ],
      NOW,
    );
    expect(plan.delete.map((x) => `${x.repository}:${x.tag}`)).toEqual(['team/a:ci-1', 'team/b:ci-1']);
    expect(plan.keep.map((x) => `${x.repository}:${x.tag}`)).toEqual(['team/a:ci-2', 'team/b:ci-2']);
  });

  it('is deterministic regardless of input order', () => {
    const c = compiled({ rules: [{ match: '.*', keepNewest: 2, olderThanDays: 3 }] });
    const tags = [tag('a', 1), tag('b', 5), tag('c', null), tag('d', 9), tag('e', 2)];
    const one = planRepository(c, { repository: 'team/app', tags }, NOW);
    const two = planRepository(c, { repository: 'team/app', tags: [...tags].reverse() }, NOW);
    expect(two).toEqual(one);
    expect(one.delete.map((x) => x.tag)).toEqual(['b', 'd']);
  });
});
