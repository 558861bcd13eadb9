/**
 * `GET …/-/compare` and the files API against the generated demo (no configuration): two releases of
 * `data/etl/worker` whose layers include a `tar+zstd` layer and whiteouts, a compare across repositories,
 * an index narrowed by platform, and the refusals (an artifact, a missing platform).
 */
import { describe, expect, it } from 'vitest';
import type { CompareResponse } from '@/lib/api/types';
import { MediaType } from '@/lib/oci/media-types';
import { demoSession } from './testing/demo-session';
import { api, getJson } from './testing/test-api';

demoSession('porthole-api-demo-compare-');
const ETL = '/api/sources/demo/repositories/data/etl/worker/-';

describe('compare on the demo', () => {
  it('data/etl/worker 2026.05 → 2026.06: config, shared layers, a zstd layer read, whiteouts applied, sizes per directory', async () => {
    const { status, body } = await getJson<CompareResponse>(`${ETL}/compare?from=2026.05&to=2026.06`);
    expect(status).toBe(200);
    expect(body.config.env.added).toEqual({ ETL_EXPORT_FORMAT: 'parquet' });
    expect(body.config.cmd).toEqual({ from: null, to: ['run', '--all'] });
    expect(body.config.exposedPorts.added).toEqual({ '9102/tcp': '' });
    expect(body.layers.shared).toHaveLength(4);
    expect(body.layers.onlyTo.map((l) => l.mediaType)).toContain(MediaType.OciLayerZstd);
    const change = (path: string) => body.files.changes.find((c) => c.path === path);
    expect(change('usr/local/lib/python3.11/site-packages/duckdb/__init__.py')).toMatchObject({ change: 'added' }); // from the zstd layer
    expect(change('usr/local/bin/etl-export')).toMatchObject({ change: 'added', type: 'file', sizeDelta: 48_000 });
    expect(change('srv/etl/legacy_import.py')).toMatchObject({ change: 'removed' }); // whiteout
    expect(change('var/cache/debconf/templates.dat')).toMatchObject({ change: 'removed' }); // opaque directory
    expect(change('etc/etl/settings.toml')).toMatchObject({ change: 'changed', fields: ['size'] });
    expect(body.files.directories.find((d) => d.path === 'usr/local/lib/python3.11/site-packages')!.sizeDelta).toBeGreaterThan(120_000);

    // Both versions of the changed file, by manifest digest, as the page's text diff reads them.
    const read = async (manifest: string) => (await api(`${ETL}/manifests/${manifest}/files/etc/etl/settings.toml`)).text();
    expect(await read(body.from.manifest)).toContain('format = "csv"');
    expect(await read(body.to.manifest)).toContain('[export]');
    expect((await api(`${ETL}/manifests/2026.06/files/srv/etl/legacy_import.py`)).status).toBe(404);
  }, 120_000);

  it('compares with an image of another repository, and an index by platform', async () => {
    const across = await getJson<CompareResponse>(`${ETL}/compare?from=${encodeURIComponent('demo/ci/builds:pr-101')}&to=2026.06`);
    expect(across.status).toBe(200);
    expect(across.body.from).toMatchObject({ source: 'demo', repository: 'ci/builds', reference: 'pr-101' });
    expect(across.body.to).toMatchObject({ source: 'demo', repository: 'data/etl/worker', reference: '2026.06' });
    expect(across.body.layers.shared).toHaveLength(0); // Alpine against Debian
    expect(across.body.files.changes.find((c) => c.path === 'etc/os-release')).toMatchObject({ change: 'changed' });
    expect(across.body.config.workingDir).toEqual({ from: '/src', to: '/srv' });

    const web = '/api/sources/demo/repositories/platform/web/-';
    const needsPlatform = await getJson<{ errors: { detail: { platforms: string[] } }[] }>(`${web}/compare?from=1.5.0&to=1.6.0`);
    expect(needsPlatform.status).toBe(400);
    expect(needsPlatform.body.errors[0]!.detail.platforms).toEqual(['linux/amd64', 'linux/arm64/v8', 'linux/arm/v7']);
    const arm = await getJson<CompareResponse>(`${web}/compare?from=1.5.0&to=1.6.0&platform=linux/arm64/v8`);
    expect(arm.status).toBe(200);
    expect(arm.body.to.platform).toBe('linux/arm64/v8');
    expect(arm.body.layers.shared).toHaveLength(2); // Alpine and nginx
  }, 120_000);

  it('refuses an artifact as not an image', async () => {
    const { status, body } = await getJson<{ errors: { code: string; message: string }[] }>('/api/sources/demo/repositories/ml/models/classifier/-/compare?from=v1&to=v2');
    expect(status).toBe(422);
    // Both sides are artifacts: the answer always names `from` (the sides load concurrently).
    expect(body.errors[0]).toMatchObject({ code: 'MANIFEST_INVALID', message: expect.stringContaining('ml/models/classifier:v1 is not an image') });
  });
});
