/**
 * The file browser on the manifest page and the per-layer files, against images pushed by the stack
 * (e2e/support/seed-files.ts: `files/tour`, `files/big`) and the demo: the whole-image tree, its filter and
 * keyboard, symlinks followed, the viewer (highlighting, encodings, binary and ELF, the 1 MiB cut, downloads
 * under the real name) and a layer's own table of contents from the layers and history tables.
 */
import type { Locator, Page } from '@playwright/test';
import { BIG_FILES, NEEDLE } from './support/files-data';
import { expect, hydrated, test } from './support/test';

const TOUR = '/s/registry/r/files/tour/-/manifests/v1';

async function showFiles(page: Page, url: string): Promise<Locator> {
  await page.goto(url);
  await hydrated(page);
  await page.getByRole('region', { name: 'Files' }).getByRole('button', { name: 'Show files' }).click();
  const tree = page.getByRole('tree', { name: 'Image files' });
  await expect(tree).toBeVisible({ timeout: 60_000 });
  return tree;
}

const row = (tree: Locator, path: string) => tree.locator(`[role="treeitem"][data-path="${path}"]`);
const focused = (tree: Locator) => tree.locator('[role="treeitem"][data-focused]');
const rowPaths = (tree: Locator) => tree.locator('[role="treeitem"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-path')));

