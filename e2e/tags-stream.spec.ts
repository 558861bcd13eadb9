/**
 * The tags page fills in from the streamed tags answer (issue 16, "Scale"): against the built server, a real
 * docker-registry behind a gate that holds the manifest reads of the newest image's tags until the test lets
 * them through. Meanwhile the page shows "n of N read" and the rows read so far, sorted by created; once the
 * gate opens the stream ends, the progress line goes, and the table is the complete sorted list.
 */
import { createServer, request as forward, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startRegistry, type RunningRegistry } from '@/lib/registry/testing/registry-server';
import { seedRegistry } from '../bench/seed';
import { planSeed } from '../bench/seed-plan';
import { startPorthole, type PortholeServer } from './support/porthole-server';
import { expect, hydrated, test } from './support/test';

const SOURCE = 'gated';
const plan = planSeed({ tags: 60, manifests: 15 });

let registry: RunningRegistry;
let gate: Server;
let porthole: PortholeServer;
/** Requests held at the gate, released by `open()`. */
const held: (() => void)[] = [];
let opened = false;
/** Held requests so far, and how many of them the server has since given up (closed). */
let heldCount = 0;
let heldClosed = 0;

function isHeld(req: IncomingMessage): boolean {
  const match = /\/manifests\/([^/?]+)$/.exec(req.url ?? '');
  return !opened && match !== null && plan.newestTags.includes(decodeURIComponent(match[1]!));
}

function pass(req: IncomingMessage, res: ServerResponse): void {
  const upstream = new URL(registry.url);
  const proxied = forward({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  proxied.on('error', () => res.destroy());
  req.pipe(proxied);
}

function open(): void {
  opened = true;
  for (const release of held.splice(0)) release();
}

/** The tags in the page's order for `-created` (newest first, ties by name), from what the seed planned. */
const expectedOrder = [...plan.expected].sort(([a, x], [b, y]) => Date.parse(y.created) - Date.parse(x.created) || (a < b ? -1 : a > b ? 1 : 0)).map(([tag]) => tag);

test.describe('the tags page streams rows into the sorted table', () => {
  test.describe.configure({ timeout: 240_000 });

  test.beforeAll(async () => {
    test.setTimeout(180_000);
    registry = await startRegistry();
    await seedRegistry(registry.url, plan, { catalogSize: 1 });
    gate = createServer((req, res) => {
      if (!isHeld(req)) return pass(req, res);
      heldCount++;
      res.on('close', () => heldClosed++);
      held.push(() => pass(req, res));
    });
    await new Promise<void>((resolve) => gate.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(gate.address() as AddressInfo).port}`;
    porthole = await startPorthole({
      sources: [
        { name: SOURCE, kind: 'http', url, catalogCacheSeconds: 0 },
        // Its own listing; patient, so that only Porthole letting go closes a held request.
        { name: 'left', kind: 'http', url, catalogCacheSeconds: 0, timeoutSeconds: 600 },
      ],
    });
  });

  test.afterAll(async () => {
    open();
    await porthole?.stop();
    gate?.closeAllConnections();
    await new Promise((resolve) => gate?.close(resolve));
    await registry?.stop();
  });

  test('shows progress and the rows read so far sorted, then every row sorted', async ({ page }) => {
    const rows = page.getByTestId('tag-row');
    const progress = page.getByTestId('tag-progress');
    await page.goto(`${porthole.url}/s/${SOURCE}/r/${plan.repo}/-/tags?sort=-created`);
    await hydrated(page);

    // Every tag but the held ones is read: the progress says so, and the newest tag read so far is on top.
    const readable = plan.expected.size - plan.newestTags.length;
    await expect(progress).toHaveText(`Reading tag details: ${readable} of ${plan.expected.size} read`, { timeout: 90_000 });
    const partial = expectedOrder.filter((tag) => !plan.newestTags.includes(tag));
    await expect(rows.first()).toHaveAttribute('data-tag', partial[0]!);
    const shown = await rows.evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset.tag!));
    expect(shown.slice(0, 10)).toEqual(partial.slice(0, 10));
    // The held tags' cells show placeholders, and none of them animates (a table of pulsing bars costs the
    // browser a tenth of a core for as long as the stream runs).
    await page.getByLabel('Filter tags').fill(plan.newestTags[0]!);
    await expect(page.locator(`[data-testid="tag-row"][data-tag="${plan.newestTags[0]}"] [data-skeleton]`)).toHaveCount(4);
    const animations = await page.getByTestId('tag-table').evaluate((table) => table.getAnimations({ subtree: true }).length);
    expect(animations).toBe(0);
    await page.getByLabel('Filter tags').fill('');
    await expect(rows.first()).toHaveAttribute('data-tag', partial[0]!);

    open();
    await expect(progress).toHaveCount(0, { timeout: 90_000 });
    await expect(page.getByTestId('tag-count')).toHaveText(`${plan.expected.size} tags`);
    await expect(rows.first()).toHaveAttribute('data-tag', expectedOrder[0]!);
    const final = await rows.evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset.tag!));
    expect(final.slice(0, 15)).toEqual(expectedOrder.slice(0, 15));
    // The rows of the newest image have their details now (a short digest in the digest column).
    await expect(page.locator(`[data-testid="tag-row"][data-tag="${expectedOrder[0]}"] code[title^="sha256:"]`)).toBeVisible();
  });

  test('leaving the page stops the server reading the registry for it', async ({ page }) => {
    opened = false;
    heldCount = 0;
    heldClosed = 0;
    await page.goto(`${porthole.url}/s/left/r/${plan.repo}/-/tags?sort=-created`);
    await hydrated(page);
    await expect(page.getByTestId('tag-progress')).toBeVisible({ timeout: 90_000 });
    await expect.poll(() => heldCount, { timeout: 60_000 }).toBeGreaterThan(0);
    expect(heldClosed).toBe(0);
    // Away: the stream is cancelled, and after the page warm-up's grace (10 s) nothing holds the reads any more.
    await page.goto('about:blank');
    await expect.poll(() => heldClosed, { timeout: 60_000 }).toBe(heldCount);
  });
});
