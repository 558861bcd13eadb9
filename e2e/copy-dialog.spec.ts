/**
 * "Copy to…" against the real `POST /api/copy` and real registries: from the demo layout and from the `registry`
 * source to the writable `copies` source (its own docker-registry, Basic auth). Every copy is checked at the
 * destination through Porthole's API and in the destination registry itself.
 */
import type { APIRequestContext, Locator, Page } from '@playwright/test';
import { registryDigest, retagInRegistry } from './support/registry';
import { expect, hydrated, test } from './support/test';

const DEMO_INDEX = '/s/demo/r/platform/web/-/manifests/1.6.0';

/** The digest Porthole's API resolves `source/repo:reference` to. */
async function apiDigest(request: APIRequestContext, source: string, repo: string, reference: string): Promise<string> {
  const response = await request.get(`/api/sources/${source}/repositories/${repo}/-/manifests/${reference}`);
  expect(response.status(), `${source}/${repo}:${reference}`).toBe(200);
  return ((await response.json()) as { descriptor: { digest: string } }).descriptor.digest;
}

/** Selects `tags` in the tag table on screen and copies them to `copies/<repo>`; returns the dialog. */
async function copySelected(page: Page, tags: readonly string[], repo: string): Promise<Locator> {
  for (const tag of tags) await page.getByRole('checkbox', { name: `Select tag ${tag}` }).click();
  await page.getByTestId('selection-bar').getByRole('button', { name: 'Copy to…' }).click();
  const dialog = page.getByTestId('copy-dialog');
  await dialog.getByLabel('Destination source').selectOption('copies');
  await dialog.getByLabel('Repository').fill(repo);
  await page.getByRole('button', { name: 'Copy', exact: true }).click();
  return dialog;
}

/** The destinations (`to`) of the `POST /api/copy` requests of `page` that were aborted, as they happen. */
function abortedCopies(page: Page): string[] {
  const aborted: string[] = [];
  page.on('requestfailed', (request) => {
    if (request.url().endsWith('/api/copy') && request.failure()?.errorText === 'net::ERR_ABORTED') {
      aborted.push((request.postDataJSON() as { to: string }).to);
    }
  });
  return aborted;
}

test.describe('"Copy to…" on a manifest', () => {
  test('defaults to the same names, copies through the real endpoint, and the destination serves the same digest', async ({ page, request, stack }) => {
    const digest = await apiDigest(request, 'demo', 'platform/web', '1.6.0');
    await page.goto(DEMO_INDEX);
    await hydrated(page);
    await page.getByRole('button', { name: 'Copy to…' }).click();
    const dialog = page.getByTestId('copy-dialog');
    await expect(dialog.getByLabel('Destination source')).toHaveValue('registry');
    await expect(dialog.getByLabel('Repository')).toHaveValue('platform/web');
    await expect(dialog.getByLabel(/^Tag/)).toHaveValue('1.6.0');
    await expect(dialog.getByRole('switch')).toHaveAttribute('aria-checked', 'true');

    await dialog.getByLabel('Destination source').selectOption('copies');
    await dialog.getByLabel('Repository').fill('Bad Name');
    await expect(page.getByRole('button', { name: 'Copy', exact: true })).toBeDisabled();
    await dialog.getByLabel('Repository').fill('promoted/web');
    await page.getByRole('button', { name: 'Copy', exact: true }).click();

    const result = dialog.getByTestId('copy-result');
    await expect(result).toContainText(/Copied \d+ manifests/, { timeout: 60_000 });
    await expect(dialog.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '1000');
    await expect(result.getByRole('link', { name: 'Open the copy in copies' })).toHaveAttribute('href', `/s/copies/r/promoted/web/-/manifests/${digest}`);
    await expect(result.getByRole('link', { name: 'Tags of copies/promoted/web' })).toHaveAttribute('href', '/s/copies/r/promoted/web/-/tags');

    expect(await apiDigest(request, 'copies', 'promoted/web', '1.6.0')).toBe(digest);
    expect(await registryDigest(stack.copies.url, 'promoted/web', '1.6.0', stack.copies.credentials)).toBe(digest);

    await result.getByRole('link', { name: 'Open the copy in copies' }).click();
    await expect(page).toHaveURL(`/s/copies/r/promoted/web/-/manifests/${digest}`);
  });
});