test.describe('file browser', () => {
  test('shows the whole image as a tree with sizes and layers, and moves with the keyboard', async ({ page }) => {
    const tree = await showFiles(page, TOUR);
    // Directories first, then names; the whited-out file is gone, the symlink at the root is listed.
    expect(await rowPaths(tree)).toEqual(['app', 'big', 'data', 'etc', 'usr', 'bin']);
    await expect(row(tree, 'bin')).toContainText('→ usr/bin');
    await expect(row(tree, 'big')).toContainText('1.5 MiB'); // a directory shows the total below it

    await tree.focus();
    await page.keyboard.press('Home');
    await expect(focused(tree)).toHaveAttribute('data-path', 'app');
    await page.keyboard.press('ArrowRight');
    await expect(row(tree, 'app')).toHaveAttribute('aria-expanded', 'true');
    await page.keyboard.press('ArrowRight');
    await expect(focused(tree)).toHaveAttribute('data-path', 'app/config.json');
    await page.keyboard.press('ArrowDown');
    await expect(focused(tree)).toHaveAttribute('data-path', 'app/main.py');
    await page.keyboard.press('Enter');
    const viewer = page.getByTestId('file-viewer');
    await expect(viewer.getByRole('heading', { name: '/app/main.py' })).toBeVisible();
    await page.keyboard.press('ArrowLeft');
    await expect(focused(tree)).toHaveAttribute('data-path', 'app');
    await page.keyboard.press('ArrowLeft');
    await expect(row(tree, 'app')).toHaveAttribute('aria-expanded', 'false');
    await expect(row(tree, 'app/main.py')).toHaveCount(0);
    await page.keyboard.press('End');
    await expect(focused(tree)).toHaveAttribute('data-path', 'bin');

    // The layer that wrote a path, and the one it overrode.
    await row(tree, 'etc').click();
    await expect(row(tree, 'etc/os-release').getByTestId('row-layer')).toHaveText('L2 ↑1');
    await expect(row(tree, 'etc/dangling').getByTestId('row-layer')).toHaveText('L1');
    await row(tree, 'etc/os-release').click();
    await expect(viewer.getByTestId('file-layer')).toContainText('from layer 2');
    await expect(viewer.getByTestId('file-layer')).toContainText('overrides layer 1');
    await expect(viewer.getByTestId('file-text')).toHaveText('ID=tour\nVERSION_ID=2\n');
  });

  test('filters by name and by path, and says when nothing matches', async ({ page }) => {
    const tree = await showFiles(page, TOUR);
    const filter = page.getByRole('searchbox', { name: 'Filter files' });
    await filter.fill('LIBDEMO');
    await expect(page.getByTestId('tree-status')).toHaveText('2 matches');
    expect(await rowPaths(tree)).toEqual(['usr', 'usr/lib', 'usr/lib/libdemo.so', 'usr/lib/libdemo.so.1']);
    // ↓ from the box goes into the matches; the keys move through them.
    await filter.press('ArrowDown');
    await expect(tree).toBeFocused();
    await page.keyboard.press('End');
    await expect(focused(tree)).toHaveAttribute('data-path', 'usr/lib/libdemo.so.1');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('file-viewer').getByTestId('file-text')).toHaveText('LIBDEMO\n');
    await filter.fill('app/s');
    expect(await rowPaths(tree)).toEqual(['app', 'app/server.go']);
    await filter.fill('old.txt'); // whited out by layer 2
    await expect(tree).toContainText('Nothing matches the filter.');
    await filter.fill('');
    await expect(row(tree, 'usr/lib')).toHaveCount(0);
  });

  test('follows symlinks inside the image', async ({ page }) => {
    const tree = await showFiles(page, TOUR);
    await row(tree, 'bin').click();
    await expect(page.getByTestId('tree-notice')).toHaveText('/bin → /usr/bin');
    await expect(focused(tree)).toHaveAttribute('data-path', 'usr/bin');
    await expect(row(tree, 'usr')).toHaveAttribute('aria-expanded', 'true');

    await page.getByRole('searchbox', { name: 'Filter files' }).fill('libdemo.so');
    await row(tree, 'usr/lib/libdemo.so').click();
    // The filter is cleared, the target focused and opened in the viewer.
    await expect(page.getByRole('searchbox', { name: 'Filter files' })).toHaveValue('');
    await expect(focused(tree)).toHaveAttribute('data-path', 'usr/lib/libdemo.so.1');
    await expect(page.getByTestId('file-viewer').getByTestId('file-text')).toHaveText('LIBDEMO\n');

    await row(tree, 'etc').click();
    await row(tree, 'etc/dangling').click();
    await expect(page.getByTestId('tree-notice')).toHaveText('/etc/dangling → /missing/file: not in this image');
  });

  test('views files: highlighting, encodings, binaries and ELF executables, the 1 MiB cut, downloads', async ({ page, request }) => {
    const tree = await showFiles(page, TOUR);
    const viewer = page.getByTestId('file-viewer');
    const kind = viewer.getByTestId('file-kind');
    const text = viewer.getByTestId('file-text');

    await row(tree, 'app').click();
    await row(tree, 'app/main.py').click();
    await expect(text).toHaveAttribute('data-highlighted', 'true');
    await expect(text).toHaveAttribute('data-language', 'python');
    await expect(text.locator('.hljs-keyword').first()).toHaveText('import');
    await expect(text.locator('.hljs-string').first()).toContainText("The tour's entry point.");
    await expect(kind).toHaveText('text, utf-8');
    const [download] = await Promise.all([page.waitForEvent('download'), viewer.getByRole('link', { name: 'Download main.py' }).click()]);
    expect(download.suggestedFilename()).toBe('main.py');
    const raw = await request.get((await viewer.getByRole('link', { name: 'Raw' }).getAttribute('href'))!);
    expect(await raw.text()).toBe(await (await download.createReadStream()).toArray().then((parts) => Buffer.concat(parts).toString()));
    expect(raw.headers()['content-security-policy']).toContain('sandbox');

    await row(tree, 'app/server.go').click();
    await expect(text).toHaveAttribute('data-language', 'go');
    await expect(text.locator('.hljs-keyword').first()).toHaveText('package');

    await row(tree, 'app/notes-latin1.txt').click();
    await expect(kind).toHaveText('text, windows-1252');
    await expect(text).toHaveText('café crème\n');

    await page.getByRole('searchbox', { name: 'Filter files' }).fill('tool');
    await row(tree, 'usr/bin/tool').click();
    await expect(kind).toHaveText(/^ELF 64-bit LSB pie executable, x86-64, dynamically linked, interpreter \/lib/);
    await expect(viewer).toContainText('Binary file');
    await expect(text).toHaveCount(0);

    await page.getByRole('searchbox', { name: 'Filter files' }).fill('blob.bin');
    await row(tree, 'data/blob.bin').click();
    await expect(kind).toHaveText('binary data');

    await page.getByRole('searchbox', { name: 'Filter files' }).fill('large.txt');
    await row(tree, 'big/large.txt').click();
    await expect(kind).toHaveText('text, utf-8 — showing the first 1 MiB of 1.5 MiB — too long to highlight');
    expect((await text.textContent())!.length).toBe(1024 * 1024);
  });

  test("opens a layer's own files from the layers table and from the history step that made it", async ({ page }) => {
    await page.goto(TOUR);
    await hydrated(page);
    await page.getByRole('button', { name: 'Files of layer 2' }).click();
    const layerTwo = page.getByTestId('layer-files');
    const tree = layerTwo.getByRole('tree', { name: 'Layer files' });
    await expect(tree).toBeVisible({ timeout: 30_000 });
    expect(await rowPaths(tree)).toEqual(['app', 'data', 'etc']);
    await row(tree, 'data').click();
    await expect(row(tree, 'data/.wh.old.txt')).toContainText('whiteout');
    await row(tree, 'etc').click();
    await row(tree, 'etc/os-release').click();
    await expect(layerTwo.getByTestId('file-text')).toHaveText('ID=tour\nVERSION_ID=2\n');
    await page.getByRole('button', { name: 'Files of layer 2' }).click(); // "Hide files"
    await expect(layerTwo).toHaveCount(0);

    // History: step 2 is an empty ENV step (no layer, no button); step 3 made layer 2.
    await expect(page.getByRole('button', { name: 'Files of step 2' })).toHaveCount(0);
    await page.getByRole('button', { name: 'Files of step 1' }).click();
    const stepOne = page.getByTestId('layer-files');
    await expect(row(stepOne, 'data')).toBeVisible({ timeout: 30_000 });
    await row(stepOne, 'data').click();
    await expect(row(stepOne, 'data/old.txt')).toBeVisible();
    await row(stepOne, 'data/old.txt').click();
    await expect(stepOne.getByTestId('file-text')).toHaveText('to be whited out\n');
  });

  test('stays responsive with 100,000 files: renders, scrolls, filters (keystroke-to-paint measured)', async ({ page }, testInfo) => {
    test.setTimeout(180_000);
    await page.goto('/s/registry/r/files/big/-/manifests/v1');
    await hydrated(page);
    const listed = page.waitForResponse((response) => response.url().includes('/files?recursive=1'), { timeout: 120_000 });
    const clicked = Date.now();
    await page.getByRole('region', { name: 'Files' }).getByRole('button', { name: 'Show files' }).click();
    const tree = page.getByRole('tree', { name: 'Image files' });
    const status = page.getByTestId('tree-status');
    // 100 top directories × 10 below each, and the files.
    await expect(status).toHaveText(`${(BIG_FILES + 1100).toLocaleString('en')} entries`, { timeout: 120_000 });
    const shown = Date.now() - clicked;
    const listing = await (await listed).body();
    const filter = page.getByRole('searchbox', { name: 'Filter files' });

    // Every file shown at once (the filter opens every directory), scrolled to the end: few rows in the DOM.
    await filter.fill('.txt');
    await expect(status).toHaveText(`${BIG_FILES.toLocaleString('en')} matches`);
    await tree.evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await expect(row(tree, 'd099/s9/f98.txt')).toBeVisible();
    expect(await tree.locator('[role="treeitem"]').count()).toBeLessThan(100);
    await tree.evaluate((el) => el.scrollTo(0, el.scrollHeight / 2));
    await expect(row(tree, 'd049/s9/f99.txt').or(row(tree, 'd050/s0/f00.txt'))).not.toHaveCount(0);

    await filter.fill('needle');
    await expect(status).toHaveText('1 match');
    expect(await rowPaths(tree)).toEqual(['d073', 'd073/s4', NEEDLE]);
    await row(tree, NEEDLE).click();
    await expect(page.getByTestId('file-viewer').getByTestId('file-text')).toHaveText('found the needle\n');

    // Keystroke to paint: from the keydown in the filter to the frame after the tree shows that filter's rows.
    await filter.fill('');
    await expect(tree).toHaveAttribute('data-filter', '');
    await filter.focus();
    await page.evaluate(() => {
      const w = window as unknown as { __timings: number[]; __start: number };
      w.__timings = [];
      const input = document.querySelector('input[aria-label="Filter files"]') as HTMLInputElement;
      const treeEl = document.querySelector('[data-testid="file-tree"]')!;
      input.addEventListener('keydown', () => (w.__start = performance.now()), true);
      new MutationObserver(() => {
        if (treeEl.getAttribute('data-filter') !== input.value || !w.__start) return;
        const start = w.__start;
        w.__start = 0;
        requestAnimationFrame(() => setTimeout(() => w.__timings.push(performance.now() - start), 0));
      }).observe(treeEl, { attributes: true, attributeFilter: ['data-filter'] });
    });
    const keys = ['.', 't', 'x', 't', 'Backspace', 'Backspace', 'Backspace', 'Backspace', 'f', '4', '2', 'Backspace', 'Backspace', 'Backspace'];
    for (const key of keys) {
      const before = await filter.inputValue();
      await page.keyboard.press(key);
      const after = key === 'Backspace' ? before.slice(0, -1) : before + key;
      await expect(tree).toHaveAttribute('data-filter', after);
    }
    await expect.poll(() => page.evaluate(() => (window as unknown as { __timings: number[] }).__timings.length)).toBe(keys.length);
    const timings = (await page.evaluate(() => (window as unknown as { __timings: number[] }).__timings)).sort((a, b) => a - b);
    const median = timings[Math.floor(timings.length / 2)]!;
    const summary =
      `filter keystroke-to-paint on ${BIG_FILES + 1100} entries: median ${median.toFixed(0)} ms, max ${timings.at(-1)!.toFixed(0)} ms (${timings.length} keystrokes); ` +
      `first "Show files" to tree: ${shown} ms (layer indexed on the way), listing ${(listing.length / 1024 / 1024).toFixed(1)} MiB of JSON`;
    testInfo.annotations.push({ type: 'measurement', description: summary });
    console.log(summary);
  });

  test('shows the demo image files (demo source)', async ({ page }) => {
    const tree = await showFiles(page, '/s/demo/r/data/etl/worker/-/manifests/2026.03');
    await expect(row(tree, 'etc')).toBeVisible();
    await page.getByRole('searchbox', { name: 'Filter files' }).fill('os-release');
    await row(tree, 'etc/os-release').click();
    await expect(page.getByTestId('file-viewer').getByTestId('file-text')).toContainText('ID=');
  });
});
