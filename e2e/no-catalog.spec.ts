import { expect, hydrated, test } from './support/test';

test.describe('a registry without a catalog', () => {
  test('says so, opens a repository by name, lists the configured ones and remembers what was opened', async ({ page }) => {
    await page.goto('/s/nocatalog');
    await hydrated(page);
    const panel = page.getByTestId('no-catalog');
    await expect(panel.getByRole('heading', { name: 'This registry does not list its repositories' })).toBeVisible();
    await expect(panel).toContainText('DENIED');
    await expect(page.getByRole('alert').filter({ hasText: 'Could not list' })).toHaveCount(0);

    // The configured repositories are links.
    await expect(panel.getByTestId('configured-repositories').getByRole('link', { name: 'kept/app' })).toHaveAttribute('href', '/s/nocatalog/r/kept/app/-/tags');

    // A name that is not a repository name is refused with the grammar's reason, and nothing opens.
    const box = panel.getByLabel('Repository name');
    await box.fill('Kept/App');
    await box.press('Enter');
    await expect(panel.getByRole('alert')).toBeVisible();
    await expect(page).toHaveURL(/\/s\/nocatalog$/);

    // Enter opens the repository; its tags come from the registry (reading a repository needs no catalog).
    await box.fill('kept/app');
    await box.press('Enter');
    await expect(page).toHaveURL(/\/s\/nocatalog\/r\/kept\/app\/-\/tags$/);
    await expect(page.locator('[data-tag="v1"]')).toBeVisible();

    // Back on the catalog page, the repository is listed as recently opened (this browser's localStorage).
    await page.goto('/s/nocatalog');
    await expect(page.getByTestId('recent-repositories').getByRole('link', { name: 'kept/app' })).toBeVisible();
  });
});
