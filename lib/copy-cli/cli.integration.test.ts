/**
 * `npm run copy` as a script runs it (`node --conditions=react-server --import tsx scripts/copy.ts`) against two
 * real docker-registry 2.8.2 instances (open → token auth) configured in a temp config file: a copy with its
 * referrer printed as JSON lines (stdout is a pipe), the exit codes 1 (the copy failed) and 2 (bad usage, a
 * destination without write: true), and the audit entry.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { CopyStreamLine } from '@/lib/api/types';
import { createHttpRegistry } from '@/lib/registry/http';
import { artifact, image, pushBuilt, subjectOf } from '@/lib/registry/testing/build';
import { startRegistry, type RunningRegistry } from '@/lib/registry/testing/registry-server';
import { registryDigestOf, registryTagList } from '@/lib/registry/testing/seed-tags';
import { runScript, type ScriptRun } from '@/lib/testing/run-script';

const app = image({ seed: 'cli copy app', layers: ['cli copy layer'] });
const sbom = artifact({ subject: subjectOf(app), artifactType: 'application/spdx+json', layers: ['{"spdxVersion":"SPDX-2.3","name":"cli"}'] });

let open: RunningRegistry;
let token: RunningRegistry;
let dir: string;
let configPath: string;

function cli(args: string[]): Promise<ScriptRun> {
  return runScript('scripts/copy.ts', args, { DEST_PASSWORD: token.credentials!.password });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'porthole-copy-cli-'));
  [open, token] = await Promise.all([startRegistry(), startRegistry({ auth: 'token' })]);
  const seed = createHttpRegistry({ url: open.url });
  await pushBuilt(seed, 'team/app', app, { tag: 'v1' });
  await pushBuilt(seed, 'team/app', sbom);
  await seed.close();
  configPath = join(dir, 'porthole.config.yaml');
  await writeFile(
    configPath,
    stringify({
      auditLog: join(dir, 'audit.jsonl'),
      sources: [
        { name: 'staging', url: open.url },
        { name: 'prod', url: token.url, username: token.credentials!.username, passwordEnv: 'DEST_PASSWORD', write: true },
        { name: 'prod-ro', url: token.url, username: token.credentials!.username, passwordEnv: 'DEST_PASSWORD' },
      ],
    }),
  );
}, 120_000);

afterAll(async () => {
  await Promise.all([open?.stop(), token?.stop()]);
  await rm(dir, { recursive: true, force: true });
});

// Each run starts node with tsx (a few seconds on a loaded machine); the last test runs it three times.
describe('npm run copy', { timeout: 180_000 }, () => {
  it('copies with the referrer, printing one JSON line per event and the result; exit 0; audited', async () => {
    const run = await cli(['staging/team/app:v1', 'prod/team/app:v1', '--config', configPath]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as CopyStreamLine);
    expect(lines[0]).toMatchObject({ type: 'plan', manifests: 2 });
    expect(lines.at(-1)).toMatchObject({ type: 'result', digest: app.manifest.descriptor.digest, tag: 'v1', referrers: [sbom.manifest.descriptor.digest] });
    expect(lines.some((l) => l.type === 'progress')).toBe(true);
    expect(await registryDigestOf(token, 'team/app', 'v1')).toBe(app.manifest.descriptor.digest);
    expect(await registryDigestOf(token, 'team/app', sbom.manifest.descriptor.digest)).toBe(sbom.manifest.descriptor.digest);
    const audit = (await readFile(join(dir, 'audit.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(audit.at(-1)).toMatchObject({ action: 'copy', source: 'prod', repository: 'team/app', tag: 'v1', result: 'ok' });
    expect(String(audit.at(-1)!.user)).toMatch(/^cli/);
  });

  it('a re-run skips every blob; --no-referrers leaves the referrer out', async () => {
    const again = await cli(['staging/team/app:v1', 'prod/team/app:v1', '--config', configPath]);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout.trim().split('\n').at(-1)!)).toMatchObject({ blobs: { sent: 0, mounted: 0 }, bytesSent: 0 });
    const bare = await cli(['staging/team/app:v1', 'prod/bare/app:v1', '--no-referrers', '--config', configPath]);
    expect(bare.code).toBe(0);
    expect(JSON.parse(bare.stdout.trim().split('\n').at(-1)!)).toMatchObject({ referrers: [] });
    expect(await registryDigestOf(token, 'bare/app', sbom.manifest.descriptor.digest)).toBeNull();
  });

  it('exits 1 with an error line when the copy fails, 2 for bad usage or a read-only destination', async () => {
    const missing = await cli(['staging/team/app:nope', 'prod/team/app:nope', '--config', configPath]);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout.trim().split('\n').at(-1)!)).toMatchObject({ type: 'error', error: { code: 'MANIFEST_UNKNOWN' } });
    expect(missing.stderr).toContain('MANIFEST_UNKNOWN');
    const usage = await cli(['staging/team/app:v1', '--config', configPath]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('Usage: npm run copy');
    const readOnly = await cli(['staging/team/app:v1', 'prod-ro/ro/app:v1', '--config', configPath]);
    expect(readOnly.code).toBe(2);
    expect(readOnly.stderr).toContain('DENIED: source "prod-ro" does not allow writing');
    expect(await registryTagList(token, 'ro/app')).toEqual([]);
  });
});
