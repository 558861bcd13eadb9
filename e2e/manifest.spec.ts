/**
 * The manifest page: tree (index → platform manifests → config and layers), config summary, layers, raw JSON
 * with digest links, pull commands, `?platform=` selection, and manifests that are partial or odd.
 */
import { createHash } from 'node:crypto';
import type { Page } from '@playwright/test';
import { image, index } from '@/lib/registry/testing/build';
import { REGCLIENT_TESTREPO } from '@/lib/registry/testing/fixtures';
import { loadLayout } from '@/lib/registry/testing/push-layout-raw';
import { offlineRegistry, registryDigest } from './support/registry';
import { pushWithTags } from './support/seed';
import { readState } from './support/state';
import { expect, screenshot, test } from './support/test';

const DEMO_INDEX = '/s/demo/r/platform/web/-/manifests/1.6.0';

function treeRow(page: Page, name: RegExp) {
  return page.getByTestId('manifest-tree').getByRole('treeitem', { name });
}

test.describe('manifest page (demo source)', () => {
  test('index → platform manifest → config and layers, selected through ?platform=', async ({ page, request }) => {
    await page.goto(DEMO_INDEX);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('platform/web:1.6.0');
    const tree = page.getByTestId('manifest-tree');
    await expect(tree.getByRole('treeitem')).toHaveCount(7); // the index, 3 platforms, 3 attestations
    await expect(tree.getByRole('treeitem', { name: /^attestation / })).toHaveCount(3);
    await expect(page.getByTestId('children-table')).toContainText('for linux/amd64');

    await treeRow(page, /^linux\/arm64\/v8 /).click();
    await expect(page).toHaveURL(/\?platform=linux%2Farm64%2Fv8$/);
    const panel = page.getByTestId('child-panel');
    await expect(panel.getByRole('heading', { name: 'Platform linux/arm64/v8' })).toBeVisible();
    const config = panel.getByTestId('config-summary');
    await expect(config).toContainText('["nginx","-g","daemon off;"]');
    await expect(config).toContainText('NGINX_PORT=8080');
    await expect(config).toContainText('org.opencontainers.image.version');
    await expect(config).toContainText('linux/arm64/v8');
    // History: steps that made layers link to them, the others say so.
    await expect(panel.getByTestId('history-row')).toHaveCount(8);
    await expect(panel.getByTestId('history-row').filter({ hasText: 'no layer' })).toHaveCount(5);
    await expect(panel.getByTestId('layer-row')).toHaveCount(3);

    // The tree opened the selected platform: config and layers are rows under it.
    await expect(treeRow(page, /^config /)).toHaveCount(1);
    await expect(treeRow(page, /^layer \d /)).toHaveCount(3);

    // A layer link downloads exactly the blob it names.
    const link = panel.getByTestId('layer-row').first().getByRole('link');
    const digest = (await link.textContent())!;
    const blob = await request.get((await link.getAttribute('href'))!);
    expect(blob.status()).toBe(200);
    expect(`sha256:${createHash('sha256').update(await blob.body()).digest('hex')}`).toBe(digest);

    await expect(page.locator('[data-testid="referrers-badge"] [data-count]')).toHaveCount(9); // all loaded
    await screenshot(page, 'manifest-platform', { fullPage: true });
    // Dark (following the system) and 1024 px wide: still usable.
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.setViewportSize({ width: 1024, height: 800 });
    await page.reload();
    await expect(page.locator('html')).toHaveClass(/dark/);
    await expect(panel.getByTestId('layer-row')).toHaveCount(3);
    await screenshot(page, 'manifest-platform-dark-1024');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1280, height: 860 });

    // The URL alone selects the platform (`linux/arm64` is `linux/arm64/v8`), on a fresh page load.
    await page.goto(`${DEMO_INDEX}?platform=linux/arm64`);
    await expect(page.getByTestId('child-panel').getByRole('heading', { name: 'Platform linux/arm64/v8' })).toBeVisible();
    await expect(treeRow(page, /^linux\/arm64\/v8 /)).toHaveAttribute('aria-selected', 'true');
    await page.goto(`${DEMO_INDEX}?platform=windows/amd64`);
    await expect(page.getByRole('note').filter({ hasText: 'No manifest of this index matches' })).toContainText('windows/amd64');
    await expect(page.getByTestId('children-table')).toBeVisible();
  });

  test('the tree works from the keyboard: arrows move, Right opens, Enter selects', async ({ page }) => {
    await page.goto(DEMO_INDEX);
    const root = treeRow(page, /^1\.6\.0 /);
    await expect(root).toHaveAttribute('tabindex', '0');
    await root.focus();
    await page.keyboard.press('ArrowDown');
    await expect(treeRow(page, /^linux\/amd64 /)).toBeFocused();
    await page.keyboard.press('ArrowRight'); // opens: loads the child manifest lazily
    await expect(treeRow(page, /^linux\/amd64 /)).toHaveAttribute('aria-expanded', 'true');
    await expect(treeRow(page, /^layer 3 /)).toBeVisible();
    await page.keyboard.press('ArrowRight'); // enters
    await expect(treeRow(page, /^config /)).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect(treeRow(page, /^layer 2 /)).toBeFocused();
    await page.keyboard.press('Enter'); // shows that layer in the platform's details
    await expect(page).toHaveURL(/\?platform=linux%2Famd64$/);
    await expect(page.getByTestId('layer-row').nth(1)).toHaveAttribute('data-highlighted', 'true');
    await expect(page.locator('[data-testid="history-row"][data-highlighted]')).toHaveCount(1);
    await page.keyboard.press('ArrowLeft'); // to the parent
    await expect(treeRow(page, /^linux\/amd64 /)).toBeFocused();
    await page.keyboard.press('ArrowLeft'); // closes it
    await expect(treeRow(page, /^linux\/amd64 /)).toHaveAttribute('aria-expanded', 'false');
    await expect(treeRow(page, /^layer 2 /)).toHaveCount(0);
    await page.keyboard.press('Home');
    await expect(root).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/manifests\/1\.6\.0$/);
  });

  test('raw JSON: every digest is a link to a manifest page or the blob API', async ({ page, request }) => {
    await page.goto(DEMO_INDEX);
    const raw = page.getByTestId('raw-json');
    const childLinks = raw.locator('[data-digest-link="manifest"]');
    // 6 children, plus 3 attestations naming the image they attest.
    await expect(childLinks).toHaveCount(9);
    const child = (await childLinks.first().textContent())!;
    await childLinks.first().click();
    await expect(page).toHaveURL(new RegExp(`/-/manifests/${child}$`));
    await expect(page.getByTestId('manifest-digest')).toHaveText(child);
    await expect(page.getByRole('heading', { level: 1 }).locator('..')).toContainText('Image');

    const blobLinks = page.getByTestId('raw-json').locator('[data-digest-link="blob"]');
    await expect(blobLinks).toHaveCount(4); // config + 3 layers
    const configHref = (await blobLinks.first().getAttribute('href'))!;
    const configBlob = await request.get(configHref);
    expect(configBlob.status()).toBe(200);
    expect(await configBlob.json()).toMatchObject({ architecture: 'amd64', os: 'linux' });

    // Exact bytes: the document as served.
    await page.getByRole('button', { name: 'Exact bytes' }).click();
    await expect(page.getByTestId('raw-json').locator('pre')).toContainText('"schemaVersion":2');

    // An artifact's subject opens the subject's page.
    await page.goto(DEMO_INDEX);
    await page.getByRole('link', { name: 'Referrer graph' }).click();
    await page.getByTestId('referrer-tree').getByRole('treeitem').filter({ hasText: 'SBOM' }).first().click();
    await expect(page.getByRole('heading', { level: 1 }).locator('..')).toContainText('Artifact');
    await expect(page.getByTestId('manifest-note')).toContainText('application/spdx+json');
    // The demo is a layout source: no pull address (a bare name would pull from Docker Hub).
    await expect(page.getByTestId('pull-commands')).toContainText('No pull address');
    const subject = page.getByTestId('raw-json').locator('[data-digest-link="manifest"]');
    await expect(subject).toHaveCount(1);
    await subject.click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^platform\/web@sha256:aff8|^platform\/web@/);
    await expect(page.getByTestId('children-table')).toBeVisible();
  });

  test('Docker schema2 manifest list and images', async ({ page }) => {
    await page.goto('/s/demo/r/tools/cli/-/manifests/v1.2.0');
    await expect(page.getByRole('heading', { level: 1 }).locator('..')).toContainText('Docker manifest list');
    await expect(page.getByTestId('manifest-tree').getByRole('treeitem')).toHaveCount(4);
    await page.getByTestId('children-table').getByRole('link', { name: /linux\/arm\/v7/ }).click();
    await expect(page).toHaveURL(/\?platform=linux%2Farm%2Fv7$/);
    const panel = page.getByTestId('child-panel');
    await expect(panel).toContainText('Docker image');
    await expect(panel.getByTestId('config-summary')).toContainText('["/usr/local/bin/pcli"]');
    // A layout source has no pull address: no command that would pull tools/cli from Docker Hub.
    await expect(panel.getByTestId('pull-commands')).toContainText('No pull address');
    await expect(panel.getByTestId('pull-commands')).not.toContainText('docker pull');
  });
});

