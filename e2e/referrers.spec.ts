/**
 * The referrer graph: a subject and what refers to it, recursively, as a pan-and-zoom graph and as an
 * accessible tree; `?depth=`; clicking or pressing Enter opens a node; empty and error states.
 */
import type { APIRequestContext, Page } from '@playwright/test';
import type { ManifestResponse } from '@/lib/api/types';
import { apiUrls, pages } from '@/lib/routes';
import { offlineRegistry, registryDigest } from './support/registry';
import { expect, screenshot, test } from './support/test';

async function digestOf(request: APIRequestContext, source: string, repo: string, reference: string): Promise<string> {
  const res = await request.get(apiUrls.manifest(source, repo, reference));
  expect(res.status()).toBe(200);
  return ((await res.json()) as ManifestResponse).descriptor.digest;
}

function listRows(page: Page) {
  return page.getByTestId('referrer-tree').getByRole('treeitem');
}

test.describe('referrer graph (demo source)', () => {
  test('an image with a signature, a signed SBOM and provenance; clicking a node opens it', async ({ page, request }) => {
    const subject = await digestOf(request, 'demo', 'platform/web', '1.6.0');
    await page.goto(pages.referrers('demo', 'platform/web', subject));
    const graph = page.getByTestId('referrer-graph');
    await expect(graph.getByTestId('graph-node')).toHaveCount(5);
    await expect(graph.locator('[data-kind="subject"]')).toContainText('index');
    await expect(graph.locator('[data-kind="signature"]')).toHaveCount(2);
    await expect(graph.locator('[data-kind="sbom"]')).toHaveCount(1);
    await expect(graph.locator('[data-kind="provenance"]')).toHaveCount(1);
    await expect(graph.locator('[data-kind="sbom"]')).toContainText('application/spdx+json');
    await expect(graph.locator('.react-flow__edge')).toHaveCount(4);
    await expect(page.getByTestId('referrer-summary')).toContainText('4 referrers in all');

    // The list under the graph holds the same tree: the SBOM's signature one level below the SBOM.
    const rows = listRows(page);
    await expect(rows).toHaveCount(5);
    const sbom = rows.filter({ hasText: 'SBOM' });
    await expect(sbom).toHaveAttribute('aria-level', '2');
    await expect(sbom).toHaveAttribute('aria-expanded', 'true');
    const sbomIndex = await rows.evaluateAll((els) => els.findIndex((e) => e.textContent?.includes('application/spdx+json')));
    await expect(rows.nth(sbomIndex + 1)).toHaveAttribute('aria-level', '3');
    await expect(rows.nth(sbomIndex + 1)).toContainText('Signature');
    await screenshot(page, 'referrer-graph', { fullPage: true });
    // Dark mode (class on <html>, following the system here): the graph switches its colour mode too.
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.reload();
    await expect(page.locator('html')).toHaveClass(/dark/);
    await expect(graph.locator('.react-flow')).toHaveClass(/dark/);
    await screenshot(page, 'referrer-graph-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.reload();
    await expect(graph.locator('.react-flow')).not.toHaveClass(/dark/);

    // Pan and zoom: the zoom control changes the viewport transform.
    const viewport = graph.locator('.react-flow__viewport');
    const before = await viewport.getAttribute('style');
    await graph.getByRole('button', { name: /zoom in/i }).click();
    await expect.poll(() => viewport.getAttribute('style')).not.toBe(before);

    // Clicking the SBOM node opens its manifest page.
    const sbomDigest = (await graph.locator('[data-kind="sbom"]').getAttribute('data-digest'))!;
    await graph.locator('[data-kind="sbom"]').click();
    await expect(page).toHaveURL(new RegExp(`/-/manifests/${sbomDigest}$`));
    await expect(page.getByTestId('manifest-digest')).toHaveText(sbomDigest);
    await expect(page.getByRole('link', { name: subject }).first()).toBeVisible(); // its subject (header and raw JSON)
  });

  test('the list works from the keyboard, and ?depth= limits the walk', async ({ page, request }) => {
    const subject = await digestOf(request, 'demo', 'platform/web', '1.6.0');
    await page.goto(pages.referrers('demo', 'platform/web', subject));
    const rows = listRows(page);
    await expect(rows).toHaveCount(5);
    await rows.first().focus();
    await page.keyboard.press('End');
    await expect(rows.last()).toBeFocused();
    await page.keyboard.press('Home');
    await expect(rows.first()).toBeFocused();
    // Walk down to the SBOM, close and reopen it.
    const sbom = rows.filter({ hasText: 'application/spdx+json' });
    for (let i = 0; i < 4 && !(await sbom.evaluate((e) => e === document.activeElement)); i++) await page.keyboard.press('ArrowDown');
    await expect(sbom).toBeFocused();
    await page.keyboard.press('ArrowLeft');
    await expect(sbom).toHaveAttribute('aria-expanded', 'false');
    await expect(rows).toHaveCount(4);
    await page.keyboard.press('ArrowRight');
    await expect(rows).toHaveCount(5);
    await page.keyboard.press('ArrowRight');
    const signatureOnSbom = page.getByTestId('referrer-tree').locator('[aria-level="3"]');
    await expect(signatureOnSbom).toBeFocused();
    const signatureDigest = (await signatureOnSbom.getAttribute('data-digest'))!;
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(new RegExp(`/-/manifests/${signatureDigest}$`));
    await expect(page.getByTestId('manifest-note')).toContainText('application/vnd.dev.cosign.artifact.sig.v1+json');

    // Depth 1: direct referrers only; the SBOM says there may be more.
    await page.goto(pages.referrers('demo', 'platform/web', subject));
    await page.getByTestId('depth-select').selectOption('1');
    await expect(page).toHaveURL(/\?depth=1$/);
    await expect(page.getByTestId('referrer-graph').getByTestId('graph-node')).toHaveCount(4);
    await expect(rows).toHaveCount(4);
    await expect(rows.filter({ hasText: 'application/spdx+json' })).toContainText('may have more referrers');
    await page.reload();
    await expect(page.getByTestId('depth-select')).toHaveValue('1');
    await expect(rows).toHaveCount(4);
  });

  test('a manifest without referrers says so', async ({ page, request }) => {
    const index = (await (await request.get(apiUrls.manifest('demo', 'platform/web', '1.6.0'))).json()) as ManifestResponse;
    const amd64 = index.children!.find((c) => c.platform === 'linux/amd64')!.descriptor.digest;
    await page.goto(pages.referrers('demo', 'platform/web', amd64));
    await expect(page.getByText('No referrers: nothing is attached to this manifest')).toBeVisible();
    await expect(page.getByTestId('referrer-graph')).toHaveCount(0);
  });
});

test.describe('referrer graph (real registry)', () => {
  test('a signature found through the referrers fallback tag', async ({ page, stack }) => {
    await page.goto(pages.referrers('registry', 'shop/web', stack.digests.webV2!));
    const graph = page.getByTestId('referrer-graph');
    await expect(graph.getByTestId('graph-node')).toHaveCount(2);
    const signature = graph.locator('[data-kind="signature"]');
    await expect(signature).toHaveAttribute('data-digest', stack.digests.signature!);
    await expect(listRows(page).nth(1)).toContainText('found via fallback-tag');
    await screenshot(page, 'referrer-graph-registry');
    await signature.click();
    await expect(page).toHaveURL(new RegExp(`/s/registry/r/shop/web/-/manifests/${stack.digests.signature}$`));
    await expect(page.getByTestId('manifest-digest')).toHaveText(stack.digests.signature!);
  });

  test('a registry that is down shows its error code, and retry recovers', async ({ page, stack }) => {
    const digest = await registryDigest(stack.offlineUrl, 'lonely/app', 'v1');
    await offlineRegistry(stack, 'halt');
    try {
      await page.goto(pages.referrers('offline', 'lonely/app', digest!));
      const alert = page.getByRole('alert').filter({ hasText: 'Could not load the referrers' });
      await expect(alert.getByTestId('error-code')).toHaveText(/UNAVAILABLE|TIMEOUT/);
      await expect(alert.getByTestId('error-message')).not.toBeEmpty();
    } finally {
      await offlineRegistry(stack, 'start');
    }
    await page.getByRole('button', { name: 'Retry' }).click();
    await expect(page.getByText('No referrers: nothing is attached to this manifest')).toBeVisible();
  });
});
