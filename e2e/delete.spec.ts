import { registryDigest, registryTags } from './support/registry';
import { expect, screenshot, test } from './support/test';

test.describe('deleting', () => {
  test('deleting a tag that shares its digest leaves its siblings in the registry', async ({ page, stack }) => {
    await page.goto('/s/registry/r/shop/delete-tag/-/tags');
    await expect(page.locator('[data-tag="doomed"] code[title^="sha256:"]')).toBeVisible();
    await page.getByRole('button', { name: 'Delete tag doomed' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete tag doomed?' });
    await expect(dialog.getByTestId('delete-consequence')).toHaveText(
      `Only doomed is removed; keep-1 and keep-2 keep pointing at ${stack.digests.shared!.slice(0, 19)}….`,
    );
    await screenshot(page, 'delete-tag-dialog');
    await dialog.getByRole('button', { name: 'Delete tag doomed' }).click();
    const done = page.getByRole('dialog', { name: 'Deleted tag doomed' });
    await expect(done.getByTestId('delete-result')).toContainText('keep-1, keep-2 still point at');
    await expect(done.getByTestId('gc-note')).toContainText('docker-registry garbage-collect');
    await done.getByRole('button', { name: 'Close' }).click();
    await expect(page.locator('[data-tag="doomed"]')).toHaveCount(0);
    await expect(page.getByTestId('tag-row')).toHaveCount(3);

    expect(await registryTags(stack.registryUrl, 'shop/delete-tag')).toEqual(['keep-1', 'keep-2', 'other']);
    expect(await registryDigest(stack.registryUrl, 'shop/delete-tag', 'keep-1')).toBe(stack.digests.shared);
    expect(await registryDigest(stack.registryUrl, 'shop/delete-tag', 'keep-2')).toBe(stack.digests.shared);
    expect(await registryDigest(stack.registryUrl, 'shop/delete-tag', 'doomed')).toBeNull();
  });

  test('deleting a manifest lists every tag and asks for the name when several go', async ({ page, stack }) => {
    await page.goto('/s/registry/r/shop/delete-manifest/-/tags');
    await expect(page.locator('[data-tag="m1"] code[title^="sha256:"]')).toBeVisible();
    await page.getByRole('button', { name: 'Delete the manifest of m1' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete this manifest?' });
    await expect(dialog.getByTestId('delete-consequence')).toContainText('2 tags are removed: m1 and m2.');
    const confirm = dialog.getByRole('button', { name: 'Delete manifest and 2 tags' });
    await expect(confirm).toBeDisabled();
    await dialog.getByRole('textbox', { name: 'Type m1 to confirm' }).fill('m2');
    await expect(confirm).toBeDisabled();
    await dialog.getByRole('textbox', { name: 'Type m1 to confirm' }).fill('m1');
    await screenshot(page, 'delete-manifest-dialog');
    await confirm.click();
    const done = page.getByRole('dialog', { name: 'Manifest deleted' });
    await expect(done.getByTestId('delete-result')).toContainText('m1');
    await done.getByRole('button', { name: 'Close' }).click();
    await expect(page.getByTestId('tag-row')).toHaveCount(1);

    expect(await registryTags(stack.registryUrl, 'shop/delete-manifest')).toEqual(['m3']);
    expect(await registryDigest(stack.registryUrl, 'shop/delete-manifest', stack.digests.manifest!)).toBeNull();
    expect(await registryDigest(stack.registryUrl, 'shop/delete-manifest', 'm3')).toBe(stack.digests.dmOther);
  });

  test('bulk delete shows progress and a result per tag; unselected siblings survive', async ({ page, stack }) => {
    await page.goto('/s/registry/r/shop/bulk/-/tags');
    await expect(page.locator('[data-tag="b1"] code[title^="sha256:"]')).toBeVisible();
    await page.getByRole('checkbox', { name: 'Select tag b1' }).click();
    await page.getByRole('checkbox', { name: 'Select tag b3' }).click({ modifiers: ['Shift'] });
    await expect(page.getByTestId('selection-bar')).toContainText('3 tags selected');
    await expect(page).toHaveURL(/sel=b1%2Cb2%2Cb3/);
    await page.getByRole('button', { name: 'Delete selected tags' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete 3 tags?' });
    await expect(dialog).toContainText('b1: b4 keeps the manifest.');
    await dialog.getByRole('button', { name: 'Delete 3 tags' }).click();
    const running = page.getByRole('dialog', { name: 'Deleting 3 tags' });
    await expect(running.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '3');
    for (const tag of ['b1', 'b2', 'b3']) {
      await expect(running.locator(`[data-tag="${tag}"]`)).toHaveAttribute('data-status', 'ok');
    }
    await expect(running.getByTestId('gc-note')).toBeVisible();
    await screenshot(page, 'bulk-delete');
    await running.getByRole('button', { name: 'Close' }).click();
    await expect(page.getByTestId('tag-row')).toHaveCount(1);
    await expect(page.getByTestId('selection-bar')).toHaveCount(0);

    expect(await registryTags(stack.registryUrl, 'shop/bulk')).toEqual(['b4']);
    expect(await registryDigest(stack.registryUrl, 'shop/bulk', 'b4')).toBe(stack.digests.bulkA);
  });

  test('a read-only source offers no deletion and says why', async ({ page, request }) => {
    await page.goto('/s/readonly/r/shop/web/-/tags');
    await expect(page.locator('[data-tag="latest"] code[title^="sha256:"]')).toBeVisible();
    await expect(page.getByRole('button', { name: /^Delete/ })).toHaveCount(0);
    await expect(page.getByRole('link', { name: 'Cleanup' })).toHaveCount(0);
    await page.getByRole('checkbox', { name: 'Select tag latest' }).click();
    await expect(page.getByTestId('selection-bar')).toContainText('Deleting is not available: read-only source');
    await expect(page.getByRole('button', { name: 'Delete selected tags' })).toHaveCount(0);

    // The server refuses too.
    const response = await request.delete('/api/sources/readonly/repositories/shop/web/-/tags/latest');
    expect(response.status()).toBeGreaterThanOrEqual(400);
    await page.goto('/s/registry/r/shop/web/-/tags');
    await expect(page.getByRole('link', { name: 'Cleanup' })).toBeVisible();
  });
});