test.describe('"Copy to…" and "Compare" on selected tags', () => {
  test('copies each selected tag under its own name with one progress bar, and links every copy', async ({ page, request, stack }) => {
    await page.goto('/s/registry/r/copy/source/-/tags');
    await hydrated(page);
    await page.getByRole('checkbox', { name: 'Select tag c1' }).click();
    const bar = page.getByTestId('selection-bar');
    await expect(bar.getByRole('link', { name: 'Compare' })).toHaveCount(0);
    await page.getByRole('checkbox', { name: 'Select tag c2' }).click();
    await expect(bar).toContainText('2 tags selected');
    await bar.getByRole('button', { name: 'Copy to…' }).click();

    const dialog = page.getByTestId('copy-dialog');
    await expect(dialog).toContainText('Copies 2 tags of registry/copy/source (c1, c2), each under its own name');
    await expect(dialog.getByLabel(/^Tag/)).toHaveCount(0);
    await dialog.getByLabel('Destination source').selectOption('copies');
    await dialog.getByLabel('Repository').fill('mirror/source');
    await page.getByRole('button', { name: 'Copy', exact: true }).click();

    const result = dialog.getByTestId('copy-result');
    await expect(result.getByRole('link', { name: 'c2: open the copy in copies' })).toBeVisible({ timeout: 60_000 });
    await expect(result).toContainText('Copied 2 manifests');
    await expect(dialog.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '1000');
    await expect(result.getByRole('link', { name: 'c1: open the copy in copies' })).toHaveAttribute('href', `/s/copies/r/mirror/source/-/manifests/${stack.digests.copyC1}`);
    for (const [tag, digest] of [['c1', stack.digests.copyC1], ['c2', stack.digests.copyC2]] as const) {
      expect(await apiDigest(request, 'copies', 'mirror/source', tag)).toBe(digest);
      expect(await registryDigest(stack.copies.url, 'mirror/source', tag, stack.copies.credentials)).toBe(digest);
    }
    expect(await registryDigest(stack.copies.url, 'mirror/source', 'c3', stack.copies.credentials)).toBeNull();
  });

  test('stops at a tag that moved since the page showed it, keeping the copies made before it', async ({ page, request, stack }) => {
    await page.goto('/s/registry/r/copy/source/-/tags');
    await hydrated(page);
    // The row shows c3's digest: the copy is pinned to it.
    await expect(page.locator('[data-tag="c3"] code[title^="sha256:"]')).toBeVisible();
    await page.getByRole('checkbox', { name: 'Select tag c1' }).click();
    await page.getByRole('checkbox', { name: 'Select tag c3' }).click();
    await retagInRegistry(stack.registryUrl, 'copy/source', stack.digests.copyMoved!, 'c3');

    await page.getByTestId('selection-bar').getByRole('button', { name: 'Copy to…' }).click();
    const dialog = page.getByTestId('copy-dialog');
    await dialog.getByLabel('Destination source').selectOption('copies');
    await dialog.getByLabel('Repository').fill('moved/source');
    await page.getByRole('button', { name: 'Copy', exact: true }).click();

    await expect(dialog.getByRole('alert')).toContainText('c3: MANIFEST_UNKNOWN', { timeout: 60_000 });
    await expect(dialog.getByRole('alert')).toContainText('has moved');
    await expect(dialog.getByTestId('copy-result')).toContainText('1 of 2 copies done');
    expect(await apiDigest(request, 'copies', 'moved/source', 'c1')).toBe(stack.digests.copyC1);
    expect(await registryDigest(stack.copies.url, 'moved/source', 'c3', stack.copies.credentials)).toBeNull();
  });

  test('Cancel while copying aborts the copy in flight, stops the batch and says which copies had finished', async ({ page, request, stack }) => {
    // The second copy's request is held in the browser, so the batch is surely mid-way when Cancel is clicked.
    let copies = 0;
    const aborted = abortedCopies(page);
    await page.route('**/api/copy', async (route) => {
      if (++copies === 1) await route.continue();
    });
    try {
      await page.goto('/s/registry/r/copy/source/-/tags');
      await hydrated(page);
      const dialog = await copySelected(page, ['c1', 'c2'], 'cancelled/source');

      await expect(dialog).toContainText('c2 (2 of 2)', { timeout: 60_000 });
      await page.getByRole('button', { name: 'Cancel' }).click();
      const cancelled = dialog.getByTestId('copy-cancelled');
      await expect(cancelled).toContainText('Cancelled: 1 of 2 copies had finished.');
      await expect(cancelled).toContainText('The copy of c2 was stopped part-way');
      await expect(dialog.getByTestId('copy-result').getByRole('link', { name: 'c1: open the copy in copies' })).toBeVisible();
      await expect.poll(() => aborted).toContain('copies/cancelled/source:c2');
      expect(copies).toBe(2);
      await expect(page.getByRole('button', { name: 'Close' })).toBeEnabled();
      expect(await apiDigest(request, 'copies', 'cancelled/source', 'c1')).toBe(stack.digests.copyC1);
      expect(await registryDigest(stack.copies.url, 'cancelled/source', 'c2', stack.copies.credentials)).toBeNull();
    } finally {
      await page.unrouteAll({ behavior: 'ignoreErrors' });
    }
  });

  test('leaving the page while copying aborts the copy in flight', async ({ page }) => {
    const aborted = abortedCopies(page);
    let held = false;
    await page.route('**/api/copy', () => {
      held = true; // never answered: only the page can end this request
    });
    try {
      // The tags page reached from the catalog through a link: going back is then a client-side navigation.
      await page.goto('/s/registry?q=copy%2Fsource');
      await hydrated(page);
      await page.getByRole('link', { name: 'copy/source', exact: true }).click();
      await expect(page).toHaveURL(/\/s\/registry\/r\/copy\/source\/-\/tags$/);
      await copySelected(page, ['c1'], 'left/source');
      await expect.poll(() => held, { timeout: 60_000 }).toBe(true);
      // Back to the catalog: a client-side navigation, so only the dialog's own clean-up can stop the request.
      await page.goBack();
      await expect(page).toHaveURL(/\/s\/registry\?q=copy%2Fsource$/);
      await expect.poll(() => aborted, { timeout: 30_000 }).toEqual(['copies/left/source:c1']);
    } finally {
      await page.unrouteAll({ behavior: 'ignoreErrors' });
    }
  });

  test('"Compare" appears with exactly two tags and opens the compare page, the older first', async ({ page }) => {
    await page.goto('/s/registry/r/copy/source/-/tags');
    await hydrated(page);
    await expect(page.locator('[data-tag="c2"] code[title^="sha256:"]')).toBeVisible();
    await page.getByRole('checkbox', { name: 'Select tag c2' }).click();
    await page.getByRole('checkbox', { name: 'Select tag c1' }).click();
    const compare = page.getByTestId('selection-bar').getByRole('link', { name: 'Compare' });
    await expect(compare).toHaveAttribute('href', '/s/registry/r/copy/source/-/compare?from=c1&to=c2');
    await page.getByRole('checkbox', { name: 'Select tag c3' }).click();
    await expect(compare).toHaveCount(0);
  });
});
