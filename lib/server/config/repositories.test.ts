/** The `repositories:` source setting: names offered on the catalog page of a registry without a catalog. */
import { describe, expect, it } from 'vitest';
import { shapeSource } from '../shape';
import { ConfigError, checkConfig } from '.';

const check = (source: Record<string, unknown>) => checkConfig({ sources: [{ name: 'hub', url: 'https://registry-1.docker.io', ...source }] }, '/etc/p.yaml', '/etc', {});

describe('repositories setting', () => {
  it('is kept and shown in the source summary', () => {
    const config = check({ repositories: ['library/nginx', 'team/app'] });
    expect(config.sources[0]!.repositories).toEqual(['library/nginx', 'team/app']);
    expect(shapeSource(config.sources[0]!).repositories).toEqual(['library/nginx', 'team/app']);
    expect(shapeSource(check({}).sources[0]!)).not.toHaveProperty('repositories');
  });

  it('refuses names that are not repository names, saying which field', () => {
    for (const bad of [['Library/Nginx'], ['a//b'], 'library/nginx', [3]]) {
      expect(() => check({ repositories: bad }), JSON.stringify(bad)).toThrow(ConfigError);
      try {
        check({ repositories: bad });
      } catch (error) {
        expect((error as Error).message).toContain('field "repositories"');
      }
    }
  });
});