test.describe('manifest page (real registry)', () => {
  test('pull commands name the registry host; referrers from the fallback tag are counted', async ({ page, stack }) => {
    const host = new URL(stack.registryUrl).host;
    await page.goto(`/s/registry/r/shop/web/-/manifests/v1`);
    const pull = page.getByTestId('pull-commands').first();
    await expect(pull).toContainText(`docker pull ${host}/shop/web@${stack.digests.webV1}`);
    await expect(pull).toContainText(`docker pull ${host}/shop/web:v1`);
    await expect(pull).not.toContainText('no registry host');
    await expect(page.getByTestId('manifest-tree').getByRole('treeitem')).toHaveCount(3);
    await expect(page.locator('[data-testid="referrers-badge"] [data-count]')).toHaveCount(6);
    await expect(page.getByRole('button', { name: 'Delete manifest' })).toBeVisible();
    await screenshot(page, 'manifest-registry');
    // The same registry through the read-only source: no delete, and the reason.
    await page.goto(`/s/readonly/r/shop/web/-/manifests/v1`);
    await expect(page.getByTestId('delete-unavailable')).toContainText('read-only');
    await expect(page.getByRole('button', { name: 'Delete manifest' })).toHaveCount(0);

    await page.goto(`/s/registry/r/shop/web/-/manifests/v2.0.0`);
    const badge = page.getByTestId('manifest-view').locator('header [data-testid="referrers-badge"]');
    await expect(badge.locator('[data-count]')).toHaveAttribute('data-count', '1');
    await expect(badge.getByRole('link')).toHaveAttribute('title', /1 signature/);
  });

  test.describe('partial and unusual manifests', () => {
    let sparse: { index: string; missing: string };

    test.beforeAll(async () => {
      // `stack` is a per-test fixture; the state it reads is available here too.
      const stack = readState();
      const target = { url: stack.registryUrl, auth: 'none' as const };
      // A sparse index: its arm64 image is deleted after the index was pushed (distribution allows that).
      const platforms = { amd64: { os: 'linux', architecture: 'amd64' }, arm64: { os: 'linux', architecture: 'arm64' } };
      const amd64 = image({ seed: 'sparse-amd64', platform: platforms.amd64, layers: ['a'] });
      const arm64 = image({ seed: 'sparse-arm64', platform: platforms.arm64, layers: ['b'] });
      const built = index([
        { built: amd64, platform: platforms.amd64 },
        { built: arm64, platform: platforms.arm64 },
      ]);
      const digest = await pushWithTags(target, 'oddities/sparse', built, ['v1']);
      const missing = arm64.manifest.descriptor.digest;
      const res = await fetch(`${stack.registryUrl}/v2/oddities/sparse/manifests/${missing}`, { method: 'DELETE' });
      expect(res.status).toBe(202);
      sparse = { index: digest, missing };
      // The regclient test repository: artifacts, referrers, an index pointing at itself through a subject.
      await loadLayout(target, REGCLIENT_TESTREPO, 'oddities/regclient');
    });

    test('a sparse index shows the missing child and everything else', async ({ page }) => {
      await page.goto('/s/registry/r/oddities/sparse/-/manifests/v1');
      await expect(page.getByTestId('manifest-digest')).toHaveText(sparse.index);
      await expect(page.getByTestId('manifest-note')).toContainText('1 of 2 manifests listed by this index could not be read');
      await expect(page.getByTestId('children-table')).toContainText('Missing: MANIFEST_UNKNOWN');
      const missingRow = treeRow(page, /, missing$/);
      await expect(missingRow).not.toHaveAttribute('aria-expanded');
      await missingRow.click();
      await expect(page.getByTestId('child-panel')).toContainText('The index lists this manifest, but it could not be read');
      await expect(page.getByTestId('child-panel').getByTestId('error-code')).toHaveText('MANIFEST_UNKNOWN');
      await expect(page.getByTestId('child-panel')).toContainText(sparse.missing);
      await treeRow(page, /^linux\/amd64 /).click();
      await expect(page.getByTestId('child-panel').getByTestId('layer-row')).toHaveCount(1);
      await screenshot(page, 'manifest-sparse', { fullPage: true });
    });

    test('artifacts, referrers indexes and a self-referencing loop render without crashing', async ({ page, stack }) => {
      // `a1` is an artifact with an empty config and a subject; `loop` is an index whose child refers back to it.
      await page.goto('/s/registry/r/oddities/regclient/-/manifests/a1');
      await expect(page.getByTestId('manifest-note')).toContainText('not a container image');
      await expect(page.getByTestId('manifest-tree').getByRole('treeitem', { name: /^subject / })).toHaveCount(1);
      await expect(page.getByRole('heading', { name: 'Blobs' })).toBeVisible();

      // `loop` lists `child` and names it as its subject too.
      await page.goto('/s/registry/r/oddities/regclient/-/manifests/loop');
      const loop = await registryDigest(stack.registryUrl, 'oddities/regclient', 'loop');
      const child = await registryDigest(stack.registryUrl, 'oddities/regclient', 'child');
      await expect(page.getByTestId('manifest-digest')).toHaveText(loop!);
      await expect(page.getByTestId('children-table')).toContainText(child!);
      await expect(page.getByRole('link', { name: child! }).first()).toBeVisible();
      await expect(page.getByTestId('manifest-tree').getByRole('treeitem', { name: /^subject / })).toHaveCount(1);
      await treeRow(page, /^manifest /).click();
      await expect(page.getByTestId('child-panel').getByTestId('manifest-note')).toContainText('application/example.child');

      // `v1` lists two images and two unknown/unknown entries.
      await page.goto('/s/registry/r/oddities/regclient/-/manifests/v1');
      await expect(page.getByTestId('manifest-tree').getByRole('treeitem')).toHaveCount(5);
      await expect(page.getByTestId('children-table')).toBeVisible();
    });
  });

  test('a registry that is down shows its error code, and retry recovers', async ({ page, stack }) => {
    await offlineRegistry(stack, 'halt');
    try {
      await page.goto('/s/offline/r/lonely/app/-/manifests/v1');
      const alert = page.getByRole('alert');
      await expect(alert.getByTestId('error-code')).toHaveText(/UNAVAILABLE|TIMEOUT/);
      await expect(alert.getByTestId('error-message')).not.toBeEmpty();
    } finally {
      await offlineRegistry(stack, 'start');
    }
    await page.getByRole('button', { name: 'Retry' }).click();
    await expect(page.getByTestId('manifest-tree')).toBeVisible();
    await expect(page.getByTestId('config-summary')).toContainText('/bin/sh');
  });
});
