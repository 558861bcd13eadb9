/**
 * The compare page on the demo source: `data/etl/worker` 2026.05 → 2026.06 (config, layers, the size change
 * per directory, changed files and a line diff), "Compare with…" from the manifest page, indexes that need a
 * platform, other repositories, and errors.
 */
import { expect, hydrated, screenshot, test } from './support/test';

const REPO = '/s/demo/r/data/etl/worker';
// The first compare indexes every layer of both images: generous on a loaded machine.
const INDEXING = { timeout: 45_000 };

test.describe('compare page (demo source)', () => {
  test('shows config, layers, size by directory, file changes and a text diff', async ({ page }) => {
    await page.goto(`${REPO}/-/compare?from=2026.05&to=2026.06`);
    await expect(page.getByTestId('compare-summary')).toBeVisible(INDEXING);
    await expect(page.getByTestId('compare-summary')).toContainText('2026.05 → 2026.06');

    const config = page.getByTestId('config-diff');
    await expect(config.getByTestId('config-diff-row').filter({ hasText: 'Cmd' })).toContainText('["run","--all"]');
    await expect(config.getByTestId('config-diff-row').filter({ hasText: 'Env ETL_EXPORT_FORMAT' })).toContainText('parquet');
    await expect(config.getByTestId('config-diff-row').filter({ hasText: 'ExposedPorts 9102/tcp' })).toBeVisible();
    await expect(config.getByTestId('config-diff-row').filter({ hasText: 'Label org.opencontainers.image.version' })).toContainText('2026.06');

    // Base, python, requirements and site-packages are shared; June's own layers include the zstd one.
    await expect(page.getByTestId('layers-shared').getByTestId('compare-layer')).toHaveCount(4);
    await expect(page.getByTestId('layers-only-from').getByTestId('compare-layer')).toHaveCount(2);
    await expect(page.getByTestId('layers-only-to').getByTestId('compare-layer')).toHaveCount(5);
    await expect(page.getByTestId('layers-only-to')).toContainText('zstd');

    // The tree opens along the largest growth: / → usr → … → site-packages is visible without a click.
    const tree = page.getByTestId('directory-tree');
    const rootChildren = tree.locator('[data-testid="dir-row"]');
    await expect(rootChildren.first()).toHaveAttribute('data-path', '');
    await expect(rootChildren.nth(1)).toHaveAttribute('data-path', 'usr');
    const site = tree.locator('[data-path="usr/local/lib/python3.11/site-packages"]');
    await expect(site).toBeVisible();
    await expect(site.getByTestId('dir-delta')).toHaveText(/^\+1\d\d KiB$/);
    await expect(tree.locator('[data-path="srv/etl"] [data-testid="dir-delta"]')).toHaveCount(0); // srv is closed
    await tree.getByRole('button', { name: 'Expand srv' }).click();
    await expect(tree.locator('[data-path="srv/etl"] [data-testid="dir-delta"]')).toHaveText(/^−/);
    await tree.getByRole('button', { name: 'Collapse usr' }).click();
    await expect(site).toHaveCount(0);

    const files = page.getByTestId('file-changes');
    const row = (path: string) => files.getByTestId('file-change').filter({ has: page.getByText(path, { exact: true }) });
    await expect(row('usr/local/bin/etl-export')).toHaveAttribute('data-change', 'added');
    await expect(row('srv/etl/legacy_import.py')).toHaveAttribute('data-change', 'removed');
    await expect(row('var/cache/debconf/config.dat')).toHaveAttribute('data-change', 'removed');
    await expect(row('etc/etl/settings.toml')).toHaveAttribute('data-change', 'changed');
    await expect(row('etc/etl/settings.toml')).toContainText('size');

    await files.getByRole('button', { name: 'Diff etc/etl/settings.toml' }).click();
    const diff = files.getByTestId('text-diff');
    await expect(diff.locator('tr[data-kind="added"]').filter({ hasText: '[export]' })).toBeVisible();
    await expect(diff.locator('tr[data-kind="removed"]').filter({ hasText: 'format = "csv"' })).toBeVisible();
    await expect(diff.locator('tr[data-kind="added"]').filter({ hasText: 'format = "parquet"' })).toBeVisible();
    await screenshot(page, 'compare', { fullPage: true });

    // Filters: only removed paths, then by path.
    await files.getByRole('checkbox', { name: /^added/ }).uncheck();
    await files.getByRole('checkbox', { name: /^changed/ }).uncheck();
    await expect(files.locator('[data-testid="file-change"]:not([data-change="removed"])')).toHaveCount(0);
    await files.getByRole('searchbox', { name: 'Filter changed paths' }).fill('legacy');
    await expect(files.getByTestId('file-change')).toHaveCount(1);
  });

  test('"Compare with…" on the manifest page opens the compare of the two tags', async ({ page }) => {
    await page.goto(`${REPO}/-/manifests/2026.05`);
    await hydrated(page);
    await page.getByRole('button', { name: 'Compare with…' }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog).toContainText('tags of data/etl/worker');
    await dialog.getByLabel('Other image').fill('2026.06-hotfix1');
    await dialog.getByRole('button', { name: 'Compare', exact: true }).click();
    await expect(page).toHaveURL(/\/s\/demo\/r\/data\/etl\/worker\/-\/compare\?from=2026\.05&to=2026\.06-hotfix1$/);
    await expect(page.getByTestId('compare-summary')).toContainText('2026.05 → 2026.06-hotfix1', INDEXING);
    // The form swaps both sides.
    await page.getByRole('button', { name: 'Swap' }).click();
    await expect(page).toHaveURL(/compare\?from=2026\.06-hotfix1&to=2026\.05$/);
    await expect(page.getByTestId('compare-summary')).toContainText('2026.06-hotfix1 → 2026.05', INDEXING);
  });

  test('indexes ask for a platform; other repositories and errors are shown plainly', async ({ page }) => {
    await page.goto('/s/demo/r/platform/web/-/compare?from=1.5.0&to=1.6.0');
    await expect(page.getByTestId('error-message')).toContainText('choose a platform', INDEXING);
    await page.getByTestId('compare-platforms').getByRole('link', { name: 'linux/arm64/v8' }).click();
    await expect(page).toHaveURL(/platform=linux%2Farm64%2Fv8$/);
    await expect(page.getByTestId('compare-summary')).toContainText('(linux/arm64/v8)', INDEXING);
    await expect(page.getByTestId('file-changes').getByTestId('file-change').filter({ hasText: 'usr/share/nginx/html/index.html' })).toHaveAttribute('data-change', 'changed');

    // Another repository of the same source, by SOURCE/REPO:TAG.
    await page.goto(`${REPO}/-/compare?from=${encodeURIComponent('demo/ci/builds:pr-101')}&to=2026.06`);
    await expect(page.getByTestId('compare-summary')).toContainText('demo/ci/builds:pr-101 → 2026.06', INDEXING);
    await expect(page.getByTestId('file-changes').getByTestId('file-change').filter({ hasText: 'etc/os-release' })).toHaveAttribute('data-change', 'changed');

    await page.goto(`${REPO}/-/compare?from=2026.05&to=no-such-tag`);
    await expect(page.getByTestId('error-code')).toHaveText('MANIFEST_UNKNOWN', INDEXING);
    await page.goto('/s/demo/r/ml/models/classifier/-/compare?from=v1&to=v2');
    await expect(page.getByTestId('error-code')).toHaveText('MANIFEST_INVALID', INDEXING);
    await expect(page.getByTestId('error-message')).toContainText('ml/models/classifier:v1 is not an image');
  });
});
