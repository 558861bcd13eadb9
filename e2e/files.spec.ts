/**
 * The file browser on the manifest page (demo source): files of the merged image filesystem, directories,
 * filtering, and a file served by the API.
 */
import { expect, test } from './support/test';

test.describe('file browser (demo source)', () => {
  test('shows the image filesystem, opens directories and serves a file', async ({ page, request }) => {
    await page.goto('/s/demo/r/data/etl/worker/-/manifests/2026.03');
    const section = page.getByRole('region', { name: 'Files' });
    await section.getByRole('button', { name: 'Show files' }).click();
    const browser = page.getByTestId('file-browser');
    await expect(browser.getByRole('button', { name: 'etc/' })).toBeVisible({ timeout: 30_000 });
    await expect(browser.getByRole('button', { name: 'srv/' })).toBeVisible();

    await browser.getByRole('button', { name: 'srv/' }).click();
    await browser.getByRole('button', { name: 'etl/' }).click();
    const main = browser.getByRole('link', { name: 'main.py', exact: true });
    await expect(main).toBeVisible();
    await expect(browser.getByTestId('file-row')).toHaveCount(1);
    const href = await main.getAttribute('href');
    const file = await request.get(href!);
    expect(file.status()).toBe(200);
    expect(await file.text()).toContain('# release 2026.03');
    expect(file.headers()['content-security-policy']).toContain('sandbox');
    const download = await request.get((await browser.getByRole('link', { name: 'Download main.py' }).getAttribute('href'))!);
    expect(download.headers()['content-disposition']).toMatch(/^attachment; filename="main.py"/);

    await browser.getByRole('navigation', { name: 'Directory' }).getByRole('button', { name: '/' }).click();
    await browser.getByRole('searchbox', { name: 'Filter files' }).fill('et');
    await expect(browser.getByTestId('file-row')).toHaveCount(1);
    await browser.getByRole('button', { name: 'etc/' }).click();
    await expect(browser.getByRole('link', { name: 'os-release', exact: true })).toBeVisible();
  });
});
