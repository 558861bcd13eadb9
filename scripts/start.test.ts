import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildStaleness, detectConfig, newestMtime, SERVER_HEAP_MIB, serverNodeOptions } from './start.mjs';

let dir: string;
const at = (seconds: number) => new Date(1_767_225_600_000 + seconds * 1000); // 2026-01-01 + seconds

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'porthole-start-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function touch(path: string, seconds: number): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, 'x');
  await utimes(path, at(seconds), at(seconds));
}

describe('detectConfig', () => {
  it('finds env variables first, then config files in the working directory', async () => {
    expect(detectConfig(dir, {})).toBeUndefined();
    expect(detectConfig(dir, { REGISTRY_URL: 'http://127.0.0.1:5000' })).toBe('REGISTRY_URL');
    expect(detectConfig(dir, { PORTHOLE_CONFIG: '/etc/porthole.yaml' })).toBe('PORTHOLE_CONFIG=/etc/porthole.yaml');
    await writeFile(join(dir, 'porthole.config.json'), '{}');
    expect(detectConfig(dir, {})).toBe('porthole.config.json');
    await writeFile(join(dir, 'porthole.config.yaml'), 'registries: []');
    expect(detectConfig(dir, {})).toBe('porthole.config.yaml');
  });
});

describe('buildStaleness', () => {
  it('needs a build when BUILD_ID is missing', () => {
    expect(buildStaleness(dir)).toBe('missing');
  });

  it('is current when every input is older than BUILD_ID, stale when one is newer (tests ignored)', async () => {
    await touch(join(dir, 'app', 'page.tsx'), 10);
    await touch(join(dir, 'lib', 'oci', 'digest.ts'), 20);
    await touch(join(dir, 'package.json'), 5);
    await touch(join(dir, '.next', 'BUILD_ID'), 30);
    expect(buildStaleness(dir)).toBeUndefined();

    await touch(join(dir, 'lib', 'oci', 'digest.test.ts'), 40);
    await touch(join(dir, 'lib', 'node_modules', 'x.js'), 40);
    expect(buildStaleness(dir)).toBeUndefined();

    await touch(join(dir, 'lib', 'oci', 'digest.ts'), 50);
    expect(buildStaleness(dir)).toBe('lib');
    expect(newestMtime(join(dir, 'lib'))).toBe(at(50).getTime());
  });

  it('counts top-level config files', async () => {
    await touch(join(dir, '.next', 'BUILD_ID'), 30);
    await touch(join(dir, 'next.config.js'), 31);
    expect(buildStaleness(dir)).toBe('next.config.js');
  });
});

describe('serverNodeOptions', () => {
  it('adds the heap cap to what NODE_OPTIONS holds, and keeps a cap the user set', () => {
    expect(serverNodeOptions()).toBe(`--max-old-space-size=${SERVER_HEAP_MIB}`);
    expect(serverNodeOptions('--enable-source-maps')).toBe(`--enable-source-maps --max-old-space-size=${SERVER_HEAP_MIB}`);
    expect(serverNodeOptions('--max-old-space-size=4096')).toBe('--max-old-space-size=4096');
    expect(serverNodeOptions('--trace-warnings --max-old-space-size 512')).toBe('--trace-warnings --max-old-space-size 512');
    // Another option that merely starts alike is not a cap.
    expect(serverNodeOptions('--max-old-space-size-x')).toBe(`--max-old-space-size-x --max-old-space-size=${SERVER_HEAP_MIB}`);
  });
});
