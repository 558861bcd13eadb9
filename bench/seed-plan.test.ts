import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PRESETS } from './args';
import { planSeed, prng, spreadCounts } from './seed-plan';

const sha = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

describe('planSeed', () => {
  const plan = planSeed();

  it('has the issue shape: 2,000 tags over 500 manifests, a mix of images and 3-platform indexes', () => {
    expect(plan.expected.size).toBe(2000);
    expect(plan.tops).toHaveLength(500);
    const indexes = plan.tops.filter((t) => t.kind === 'index');
    expect(indexes).toHaveLength(150);
    expect(plan.children).toHaveLength(450);
    expect(indexes.every((t) => t.expected.platforms.length === 3)).toBe(true);
    // Aliases: some manifests carry several tags.
    expect(Math.max(...plan.tops.map((t) => t.tags.length))).toBeGreaterThan(1);
    expect(new Set(plan.tops.map((t) => t.mediaType)).size).toBe(4);
  });

  it('counts the minimum requests: tags list, one per tag, each child and config once', () => {
    expect(plan.minimum).toEqual({ tagsList: 1, tagManifests: 2000, childManifests: 450, configs: 800, total: 3251 });
  });

  it('is deterministic and content-addressed', () => {
    const again = planSeed();
    expect(again.tops.map((t) => t.digest)).toEqual(plan.tops.map((t) => t.digest));
    for (const top of plan.tops.slice(0, 20)) expect(sha(top.bytes)).toBe(top.digest);
    for (const blob of plan.configs.slice(0, 20)) expect(sha(blob.bytes)).toBe(blob.digest);
  });

  it('expects sizes that add up from the manifests', () => {
    const image = plan.tops.find((t) => t.kind === 'image')!;
    const doc = JSON.parse(image.bytes.toString('utf8')) as { config: { size: number }; layers: { size: number }[] };
    expect(image.expected.size).toBe(doc.config.size + doc.layers.reduce((a, l) => a + l.size, 0));
  });

  it('names the tags of the newest manifest, which do not sort first by name', () => {
    const newest = [...plan.expected.values()].map((e) => e.created).sort().at(-1);
    expect(plan.newestTags.every((tag) => plan.expected.get(tag)?.created === newest)).toBe(true);
    expect(plan.newestTags).not.toContain([...plan.expected.keys()].sort()[0]);
  });

  it('scales up to the large preset: 20,000 distinct tags over more than 5,000 manifests', () => {
    const large = planSeed(PRESETS.large);
    expect(large.expected.size).toBe(20_000);
    expect(large.tops.length).toBeGreaterThan(5000);
    expect(large.minimum.tagManifests).toBe(20_000);
  });

  it('scales down for quick runs', () => {
    const small = planSeed({ tags: 40, manifests: 10 });
    expect(small.expected.size).toBe(40);
    expect(small.tops.filter((t) => t.kind === 'index')).toHaveLength(3);
  });
});

describe('spreadCounts', () => {
  it('splits a total into 1–7 per part', () => {
    const counts = spreadCounts(2000, 500, prng(1));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(2000);
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...counts)).toBeLessThanOrEqual(7);
  });

  it('refuses impossible totals', () => {
    expect(() => spreadCounts(5, 10, prng(1))).toThrow(/cannot spread/);
  });
});
