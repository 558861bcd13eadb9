/**
 * Whether a source can really delete, asked of real docker-registry 2.8.2 instances: one with deletion
 * enabled, one without (`storage.delete.enabled` unset), both configured with `delete: true` in Porthole.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET } from '@/app/api/sources/[source]/deletion/route';
import { pushImage } from '@/lib/cleanup/testing/seed';
import { planSourceCleanup } from '@/lib/cleanup/service';
import { isRegistryError } from '@/lib/oci/errors';
import { createHttpRegistry } from '@/lib/registry/http';
import { startRegistry, type RunningRegistry } from '@/lib/registry/testing/registry-server';
import { REGISTRY_REFUSES_DELETION } from './deletion-service';
import { resetSources, setConfigForTests } from './sources';
import { configOf } from '@/lib/server/testing/test-support';

let del: RunningRegistry;
let nodel: RunningRegistry;

async function deletion(source: string, repo?: string) {
  const url = `http://localhost:3000/api/sources/${source}/deletion${repo ? `?repo=${encodeURIComponent(repo)}` : ''}`;
  const response = await GET(new Request(url), { params: Promise.resolve({ source }) });
  return { status: response.status, body: (await response.json()) as { allowed: boolean; tagDelete: string; reason?: string } };
}

beforeAll(async () => {
  [del, nodel] = await Promise.all([startRegistry({ delete: true }), startRegistry({ delete: false })]);
  for (const registry of [del, nodel]) {
    const client = createHttpRegistry({ url: registry.url });
    try {
      await pushImage(client, 'team/app', { tags: ['v1'], created: '2026-01-01T00:00:00Z', seed: 'v1' });
    } finally {
      await client.close();
    }
  }
  await setConfigForTests(
    configOf({
      sources: [
        { name: 'del', kind: 'http', url: del.url, delete: true },
        { name: 'nodel', kind: 'http', url: nodel.url, delete: true },
        { name: 'ro', kind: 'http', url: del.url },
      ],
    }),
  );
});

afterAll(async () => {
  await setConfigForTests(null);
  await resetSources();
  await Promise.all([del?.stop(), nodel?.stop()]);
});

describe('what deleting can really do', () => {
  it('a registry with deletion enabled deletes tags (through a placeholder on 2.8.2)', async () => {
    expect(await deletion('del')).toEqual({ status: 200, body: { allowed: true, tagDelete: 'placeholder' } });
    expect((await deletion('del', 'team/app')).body.allowed).toBe(true);
  });

  it('a registry with deletion disabled refuses, whatever the configuration says', async () => {
    expect(await deletion('nodel', 'team/app')).toEqual({ status: 200, body: { allowed: false, tagDelete: 'unsupported', reason: REGISTRY_REFUSES_DELETION } });
    expect((await deletion('nodel')).body.allowed).toBe(false);
  });

  it('a read-only source says so without asking the registry', async () => {
    expect((await deletion('ro')).body).toMatchObject({ allowed: false, reason: expect.stringContaining('read-only') });
  });

  it('cleanup plans nothing it could not run', async () => {
    const policy = { repositories: ['team/*'], rules: [{ match: '.*', keepNewest: 0 }], protect: [], dryRun: true };
    const error = await planSourceCleanup('nodel', policy).catch((e: unknown) => e);
    expect(isRegistryError(error, 'DENIED')).toBe(true);
    expect((error as Error).message).toContain('storage.delete.enabled');
    expect((await planSourceCleanup('del', policy)).delete.map((d) => d.tag)).toEqual(['v1']);
  });
});
