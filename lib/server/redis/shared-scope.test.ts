import { describe, expect, it } from 'vitest';
import type { SourceConfig } from '../config';
import { sharedScope } from './shared-scope';

const http = (extra: Partial<SourceConfig> = {}) => ({ config: { name: 'prod', kind: 'http', url: 'https://r.example', ...extra } as SourceConfig });

describe('sharedScope', () => {
  it('names the registry and account, never the credential, and only for http sources', () => {
    const anonymous = sharedScope(http());
    expect(anonymous).toMatch(/^[0-9a-f]{32}$/);
    expect(sharedScope(http())).toBe(anonymous);
    // The source name does not matter (two deployments may call one registry differently) …
    expect(sharedScope(http({ name: 'other' }))).toBe(anonymous);
    // … the registry and the account do.
    expect(sharedScope(http({ url: 'https://s.example' }))).not.toBe(anonymous);
    const alice = sharedScope(http({ credentials: { username: 'alice', password: 'pw-one' } }));
    expect(alice).not.toBe(anonymous);
    expect(sharedScope(http({ credentials: { username: 'alice', password: 'pw-two' } }))).toBe(alice);
    expect(sharedScope(http({ credentials: { username: 'bob', password: 'pw-one' } }))).not.toBe(alice);
    const token = sharedScope(http({ credentials: { token: 'secret-token-0123456789' } }));
    expect(token).not.toContain('secret');
    expect(token).not.toBe(sharedScope(http({ credentials: { token: 'secret-token-9876543210' } })));
    expect(sharedScope({ config: { name: 'l', kind: 'layout', path: '/x' } as SourceConfig })).toBeUndefined();
    expect(sharedScope({ config: { name: 'm', kind: 'memory' } as SourceConfig })).toBeUndefined();
  });
});
