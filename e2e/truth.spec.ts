/**
 * Numbers that are true, and layouts that keep every control on screen (issue 11, items 7–14), in the browser
 * against the e2e stack: the `registry` source (seed.ts: twice/app, wide/app, long/app, dates/app, empty/app),
 * the demo layout and `nodel`, a registry with deletion disabled that the configuration lets delete.
 */
import type { Locator, Page } from '@playwright/test';
import { MAX_REFERRERS_DEPTH, DEFAULT_REFERRERS_DEPTH } from '@/lib/api/referrers-depth';
import type { TagsResponse } from '@/lib/api/types';
import { pages } from '@/lib/routes';
import { offlineRegistry } from './support/registry';
import { LONG_TAG } from './support/seed';
import { expect, hydrated, test } from './support/test';

/** Fails unless the element lies entirely inside the viewport horizontally. */
async function expectOnScreen(page: Page, locator: Locator, what: string): Promise<void> {
  const box = await locator.boundingBox();
  const width = page.viewportSize()!.width;
  expect(box, `${what} is rendered`).not.toBeNull();
  expect(box!.x, `${what} starts on screen (x = ${box!.x})`).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width, `${what} ends on screen`).toBeLessThanOrEqual(width);
}

test.describe('numbers that are true', () => {
  test('a signature in the fallback index and tagged .sig counts once', async ({ page, request }) => {
    const api = await request.get('/api/sources/registry/repositories/twice/app/-/tags');
    const v1 = ((await api.json()) as TagsResponse).tags.find((t) => t.name === 'v1')!;
    expect(v1.attached).toEqual({ signature: 1 });

    await page.goto('/s/registry/r/twice/app/-/tags');
    await expect(page.locator('[data-tag="v1"]').getByTestId('attached-markers')).toHaveAttribute('title', 'Attached: 1 signature');
  });

  test("an index's attestation entries are labelled as such and open the index's manifests", async ({ page, request }) => {
    await page.goto('/s/demo/r/platform/web/-/tags');
    const row = page.locator('[data-tag="1.6.0"]');
    const entries = row.getByTestId('index-attestation-markers');
    await expect(entries).toHaveAttribute('title', 'In the index: 3 attestations');
    // The referrer marker (if any) no longer counts them.
    const referrers = row.getByTestId('attached-markers');
    if ((await referrers.count()) > 0) await expect(referrers).not.toHaveAttribute('title', /attestations/);
    const api = await request.get('/api/sources/demo/repositories/platform/web/-/tags');
    const digest = ((await api.json()) as TagsResponse).tags.find((t) => t.name === '1.6.0')!.digest!;

    await entries.click();
    await expect(page).toHaveURL(new RegExp(`/-/manifests/${digest}#children-${digest}$`));
    await expect(page.getByTestId('children-table').getByText('attestation', { exact: true })).toHaveCount(3);
  });

  test('the referrer page offers the depths the API accepts, with the same default', async ({ page, request }) => {
    const api = await request.get('/api/sources/demo/repositories/platform/web/-/tags');
    const digest = ((await api.json()) as TagsResponse).tags.find((t) => t.name === '1.6.0')!.digest!;
    await page.goto(pages.referrers('demo', 'platform/web', digest));
    const select = page.getByTestId('depth-select');
    await expect(select).toHaveValue(String(DEFAULT_REFERRERS_DEPTH));
    const options = await select.locator('option').evaluateAll((all) => all.map((o) => Number((o as HTMLOptionElement).value)));
    expect(Math.max(...options)).toBe(MAX_REFERRERS_DEPTH);
    for (const depth of options) {
      const response = await request.get(`/api/sources/demo/repositories/platform/web/-/referrers/${digest}?depth=${depth}`);
      expect(response.status(), `depth ${depth}`).toBe(200);
    }
  });

  test('placeholder build dates show as unknown and are kept by age rules', async ({ page }) => {
    await page.goto('/s/registry/r/dates/app/-/tags');
    await expect(page.locator('[data-tag="real"] time')).toBeVisible();
    for (const tag of ['ko', 'nix']) await expect(page.locator(`[data-tag="${tag}"]`).getByTestId('created-placeholder')).toHaveText('unknown');
    await expect(page.getByTestId('tag-table')).not.toContainText('years ago');

    await page.goto('/s/registry/cleanup');
    const policy = { repositories: ['dates/*'], rules: [{ match: '.*', olderThanDays: 30 }], protect: [], now: '2026-03-01T00:00:00Z' };
    await page.getByTestId('policy-json').fill(JSON.stringify(policy));
    await page.getByTestId('preview-cleanup').click();
    await expect(page.getByTestId('plan-delete-count')).toHaveText('1');
    await expect(page.locator('[data-testid="plan-delete-row"][data-tag="dates/app:real"]')).toBeVisible();
    await page.getByRole('tab', { name: /^Kept/ }).click();
    for (const tag of ['ko', 'nix']) await expect(page.locator(`[data-testid="plan-keep-row"][data-tag="dates/app:${tag}"]`)).toHaveAttribute('data-reason', 'no-created');
    // Shared storage: other repositories of the registry may hold the same blobs, and the page says so.
    await expect(page.getByTestId('plan-reclaimable')).toContainText('≤');
    await expect(page.getByTestId('plan-reclaim-scope')).toContainText('upper bound');
    await expect(page.getByTestId('plan-reclaim-scope')).toContainText(/\d+ other repositories \(/);
    // The command offered for cron applies the policy.
    await expect(page.getByTestId('cron-command')).toContainText('--execute');
  });

  test('an empty repository says what can and cannot be found', async ({ page }) => {
    await page.goto('/s/registry/r/empty/app/-/tags');
    const text = page.getByTestId('no-tags-explanation');
    await expect(text).toContainText('cannot be listed here or in Cleanup');
    await expect(text).not.toContainText('can be found with Cleanup');
  });
});

test.describe('layout at 1024 px', () => {
  test.use({ viewport: { width: 1024, height: 768 } });

  test('a 14-platform image shows +11, whole', async ({ page }) => {
    await page.goto('/s/registry/r/wide/app/-/tags');
    const more = page.locator('[data-tag="v1"]').getByTestId('platforms-more');
    await expect(more).toHaveText('+11');
    await expectOnScreen(page, more, '+11');
    // Not clipped by an ancestor: the browser finds the count itself at both ends of its box.
    const visible = await more.evaluate((el) => {
      const box = el.getBoundingClientRect();
      const at = (x: number) => document.elementFromPoint(x, box.top + box.height / 2);
      return [at(box.left + 1), at(box.right - 1)].every((hit) => hit !== null && el.contains(hit));
    });
    expect(visible).toBe(true);
    await page.locator('[data-tag="v1"]').screenshot({ path: '/tmp/porthole-wide-row-1024.png' });
  });

  test('a 128-character tag keeps the row and the delete dialog on screen', async ({ page }) => {
    expect(LONG_TAG).toHaveLength(128);
    await page.goto('/s/registry/r/long/app/-/tags');
    const row = page.locator(`[data-tag="${LONG_TAG}"]`);
    await expect(row.locator('code[title^="sha256:"]')).toBeVisible();
    const deleteButton = row.getByRole('button', { name: `Delete tag ${LONG_TAG}` });
    await expectOnScreen(page, deleteButton, 'the row delete button');
    await deleteButton.click();
    const dialog = page.getByRole('dialog', { name: `Delete tag ${LONG_TAG}?` });
    await expect(dialog).toBeVisible();
    await page.screenshot({ path: '/tmp/porthole-long-tag-dialog-1024.png' });
    await expectOnScreen(page, dialog, 'the dialog');
    for (const name of ['Cancel', `Delete tag ${LONG_TAG}`]) await expectOnScreen(page, dialog.getByRole('button', { name, exact: true }), name);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toHaveCount(0);
  });
});

test.describe('what the page claims', () => {
  test('the selection counts only tags that exist', async ({ page }) => {
    await page.goto('/s/registry/r/twice/app/-/tags?sel=v1%2Cgone-1%2Cgone-2');
    await expect(page.locator('[data-tag="v1"] code[title^="sha256:"]')).toBeVisible();
    const bar = page.getByTestId('selection-bar');
    await expect(bar).toContainText('1 tag selected');
    await expect(bar.getByTestId('selection-missing')).toContainText('gone-1, gone-2');
    await bar.getByRole('button', { name: 'Delete selected tags' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete 1 tag?' });
    await expect(dialog).toBeVisible();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  test('no tag count next to a listing error', async ({ page, stack }) => {
    await offlineRegistry(stack, 'halt');
    try {
      await page.goto('/s/offline/r/lonely/app/-/tags');
      await expect(page.getByRole('alert').filter({ hasText: 'Could not list the tags of lonely/app' })).toBeVisible();
      await expect(page.getByTestId('tag-count')).toHaveCount(0);
    } finally {
      await offlineRegistry(stack, 'start');
    }
  });

  test('/open with a registry host alone opens its catalog; an unknown host is named', async ({ page, request, stack }) => {
    const host = new URL(stack.registryUrl).host;
    await page.goto(`/open?ref=${encodeURIComponent(host)}`);
    await expect(page).toHaveURL(/\/s\/registry$/);
    const unknown = await request.get('/open?ref=127.0.0.1:1', { maxRedirects: 0 });
    expect(unknown.status()).toBe(404);
    expect(((await unknown.json()) as { errors: { message: string }[] }).errors[0]!.message).toBe(
      'no configured source serves the registry host "127.0.0.1:1"',
    );
  });

  test('a registry with deletion disabled is shown as such and offers no deletion or cleanup', async ({ page, request }) => {
    await page.goto('/s/nodel/r/kept/app/-/tags');
    await hydrated(page);
    await expect(page.locator('[data-tag="v1"] code[title^="sha256:"]')).toBeVisible();
    await expect(page.getByTestId('read-only-notice')).toContainText('Deletion not possible: the registry refuses deletion');
    await expect(page.getByText('Deletion enabled')).toHaveCount(0);
    await expect(page.getByRole('button', { name: /^Delete/ })).toHaveCount(0);

    await page.goto('/s/nodel/cleanup');
    await expect(page.getByTestId('cleanup-read-only')).toContainText('refuses deletion');
    await expect(page.getByTestId('preview-cleanup')).toBeDisabled();
    const plan = await request.post('/api/sources/nodel/cleanup', { data: { repositories: ['kept/*'], rules: [{ match: '.*', keepNewest: 0 }] } });
    expect(plan.status()).toBe(403);
  });
});
