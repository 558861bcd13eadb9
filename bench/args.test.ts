import { describe, expect, it } from 'vitest';
import { parseArgs, PARTS } from './args';

describe('parseArgs', () => {
  it('has the issue defaults', () => {
    const options = parseArgs([]);
    expect(options).toMatchObject({ runs: 5, slowRuns: 3, skopeoTags: 100, delayMs: 20, tags: 2000, manifests: 500, repositories: 5000, concurrency: 8, build: 'auto' });
    expect(options).toMatchObject({ sourceConcurrency: 'auto', rateLimit: 16, retryAfterSeconds: 1 });
    expect([...options.parts]).toEqual([...PARTS]);
  });

  it('reads values in both forms', () => {
    const options = parseArgs(['--runs', '3', '--slow-runs=1', '--delay', '0', '--no-build', '--out', 'x.json']);
    expect(options).toMatchObject({ runs: 3, slowRuns: 1, delayMs: 0, build: 'never', out: 'x.json' });
    expect(parseArgs(['--source-concurrency', '12', '--rate-limit=24', '--retry-after', '2'])).toMatchObject({ sourceConcurrency: 12, rateLimit: 24, retryAfterSeconds: 2 });
    expect(parseArgs(['--source-concurrency=auto']).sourceConcurrency).toBe('auto');
  });

  it('selects parts with --only and --skip', () => {
    expect([...parseArgs(['--only', 'direct,api']).parts]).toEqual(['direct', 'api']);
    expect([...parseArgs(['--skip', 'ui,naive']).parts]).toEqual(['direct', 'skopeo', 'api', 'catalog', 'limited']);
  });

  it('has a 20,000-tag preset that later options override', () => {
    expect(parseArgs(['--preset', 'large'])).toMatchObject({ preset: 'large', tags: 20_000, manifests: 5500, repositories: 5000 });
    expect(parseArgs(['--preset=large', '--tags', '12000'])).toMatchObject({ tags: 12_000, manifests: 5500 });
    expect(parseArgs(['--tags', '12000', '--preset', 'large'])).toMatchObject({ tags: 20_000 });
    expect(() => parseArgs(['--preset', 'huge'])).toThrow(/unknown preset "huge"/);
  });

  it('refuses bad input', () => {
    expect(() => parseArgs(['--runs', '0'])).toThrow(/--runs needs an integer/);
    expect(() => parseArgs(['--only', 'gpu'])).toThrow(/unknown part "gpu"/);
    expect(() => parseArgs(['--fast'])).toThrow(/unknown option --fast/);
    expect(() => parseArgs(['--source-concurrency', 'fast'])).toThrow(/--source-concurrency needs an integer/);
  });
});
