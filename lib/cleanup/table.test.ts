import { describe, expect, it } from 'vitest';
import { parseCliArgs, UsageError } from './cli-args';
import { gcAdvice } from './gc';
import { formatPlan, formatResult, formatTable } from './table';
import type { CleanupPlan, CleanupResult } from './types';

const D = `sha256:${'ab'.repeat(32)}`;

const plan: CleanupPlan = {
  source: 'reg',
  now: '2026-03-01T00:00:00.000Z',
  policy: { repositories: ['team/*'], rules: [{ match: '^ci-', keepNewest: 1 }], protect: ['^latest$'], dryRun: true },
  repositories: ['team/app'],
  delete: [{ repository: 'team/app', tag: 'ci-1', digest: D, created: '2026-01-30T00:00:00Z', size: 10, rules: [0] }],
  keep: [
    { repository: 'team/app', tag: 'ci-2', digest: D, created: null, reason: 'newest', rule: 0, detail: 'newest 1 of 2 matching rules[0] (^ci-), which keeps 1' },
    { repository: 'team/app', tag: 'latest', digest: D, created: null, reason: 'protected', protect: 0, detail: 'matches protection protect[0] (^latest$)' },
  ],
  untagged: [{ repository: 'team/app', digest: D, tags: ['ci-1'], size: 10 }],
  referrers: [{ repository: 'team/app', subject: D, via: 'referrer', digest: D, artifactType: 'application/example' }],
  reclaimableBytes: 3 * 1024 * 1024,
  reclaim: { blobs: 4, exact: false, warnings: ['x could not be read'], upperBound: true, otherRepositories: { count: 12, names: ['a/b', 'c/d'] } },
  errors: [{ repository: 'team/gone', error: { code: 'NAME_UNKNOWN', message: 'repository name not known' } }],
  warnings: [],
};

describe('formatTable', () => {
  it('pads columns to the widest cell', () => {
    expect(formatTable(['A', 'BB'], [['long value', 'x'], ['y', 'z']])).toBe('A           BB\nlong value  x\ny           z');
    expect(formatTable(['ONLY'], [])).toBe('ONLY');
  });
});

describe('formatPlan', () => {
  it('shows deletions with age and rules, kept tags with reasons, and everything else that matters', () => {
    const text = formatPlan(plan);
    expect(text).toContain('Cleanup plan for source "reg" at 2026-03-01T00:00:00.000Z — 1 repositories matched');
    expect(text).toMatch(/DELETE \(1 tags\)\nREPOSITORY\s+TAG\s+DIGEST\s+CREATED\s+AGE\s+RULES\nteam\/app\s+ci-1\s+sha256:abababababab\s+2026-01-30T00:00:00Z\s+30d\s+rules\[0\]/);
    expect(text).toMatch(/team\/app\s+latest\s+protected\s+matches protection protect\[0\] \(\^latest\$\)/);
    expect(text).toContain('LEFT WITHOUT TAGS (1 manifests; still pullable by digest until garbage collection)');
    expect(text).toContain('REFERRERS AFFECTED (1; attached to manifests left without tags)');
    expect(text).toContain('Reclaimable after garbage collection: 3 MiB in 4 blobs and manifests (estimate: some manifests could not be read)');
    expect(text).toContain('upper bound: 12 other repositories (a/b, c/d and 10 more) may link some of these blobs');
    expect(text).toContain('warning: x could not be read');
    expect(text).toContain('error: team/gone: NAME_UNKNOWN: repository name not known (nothing planned there)');
  });

  it('shows results, totals and the GC advice', () => {
    const result: CleanupResult = {
      plan,
      items: [
        { repository: 'team/app', tag: 'ci-1', digest: D, status: 'deleted', method: 'placeholder' },
        { repository: 'team/app', tag: 'ci-0', digest: D, status: 'failed', reason: 'registry down' },
      ],
      deleted: 1,
      skipped: 0,
      failed: 1,
      stopped: true,
      ok: false,
      untagged: [],
      collected: [],
      gc: gcAdvice('http', 1),
    };
    const text = formatResult(result);
    expect(text).toMatch(/team\/app\s+ci-1\s+deleted\s+placeholder/);
    expect(text).toMatch(/team\/app\s+ci-0\s+failed\s+registry down/);
    expect(text).toContain('1 deleted, 0 skipped, 1 failed — stopped after a failure');
    expect(text).toContain('  registry garbage-collect /etc/docker/registry/config.yml');
  });
});

describe('gcAdvice', () => {
  it('explains each source kind', () => {
    expect(gcAdvice('http', 2).message).toContain('2 manifests are now without tags');
    expect(gcAdvice('http', 0).message).not.toContain('now without tags');
    expect(gcAdvice('layout', 0).message).toContain('left no manifest without tags');
    expect(gcAdvice('layout', 0).commands).toEqual([]);
    expect(gcAdvice('memory', 3).kind).toBe('memory');
  });

  it('offers no command its own warning advises against (--delete-untagged on distribution 2.x)', () => {
    const advice = gcAdvice('http', 2);
    expect(advice.message).toContain('distribution#3178');
    expect(advice.commands.length).toBeGreaterThan(0);
    for (const command of advice.commands) expect(command).not.toContain('--delete-untagged');
    expect(advice.commands).toContain('registry garbage-collect /etc/docker/registry/config.yml');
  });
});

describe('parseCliArgs', () => {
  it('reads flags in both forms', () => {
    expect(parseCliArgs(['--config', 'c.yaml', '--source=reg', '--policy', 'p.json', '--execute', '--now', '2026-01-01T00:00:00Z', '--json', '--user', 'cron'])).toEqual({
      config: 'c.yaml',
      source: 'reg',
      policy: 'p.json',
      execute: true,
      now: '2026-01-01T00:00:00Z',
      json: true,
      user: 'cron',
    });
    expect(parseCliArgs(['--source', 'reg', '--policy', 'p.json'])).toEqual({ source: 'reg', policy: 'p.json', execute: false, json: false });
    expect(parseCliArgs(['--help'])).toBe('help');
  });

  it('refuses missing values, missing flags and unknown arguments', () => {
    expect(() => parseCliArgs(['--source', 'reg'])).toThrow(UsageError);
    expect(() => parseCliArgs(['--policy', 'p.json'])).toThrow('--source is required');
    expect(() => parseCliArgs(['--source', '--policy', 'p'])).toThrow('--source needs a value');
    expect(() => parseCliArgs(['--source', 'reg', '--policy', 'p', '--force'])).toThrow('unknown argument "--force"');
  });
});
