/**
 * The API with no configuration at all: the demo source, generated into `$PORTHOLE_DATA_DIR/demo` on first
 * use. Every endpoint answers against it, and it allows deleting (a generated sandbox).
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DeleteTagResponse, ManifestResponse, ReferrersResponse, RepositoriesResponse, SourcesResponse, TagsResponse } from '@/lib/api/types';
import { demoSession } from './testing/demo-session';
import { api, getJson } from './testing/test-api';

const demo = demoSession('porthole-api-demo-');

describe('demo source', () => {
  it('is generated on first use and listed as deletable', async () => {
    const { status, body } = await getJson<SourcesResponse>('/api/sources');
    expect(status).toBe(200);
    expect(body.sources).toEqual([{ name: 'demo', kind: 'layout', delete: true }]);
    expect((await stat(join(demo.dataDir, 'demo'))).isDirectory()).toBe(true);
    expect((await getJson('/api/health')).body).toEqual({ status: 'ok', sources: 1 });
  }, 120_000);

  it('browses repositories, tags, manifests, blobs and referrers', async () => {
    const repos = await getJson<RepositoriesResponse>('/api/sources/demo/repositories?n=1000');
    expect(repos.body.repositories).toContain('platform/web');
    const base = '/api/sources/demo/repositories/platform/web/-';
    const tags = await getJson<TagsResponse>(`${base}/tags?sort=-version&n=3`);
    // `1.6` is version 1.6.0 too (as on the tags page); equal versions keep name order.
    expect(tags.body.tags.map((t) => t.name)).toEqual(['1.6', '1.6.0', '1.5.0']);
    const latest = tags.body.tags[1]!;
    expect(latest.sharedWith).toEqual(expect.arrayContaining(['latest', '1.6', '1']));
    expect(latest.platforms).toEqual(['linux/amd64', 'linux/arm64/v8', 'linux/arm/v7']);
    expect(latest.created).not.toBeNull();

    const manifest = await getJson<ManifestResponse>(`${base}/manifests/1.6.0`);
    expect(manifest.body.kind).toBe('index');
    const child = manifest.body.children!.find((c) => !c.attestation)!;
    const image = await getJson<ManifestResponse>(`${base}/manifests/${child.descriptor.digest}`);
    expect(image.body.config?.exposedPorts).toEqual(['8080/tcp']);
    const config = await api(`${base}/blobs/${image.body.config!.digest}`);
    expect(config.headers.get('content-type')).toContain('application/json');

    const referrers = await getJson<ReferrersResponse>(`${base}/referrers/${latest.digest}`);
    expect(referrers.status).toBe(200);
    expect(referrers.body.referrers.length).toBeGreaterThan(0);
  });

  it('opens references by source name and deletes tags', async () => {
    const open = await api('/open?ref=demo/platform/web:1.6.0');
    expect(open.headers.get('location')).toBe('/s/demo/r/platform/web/-/manifests/1.6.0');
    const { status, body } = await getJson<DeleteTagResponse>('/api/sources/demo/repositories/platform/web/-/tags/1.6', { method: 'DELETE' });
    expect(status).toBe(200);
    expect(body.method).toBe('native');
    expect(body.remainingTags).toEqual(['1', '1.6.0', 'latest']);
  });
});
