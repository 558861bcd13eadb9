/**
 * A manifest push by tag takes the repository lock, like deletes do: against real distribution 2.8.2 (deletion
 * enabled, so tag deletes go by the placeholder method), behind a loopback proxy that logs every request as it
 * arrives and holds the delete's `DELETE` by digest. A tag push started while the delete is in flight must not
 * reach the registry until the delete has finished, and the other way round.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { image } from '@/lib/registry/testing/build';
import { startRegistry, type RunningRegistry } from '@/lib/registry/testing/registry-server';
import { registryDigestOf, registryTagList, seedTags } from '@/lib/registry/testing/seed-tags';
import { createHttpRegistry, type HttpRegistry } from './index';

/** How long the proxy holds a gated request when nothing else arrives (only bounds the test when the lock works). */
const HOLD_MS = 2_000;

interface GatingProxy {
  url: string;
  /** `METHOD path` of each request on arrival, and `done METHOD path` when its answer has been sent. */
  log: string[];
  /** Holds the first request matching `gate` until a request matching `until` arrives or HOLD_MS pass. */
  arm(gate: (req: IncomingMessage) => boolean, until: (req: IncomingMessage) => boolean): void;
  close(): Promise<void>;
}

function startProxy(target: string): Promise<GatingProxy> {
  const upstream = new URL(target);
  const log: string[] = [];
  let gate: ((req: IncomingMessage) => boolean) | undefined;
  let until: ((req: IncomingMessage) => boolean) | undefined;
  let release: (() => void) | undefined;
  const server: Server = createServer((req, res) => {
    const line = `${req.method} ${req.url}`;
    log.push(line);
    if (until?.(req)) release?.();
    let held = Promise.resolve();
    if (gate?.(req)) {
      gate = undefined;
      held = new Promise<void>((done) => {
        const timer = setTimeout(done, HOLD_MS);
        release = () => {
          clearTimeout(timer);
          done();
        };
      });
    }
    void held.then(() => {
      const forward = httpRequest(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          answer.on('end', () => log.push(`done ${line}`));
        },
      );
      forward.on('error', () => res.destroy());
      req.pipe(forward);
    });
  });
  return new Promise((ready) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      ready({
        url: `http://127.0.0.1:${port}`,
        log,
        arm(g, u) {
          gate = g;
          until = u;
        },
        close: () => new Promise((done) => server.close(() => done())),
      });
    }),
  );
}

let reg: RunningRegistry;
let proxy: GatingProxy;
let client: HttpRegistry;

beforeAll(async () => {
  reg = await startRegistry({ delete: true });
  proxy = await startProxy(reg.url);
  client = createHttpRegistry({ url: proxy.url, retries: { max: 2, baseDelayMs: 20 } });
});

afterAll(async () => {
  await client?.close();
  await proxy?.close();
  await reg?.stop();
});

const isDigestDelete = (req: IncomingMessage) => req.method === 'DELETE' && /\/manifests\/sha256:/.test(req.url ?? '');
const isTagPut = (repo: string, tag: string) => (req: IncomingMessage) => req.method === 'PUT' && req.url === `/v2/${repo}/manifests/${tag}`;

describe('a manifest push by tag and a tag delete in one repository', () => {
  it('the push reaches the registry only after the delete has finished', async () => {
    const repo = 'lock/push-after-delete';
    await seedTags(reg, repo, { images: 1, tagsPer: () => 2, seed: 'push-lock' });
    const pushed = image({ seed: 'push-lock-new' });
    // The push's blobs go first: blob uploads do not touch tags and take no lock.
    for (const b of pushed.blobs) await client.pushBlob(repo, b.descriptor, b.bytes);
    proxy.log.length = 0;
    proxy.arm(isDigestDelete, isTagPut(repo, 'fresh'));

    const deleting = client.deleteTag(repo, 't0-0');
    // Start the push once the delete's DELETE by digest is being held: without the lock it would go out now.
    while (!proxy.log.some((l) => l.startsWith(`DELETE /v2/${repo}/manifests/sha256:`))) await new Promise((r) => setTimeout(r, 10));
    const pushing = client.pushManifest(repo, pushed.manifest.bytes, pushed.manifest.mediaType, { tag: 'fresh' });
    await Promise.all([deleting, pushing]);

    const log = proxy.log;
    const putAt = log.indexOf(`PUT /v2/${repo}/manifests/fresh`);
    // The delete's last step (the HEAD confirming the tag is gone) is answered before the push's PUT arrives.
    const deleteDone = log.lastIndexOf(`done HEAD /v2/${repo}/manifests/t0-0`);
    const digestDeleted = log.findIndex((l) => l.startsWith(`done DELETE /v2/${repo}/manifests/sha256:`));
    expect(digestDeleted, log.join('\n')).toBeGreaterThan(-1);
    expect(deleteDone, log.join('\n')).toBeGreaterThan(digestDeleted);
    expect(putAt, log.join('\n')).toBeGreaterThan(deleteDone);
    expect(await registryTagList(reg, repo)).toEqual(['fresh', 't0-1']);
    expect(await registryDigestOf(reg, repo, 'fresh')).toBe(pushed.manifest.descriptor.digest);
  }, 120_000);

  it('a delete started while a tag push is in flight waits for the push', async () => {
    const repo = 'lock/delete-after-push';
    await seedTags(reg, repo, { images: 1, tagsPer: () => 2, seed: 'delete-lock' });
    const pushed = image({ seed: 'delete-lock-new' });
    for (const b of pushed.blobs) await client.pushBlob(repo, b.descriptor, b.bytes);
    proxy.log.length = 0;
    // Hold the push's PUT; the delete's placeholder PUT (to the same tag name t0-0) must not overtake it.
    proxy.arm(isTagPut(repo, 'fresh'), isTagPut(repo, 't0-0'));

    const pushing = client.pushManifest(repo, pushed.manifest.bytes, pushed.manifest.mediaType, { tag: 'fresh' });
    while (!proxy.log.includes(`PUT /v2/${repo}/manifests/fresh`)) await new Promise((r) => setTimeout(r, 10));
    const deleting = client.deleteTag(repo, 't0-0');
    await Promise.all([pushing, deleting]);

    const log = proxy.log;
    const pushDone = log.indexOf(`done PUT /v2/${repo}/manifests/fresh`);
    const placeholderPut = log.indexOf(`PUT /v2/${repo}/manifests/t0-0`);
    expect(placeholderPut, log.join('\n')).toBeGreaterThan(pushDone);
    expect(await registryTagList(reg, repo)).toEqual(['fresh', 't0-1']);
  }, 120_000);
});
