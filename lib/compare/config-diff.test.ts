import { describe, expect, it } from 'vitest';
import { diffConfigs } from './config-diff';

describe('diffConfigs', () => {
  it('compares env by name, labels, ports and the scalar fields', () => {
    const diff = diffConfigs(
      { created: '2026-01-01T00:00:00Z', config: { Env: ['PATH=/bin', 'A=1', 'GONE=x'], Labels: { v: '1' }, ExposedPorts: { '80/tcp': {} }, Cmd: ['sh'], User: 'root' } },
      { created: '2026-02-01T00:00:00Z', config: { Env: ['PATH=/bin', 'A=2', 'NEW=y'], Labels: { v: '2', extra: 'e' }, ExposedPorts: { '443/tcp': {} }, Cmd: ['sh'], User: 'app', WorkingDir: '/srv' } },
    );
    expect(diff.env).toEqual({ added: { NEW: 'y' }, removed: { GONE: 'x' }, changed: { A: { from: '1', to: '2' } } });
    expect(diff.labels).toEqual({ added: { extra: 'e' }, removed: {}, changed: { v: { from: '1', to: '2' } } });
    expect(diff.exposedPorts).toEqual({ added: { '443/tcp': '' }, removed: { '80/tcp': '' }, changed: {} });
    expect(diff.cmd).toBeUndefined();
    expect(diff.user).toEqual({ from: 'root', to: 'app' });
    expect(diff.workingDir).toEqual({ from: null, to: '/srv' });
    expect(diff.created).toEqual({ from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z' });
  });
});
