/**
 * Deleting a manifest from a deep link (a dashboard, `/open?ref=…`) into a repository Porthole has never listed:
 * the dialog must name every tag that goes — not only those the page happened to know — ask for the name typed,
 * show what went, then move to the tag list. Checked against the registry itself.
 */
import { registryDigest, registryTags } from './support/registry';
import type { Page } from '@playwright/test';
import type { ManifestResponse } from '@/lib/api/types';
import { expect, hydrated, screenshot, test } from './support/test';

/**
 * Lets the page's first manifest request through and holds the later ones (the page asks again every 2 s while the
 * server checks the tags) until the returned function is called: the "not known yet" state stays on screen long
 * enough to be seen, however slow the machine.
 */
function holdReloads(page: Page, repo: string): () => Promise<void> {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  let first = true;
  const pattern = `**/api/sources/registry/repositories/${repo}/-/manifests/**`;
  void page.route(pattern, async (route) => {
    if (!first) await gate;
    first = false;
    await route.continue();
  });
  return async () => {
    open();
    await page.unroute(pattern);
  };
}

test.describe('deleting what was shown', () => {
  test('opened by tag: the page says its tag list is not known yet, the dialog names both tags and asks for typing', async ({ page, stack }) => {
    const release = holdReloads(page, 'cold/tag-link');
    await page.goto('/s/registry/r/cold/tag-link/-/manifests/b');
    await expect(page.getByTestId('manifest-digest')).toHaveText(stack.digests.coldTag!);
    await expect(page.getByTestId('tags-not-known')).toHaveText('Other tags may point here too: this repository\'s tags are being checked');
    await release();
    await hydrated(page);

    await page.getByRole('button', { name: 'Delete manifest' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete this manifest?' });
    await expect(dialog.getByTestId('delete-consequence')).toContainText('2 tags are removed: a and b.');
    await expect(dialog.getByTestId('delete-plan-tags').locator('[data-tag]')).toHaveCount(2);
    const confirm = dialog.getByRole('button', { name: 'Delete manifest and 2 tags' });
    await expect(confirm).toBeDisabled();
    await dialog.getByRole('textbox', { name: 'Type b to confirm' }).fill('b');
    await screenshot(page, 'delete-plan-dialog');
    await confirm.click();

    const done = page.getByRole('dialog', { name: 'Manifest deleted' });
    await expect(done.getByTestId('delete-result')).toContainText('and 2 tags a and b.');
    // The page under the result is still the manifest, not an error box.
    await expect(page.getByTestId('manifest-view')).toBeVisible();
    await expect(page.getByText(/Could not load/)).toHaveCount(0);
    await screenshot(page, 'delete-plan-result');
    await done.getByRole('button', { name: 'Go to the tag list' }).click();
    await expect(page).toHaveURL(/\/s\/registry\/r\/cold\/tag-link\/-\/tags$/);
    await expect(page.getByTestId('tag-row')).toHaveCount(1);
    await expect(page.locator('[data-tag="c"]')).toBeVisible();

    expect(await registryTags(stack.registryUrl, 'cold/tag-link')).toEqual(['c']);
    expect(await registryDigest(stack.registryUrl, 'cold/tag-link', stack.digests.coldTag!)).toBeNull();
  });

  test('opened by digest: the page learns both tags, the dialog names them and asks for typing', async ({ page, stack }) => {
    const digest = stack.digests.coldDigest!;
    const release = holdReloads(page, 'cold/digest-link');
    await page.goto(`/s/registry/r/cold/digest-link/-/manifests/${digest}`);
    await expect(page.getByTestId('tags-not-known')).toHaveText('Not known yet: this repository\'s tags are being checked');
    await release();
    await hydrated(page);
    // The server resolves the repository's tags in the background; the page asks again until it knows.
    const known = page.getByRole('list', { name: 'Tags on this digest' });
    await expect(known.getByRole('listitem')).toHaveText(['a', 'b'], { timeout: 20_000 });
    await expect(page.getByTestId('tags-not-known')).toHaveCount(0);

    await page.getByRole('button', { name: 'Delete manifest' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete this manifest?' });
    await expect(dialog.getByTestId('delete-consequence')).toContainText('2 tags are removed: a and b.');
    const confirm = dialog.getByRole('button', { name: 'Delete manifest and 2 tags' });
    await expect(confirm).toBeDisabled();
    await dialog.getByRole('textbox', { name: 'Type a to confirm' }).fill('a');
    await confirm.click();
    const done = page.getByRole('dialog', { name: 'Manifest deleted' });
    await expect(done.getByTestId('delete-result')).toContainText('and 2 tags a and b.');
    await done.getByRole('button', { name: 'Go to the tag list' }).click();
    await expect(page).toHaveURL(/\/s\/registry\/r\/cold\/digest-link\/-\/tags$/);
    await expect(page.getByText('This repository has no tags')).toBeVisible();
    expect(await registryTags(stack.registryUrl, 'cold/digest-link')).toEqual([]);
  });

  test('deleting a platform manifest names the tagged index it breaks and asks for typing', async ({ page, request }) => {
    const index = (await (await request.get('/api/sources/registry/repositories/shop/web/-/manifests/v1')).json()) as ManifestResponse;
    const child = index.children![0]!.descriptor.digest;
    await page.goto(`/s/registry/r/shop/web/-/manifests/${child}`);
    await hydrated(page);
    // Once the repository's tags are known, the page says that none points at this platform manifest.
    await expect(page.getByText('No tag points at this digest')).toBeVisible({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Delete manifest' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete this manifest?' });
    const warning = dialog.getByTestId('delete-plan-indexes');
    await expect(warning).toContainText('An index lists this manifest and breaks');
    await expect(warning).toContainText('(tags latest, v1, v1.0 and v1.0.0)');
    await expect(dialog.getByTestId('delete-consequence')).toContainText('No tag points at it');
    await expect(dialog.getByRole('textbox', { name: `Type ${child.slice(7, 19)} to confirm` })).toBeVisible();
    await expect(dialog.getByRole('button', { name: 'Delete manifest' })).toBeDisabled();
    await screenshot(page, 'delete-plan-index-warning');
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
  });

  test('a referrers fallback tag says what it is and what the image loses before it is deleted', async ({ page, stack }) => {
    const hex = stack.digests.webV2!.slice('sha256:'.length);
    await page.goto('/s/registry/r/shop/web/-/tags?show=all');
    await expect(page.locator(`[data-tag="sha256-${hex}"]`)).toBeVisible();
    await page.getByRole('button', { name: `Delete tag sha256-${hex}` }).click();
    const dialog = page.getByRole('dialog', { name: `Delete tag sha256-${hex}?` });
    const note = dialog.getByTestId('delete-artifact-tag');
    await expect(note).toContainText(`is the referrers index of ${stack.digests.webV2!.slice(0, 19)}…`);
    await expect(note).toContainText('shows none of its 1 attached artifact: it stays in the repository');
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
    expect(await registryDigest(stack.registryUrl, 'shop/web', `sha256-${hex}`)).not.toBeNull();
  });
});
