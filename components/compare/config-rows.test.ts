import { describe, expect, it } from 'vitest';
import { diffConfigs } from '@/lib/compare/config-diff';
import { configRows } from './config-rows';

describe('configRows', () => {
  it('lists whole values first, then env, ports and labels by name (removed, changed, added)', () => {
    const diff = diffConfigs(
      { created: '2026-05-01T00:00:00Z', config: { Env: ['A=1', 'B=2'], Entrypoint: ['python3'], ExposedPorts: { '80/tcp': {} }, Labels: { v: '1' } } },
      { created: '2026-06-01T00:00:00Z', config: { Env: ['A=1', 'B=3', 'C=4'], Entrypoint: ['python3'], Cmd: ['run'], ExposedPorts: { '9102/tcp': {} }, Labels: { v: '2' } } },
    );
    expect(configRows(diff)).toEqual([
      { field: 'Cmd', from: null, to: '["run"]' },
      { field: 'Created', from: '2026-05-01T00:00:00Z', to: '2026-06-01T00:00:00Z' },
      { field: 'Env B', from: '2', to: '3' },
      { field: 'Env C', from: null, to: '4' },
      { field: 'ExposedPorts 80/tcp', from: 'present', to: null },
      { field: 'ExposedPorts 9102/tcp', from: null, to: 'present' },
      { field: 'Label v', from: '1', to: '2' },
    ]);
  });
});
