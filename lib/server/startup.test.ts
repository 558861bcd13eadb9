import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { resetSources, setConfigForTests } from './sources';
import { checkStartup } from './startup';

const saved = process.env.PORTHOLE_CONFIG;
afterEach(async () => {
  if (saved === undefined) delete process.env.PORTHOLE_CONFIG;
  else process.env.PORTHOLE_CONFIG = saved;
  vi.restoreAllMocks();
  await setConfigForTests(null);
  await resetSources();
});

describe('checkStartup', () => {
  it('stops with a message naming the file, the source and the field, without the secret', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'porthole-startup-'));
    const file = join(dir, 'porthole.config.yaml');
    await writeFile(file, 'sources:\n  - name: prod\n    url: https://r.example\n    username: u\n    password: startup-secret-value\n    delet: true\n');
    process.env.PORTHOLE_CONFIG = file;
    await setConfigForTests(null);
    const errors: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((message: string) => void errors.push(message));
    const exit = vi.fn((code: number): never => {
      throw new Error(`exit ${code}`);
    });
    await expect(checkStartup(exit)).rejects.toThrow('exit 1');
    expect(errors.join('\n')).toContain(file);
    expect(errors.join('\n')).toContain('sources[0] ("prod"): field "delet": unknown field');
    expect(errors.join('\n')).not.toContain('startup-secret-value');
    await rm(dir, { recursive: true, force: true });
  });

  it('reports the sources of a valid configuration', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'porthole-startup-'));
    const file = join(dir, 'p.json');
    await writeFile(file, JSON.stringify({ sources: [{ name: 'mem', kind: 'memory', delete: true }] }));
    process.env.PORTHOLE_CONFIG = file;
    await setConfigForTests(null);
    const info = vi.spyOn(console, 'info').mockImplementation(() => undefined);
    await checkStartup(() => {
      throw new Error('must not exit');
    });
    expect(info).toHaveBeenCalledWith(`[porthole] configuration from ${file}: mem (memory, delete)`);
    await rm(dir, { recursive: true, force: true });
  });
});
