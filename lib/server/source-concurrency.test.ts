import { describe, expect, it } from 'vitest';
import { registryLimits } from '@/lib/registry/http/transport/adaptive-limit';
import { checkConfig } from './config';
import { poolLimit } from './source-concurrency';
import { buildSource } from './sources';

function sources(list: unknown[]) {
  return checkConfig({ sources: list }, 'c.yaml', '/tmp', {}).sources;
}

describe('poolLimit', () => {
  it('keeps a fixed concurrency; with auto admits up to maxConcurrency for http (64 by default), 8 for layout and memory', () => {
    const [fixed, auto, capped, memory] = sources([
      { name: 'fixed', url: 'http://fixed.test', concurrency: 3 },
      { name: 'auto', url: 'http://auto.test' },
      { name: 'capped', url: 'http://capped.test', maxConcurrency: 24 },
      { name: 'mem', kind: 'memory' },
    ]);
    expect([fixed, auto, capped, memory].map((s) => poolLimit(s!))).toEqual([3, 64, 24, 8]);
  });

  it('an auto http source gets the registry origin\'s shared adaptive limit, and a pool that does not cap below it', async () => {
    const [a, b] = sources([
      { name: 'a', url: 'http://shared-origin.test:5000/one' },
      { name: 'b', url: 'http://shared-origin.test:5000/two', maxConcurrency: 48 },
    ]);
    const first = buildSource(a!);
    const second = buildSource(b!);
    try {
      const limit = registryLimits().get('http://shared-origin.test:5000');
      expect(limit).toMatchObject({ limit: 8, inFlight: 0 });
      expect(limit!.law.settings.max).toBe(48);
      expect(first.pool.limit).toBe(64);
      expect(second.pool.limit).toBe(48);
    } finally {
      await first.registry.close();
      await second.registry.close();
    }
    expect(registryLimits().has('http://shared-origin.test:5000')).toBe(false);
  });
});
