import { describe, expect, it } from 'vitest';
import { redact, setRedactions } from '@/lib/redaction/secrets';
import { ConfigError, checkConfig } from '.';

const sources = [{ name: 'x', kind: 'memory' }];

function message(doc: Record<string, unknown>): string {
  try {
    checkConfig({ sources, ...doc }, 'c.yaml', '/tmp', {});
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error('expected a ConfigError');
}

describe('cache.redis', () => {
  it('is absent by default and read when given', () => {
    expect(checkConfig({ sources }, 'c.yaml', '/tmp', {}).cache).toBeUndefined();
    expect(checkConfig({ sources, cache: { redis: 'redis://cache.internal:6379/2' } }, 'c.yaml', '/tmp', {}).cache).toEqual({ redis: 'redis://cache.internal:6379/2' });
    expect(checkConfig({ sources, cache: { redis: 'rediss://cache.internal:6380' } }, 'c.yaml', '/tmp', {}).cache?.redis).toBe('rediss://cache.internal:6380');
  });

  it('records the password of the URL as a secret, so logs never show it', () => {
    const config = checkConfig({ sources, cache: { redis: 'redis://:s3cret%2Fpw@cache.internal:6379' } }, 'c.yaml', '/tmp', {});
    expect(config.secrets).toContain('s3cret/pw');
    setRedactions(config.secrets.map((value) => ({ value, replacement: '[redacted]' })));
    expect(redact(`connecting to ${config.cache!.redis}`)).not.toContain('s3cret');
    setRedactions([]);
  });

  it('refuses what is not a redis URL, without echoing it', () => {
    expect(message({ cache: { redis: 'http://cache:6379' } })).toContain('cache: field "redis"');
    expect(message({ cache: { redis: 'http://cache:6379' } })).toContain('must start with redis:// or rediss://');
    const bad = message({ cache: { redis: 'not a url with hunter22' } });
    expect(bad).toContain('is not a URL like redis://host:6379');
    expect(bad).not.toContain('hunter22');
    const withPassword = message({ cache: { redis: 'http://:hunter22@cache:6379' } });
    expect(withPassword).not.toContain('hunter22');
    expect(message({ cache: { redis: 'redis://cache:6379?db=1' } })).toContain('must not have a query');
    expect(message({ cache: { url: 'redis://cache:6379' } })).toContain('"url"');
    expect(message({ cache: 'redis://cache:6379' })).toContain('must be an object like {redis: "redis://host:6379"}');
  });
});
