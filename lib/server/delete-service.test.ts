import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isRegistryError } from '@/lib/oci/errors';
import { createMemoryRegistry } from '@/lib/registry/memory';
import { image, pushBuilt } from '@/lib/registry/testing/build';
import { deleteManifestAudited, deleteTagAudited } from './delete-service';
import { resetSources, setConfigForTests } from './sources';
import { listTagRows } from './tags-service';
import { configOf, countCalls } from './testing/test-support';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'porthole-delete-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await setConfigForTests(null);
  await resetSources();
});

async function setup(options: { delete: boolean; auditLog?: string }) {
  const memory = createMemoryRegistry();
  const one = image({ seed: 'one' });
  const two = image({ seed: 'two' });
  for (const tag of ['a', 'b', 'c']) await pushBuilt(memory, 'app', one, { tag });
  await pushBuilt(memory, 'app', two, { tag: 'd' });
  const counted = countCalls(memory);
  await setConfigForTests(configOf({ auditLog: options.auditLog ?? join(dir, 'audit.jsonl'), sources: [{ name: 'm', kind: 'memory', delete: options.delete }] }), { m: counted.registry });
  return { counted, one, two };
}

async function lastAudit(file = join(dir, 'audit.jsonl')): Promise<Record<string, unknown>> {
  const lines = (await readFile(file, 'utf8')).trim().split('\n');
  return JSON.parse(lines.at(-1)!) as Record<string, unknown>;
}

describe('delete service', () => {
  it('refuses read-only sources before any registry call, and audits it', async () => {
    const { counted } = await setup({ delete: false });
    const error = await deleteTagAudited('m', 'app', 'a', 'alice').catch((e: unknown) => e);
    expect(isRegistryError(error, 'DENIED')).toBe(true);
    expect(counted.calls).toEqual([]);
    expect(await lastAudit()).toMatchObject({ action: 'delete-tag', user: 'alice', source: 'm', repository: 'app', tag: 'a', result: 'denied', error: { code: 'DENIED' } });
  });

  it('refuses to delete when the audit log cannot be written', async () => {
    const blocker = join(dir, 'not-a-dir');
    await writeFile(blocker, 'x');
    const { counted } = await setup({ delete: true, auditLog: join(blocker, 'audit.jsonl') });
    const error = await deleteTagAudited('m', 'app', 'a', 'alice').catch((e: unknown) => e);
    expect(isRegistryError(error, 'UNAVAILABLE')).toBe(true);
    expect(counted.count('deleteTag')).toBe(0);
  });

  it('deletes a tag and reports the tags left on its digest, checking only candidates', async () => {
    const { counted, one } = await setup({ delete: true });
    await listTagRows('m', 'app');
    counted.reset();
    const result = await deleteTagAudited('m', 'app', 'a', 'alice');
    expect(result).toEqual({ tag: 'a', digest: one.manifest.descriptor.digest, method: 'native', remainingTags: ['b', 'c'] });
    // Tag `d` was last seen on another digest: not resolved again.
    expect(counted.calls.filter((c) => c.method === 'resolveTag').map((c) => c.args[1]).sort()).toEqual(['b', 'c']);
    expect(await lastAudit()).toMatchObject({ action: 'delete-tag', tag: 'a', method: 'native', result: 'ok', remainingTags: ['b', 'c'] });
    const rows = await listTagRows('m', 'app');
    expect(rows.map((r) => r.name)).toEqual(['b', 'c', 'd']);
  });

  it('deletes a manifest with its tags and audits failures too', async () => {
    const { two } = await setup({ delete: true });
    const digest = two.manifest.descriptor.digest;
    expect(await deleteManifestAudited('m', 'app', digest, 'bob')).toEqual({ deleted: [digest], tags: ['d'] });
    expect(await lastAudit()).toMatchObject({ action: 'delete-manifest', user: 'bob', digest, result: 'ok', tags: ['d'], cascade: false });
    const again = await deleteManifestAudited('m', 'app', digest, 'bob').catch((e: unknown) => e);
    expect(isRegistryError(again, 'MANIFEST_UNKNOWN')).toBe(true);
    expect(await lastAudit()).toMatchObject({ result: 'error', error: { code: 'MANIFEST_UNKNOWN' } });
    const bad = await deleteManifestAudited('m', 'app', 'sha256:nope', 'bob').catch((e: unknown) => e);
    expect(isRegistryError(bad, 'DIGEST_INVALID')).toBe(true);
    expect(await lastAudit()).toMatchObject({ action: 'delete-manifest', digest: 'sha256:nope', result: 'refused', error: { code: 'DIGEST_INVALID' } });
  });

  it('audits invalid input as refused, before any registry call', async () => {
    const { counted } = await setup({ delete: true });
    const error = await deleteTagAudited('m', 'app', 'bad tag\n', 'alice').catch((e: unknown) => e);
    expect(isRegistryError(error, 'TAG_INVALID')).toBe(true);
    expect(counted.calls).toEqual([]);
    expect(await lastAudit()).toMatchObject({ action: 'delete-tag', tag: 'bad tag\ufffd', result: 'refused', error: { code: 'TAG_INVALID' } });
  });
});
