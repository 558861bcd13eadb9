import { image } from '@/lib/registry/testing/build';
import { offlineRegistry } from './support/registry';
import { pushWithTags } from './support/seed';
import type { Page } from '@playwright/test';
import { expect, hydrated, screenshot, test } from './support/test';

test.describe('browsing', () => {
  test('the home page lists the sources and server-renders the demo catalog', async ({ page, request, browser, baseURL }) => {
    await page.goto('/');
    await expect(page.getByRole('heading', { name: 'Sources' })).toBeVisible();
    await expect(page.getByTestId('source-card')).toHaveCount(7);
    await screenshot(page, 'sources');

    // GET /s/demo answers with the repositories in the HTML itself.
    const html = await (await request.get('/s/demo')).text();
    expect(html).toContain('data-repo="platform/web"');
    expect(html).toContain('data-repo="tools/cli"');
    // With the age of the list the server keeps.
    expect(html).toContain('data-testid="catalog-age"');

    // And without JavaScript the catalog is still there.
    const context = await browser.newContext({ javaScriptEnabled: false, baseURL });
    const bare = await context.newPage();
    await bare.goto('/s/demo');
    await expect(bare.getByTestId('repository-row')).toHaveCount(8);
    await context.close();
  });

  test('catalog → repository → tag → manifest tree → referrer graph', async ({ page }) => {
    await page.goto('/');
    await page.getByTestId('source-card').filter({ hasText: 'demo' }).click();
    await expect(page).toHaveURL(/\/s\/demo$/);
    await expect(page.getByTestId('catalog-count')).toHaveText('8 repositories in 7 namespaces');
    await screenshot(page, 'catalog');

    await page.getByRole('link', { name: 'platform/web' }).click();
    await expect(page).toHaveURL(/\/s\/demo\/r\/platform\/web\/-\/tags$/);
    await expect(page.getByRole('heading', { name: 'platform/web' })).toBeVisible();
    // Details fill in: the digest column shows short digests once the detailed list is there.
    const row = page.locator('[data-testid="tag-row"][data-tag="1.6.0"]');
    await expect(row.locator('code[title^="sha256:"]')).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Breadcrumb' })).toContainText('demo');
    await screenshot(page, 'tags');

    await row.getByRole('link', { name: '1.6.0' }).click();
    await expect(page).toHaveURL(/\/-\/manifests\/1\.6\.0$/);
    await expect(page.getByTestId('manifest-tree')).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: '1.6.0' })).toBeVisible();
    await screenshot(page, 'manifest');

    await page.getByRole('link', { name: 'Referrer graph' }).first().click();
    await expect(page).toHaveURL(/\/-\/referrers\/sha256:[0-9a-f]{64}/);
    await expect(page.getByTestId('referrer-graph-view')).toBeVisible();
    await expect(page.getByTestId('graph-node').first()).toBeVisible();
    await screenshot(page, 'referrers');

    // Back and forward walk the views again.
    await page.goBack();
    await expect(page.getByTestId('manifest-tree')).toBeVisible();
    await page.goBack();
    await expect(page.getByTestId('tag-table')).toBeVisible();
    await page.goForward();
    await expect(page).toHaveURL(/\/-\/manifests\/1\.6\.0$/);
  });

  test('the catalog filter runs over every repository, lives in the URL and drives the keyboard', async ({ page }) => {
    // The page's clock is ours: while it is paused no timer runs, so "not written per keystroke" does not
    // depend on how fast the keys arrive on a loaded machine.
    await page.clock.install();
    await page.goto('/s/demo');
    await hydrated(page);
    await countUrlWrites(page);
    await page.clock.pauseAt(await page.evaluate(() => Date.now() + 1_000));
    await page.keyboard.press('/');
    const filter = page.getByRole('searchbox', { name: 'Filter repositories' });
    await expect(filter).toBeFocused();
    await page.keyboard.type('platform');
    await expect(filter).toHaveValue('platform');
    await expect(page.getByTestId('catalog-count')).toHaveText('3 of 8 repositories in 2 namespaces');
    await page.keyboard.type('/');
    await expect(page.getByTestId('catalog-count')).toHaveText('2 of 8 repositories in 1 namespace');
    // Nine keystrokes, no URL write yet: it waits for typing to pause (300 ms) ...
    await page.clock.runFor(299);
    expect(await urlWrites(page)).toEqual([]);
    await expect(page).toHaveURL(/\/s\/demo$/);
    // ... and then writes once, the whole text.
    await page.clock.runFor(1);
    await expect(page).toHaveURL(/\?q=platform%2F$/);
    expect(await urlWrites(page)).toEqual(['/s/demo?q=platform%2F']);
    await expect(page.getByTestId('repository-row')).toHaveCount(2);
    await page.clock.resume();

    await page.reload();
    await hydrated(page);
    await expect(filter).toHaveValue('platform/');
    await expect(page.getByTestId('repository-row')).toHaveCount(2);

    // A shortcut in the box (Ctrl+A here; Ctrl+R, Alt+← and Ctrl+L alike) writes the pending filter at once.
    await countUrlWrites(page);
    await page.clock.pauseAt(await page.evaluate(() => Date.now() + 1_000));
    await filter.focus();
    await page.keyboard.press('End');
    await page.keyboard.type('z');
    await expect(page.getByTestId('repository-row')).toHaveCount(0);
    expect(await urlWrites(page)).toEqual([]);
    await page.keyboard.press('Control+a');
    expect(await urlWrites(page)).toEqual(['/s/demo?q=platform%2Fz']);
    await page.keyboard.press('Backspace');
    await page.keyboard.type('platform/');
    await page.clock.resume();
    await expect(page).toHaveURL(/\?q=platform%2F$/);

    // Enter on a row writes the pending filter at once, before it navigates: back shows it.
    await countUrlWrites(page);
    await page.clock.pauseAt(await page.evaluate(() => Date.now() + 1_000));
    await filter.focus();
    await page.keyboard.press('End');
    await page.keyboard.type('w');
    await expect(page.getByTestId('repository-row')).toHaveCount(1);
    expect(await urlWrites(page)).toEqual([]);
    await page.keyboard.press('ArrowDown');
    await expect(page.getByRole('link', { name: 'platform/web' })).toBeFocused();
    await page.keyboard.press('Enter');
    await page.clock.resume();
    await expect(page).toHaveURL(/\/s\/demo\/r\/platform\/web\/-\/tags$/);

    await page.goBack();
    await expect(page).toHaveURL(/\/s\/demo\?q=platform%2Fw$/);
    await expect(filter).toHaveValue('platform/w');
    await expect(page.getByTestId('repository-row')).toHaveCount(1);

    // A click writes the pending filter at once, too.
    await countUrlWrites(page);
    await page.clock.pauseAt(await page.evaluate(() => Date.now() + 1_000));
    await filter.focus();
    await page.keyboard.press('End');
    await page.keyboard.press('Backspace');
    await expect(page.getByTestId('repository-row')).toHaveCount(2);
    await page.getByRole('link', { name: 'platform/api' }).click();
    expect(await urlWrites(page)).toEqual(['/s/demo?q=platform%2F']);
    await page.clock.resume();
    await expect(page).toHaveURL(/\/s\/demo\/r\/platform\/api\/-\/tags$/);
    await page.goBack();
    await expect(page).toHaveURL(/\/s\/demo\?q=platform%2F$/);
    await expect(filter).toHaveValue('platform/');

    await filter.fill('nothing-like-this');
    await expect(page.getByText('No repository matches “nothing-like-this”')).toBeVisible();
  });

  test('back and forward drop a catalog filter write still waiting for typing to pause', async ({ page }) => {
    await page.clock.install();
    await page.goto('/s/demo?q=platform');
    await hydrated(page);
    await countUrlWrites(page);
    await page.clock.pauseAt(await page.evaluate(() => Date.now() + 1_000));
    const filter = page.getByRole('searchbox', { name: 'Filter repositories' });
    await filter.focus();
    await page.keyboard.press('End');
    await page.keyboard.type('/w');
    await expect(page.getByTestId('repository-row')).toHaveCount(1);
    // What back/forward does to the page that stays: a popstate with this entry's URL, which wins.
    await page.evaluate(() => window.dispatchEvent(new PopStateEvent('popstate', { state: null })));
    await expect(filter).toHaveValue('platform');
    await page.clock.runFor(1_000);
    expect(await urlWrites(page)).toEqual([]);
    await expect(page).toHaveURL(/\/s\/demo\?q=platform$/);
    await expect(page.getByTestId('repository-row')).toHaveCount(3);
  });

  test('tags: sort, filter across all tags, fold artifact tags, manifest tracks select shared tags', async ({ page }) => {
    await page.goto('/s/registry/r/shop/web/-/tags');
    const names = page.getByTestId('tag-row');
    await expect(names).toHaveCount(6);
    await expect(page.locator('[data-tag="v2.0.0"] code[title^="sha256:"]')).toBeVisible();
    // The referrers fallback tag of v2.0.0 is folded under it.
    await expect(page.locator('[data-tag^="sha256-"]')).toHaveCount(0);
    await expect(page.locator('[data-tag="v2.0.0"]').getByTestId('attached-markers')).toHaveAttribute('title', 'Attached: 1 signature');

    await page.getByRole('combobox', { name: 'Sort' }).selectOption('-created');
    await expect(page).toHaveURL(/sort=-created/);
    await expect(names.first()).toHaveAttribute('data-tag', 'v2.0.0');
    await expect(names.last()).toHaveAttribute('data-tag', 'v0.9.0');
    await page.getByRole('combobox', { name: 'Sort' }).selectOption('-version');
    await expect.poll(async () => names.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-tag')))).toEqual([
      'v2.0.0',
      // Equal versions (v1 = v1.0 = v1.0.0) keep name order.
      'v1',
      'v1.0',
      'v1.0.0',
      'v0.9.0',
      'latest',
    ]);

    await page.getByRole('switch', { name: /Show signature, SBOM and referrer tags/ }).click();
    await expect(page).toHaveURL(/show=all/);
    await expect(page.locator('[data-tag^="sha256-"]')).toHaveCount(1);

    // Quay-style manifest tracks: the dot of `latest` selects every tag on its digest.
    await page.locator('[data-tag="latest"]').getByTestId('manifest-track').click();
    await expect(page.getByTestId('selection-bar')).toContainText('4 tags selected');
    await expect(page).toHaveURL(/sel=latest%2Cv1%2Cv1\.0%2Cv1\.0\.0/);
    await screenshot(page, 'tags-selected');

    await page.getByRole('searchbox', { name: 'Filter tags' }).fill('v1.0');
    await expect(names).toHaveCount(2);
    await expect(page.getByTestId('tag-count')).toHaveText('2 of 7 tags');
  });

  test('a 2,000-tag repository: filter and sort over the full list, only a window of rows in the DOM', async ({ page, stack }) => {
    await page.goto('/s/registry/r/stress/many');
    await hydrated(page);
    await expect(page.getByTestId('tag-count')).toHaveText(`${stack.manyTags} tags`);
    const rendered = await page.getByTestId('tag-row').count();
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(80);

    await page.getByRole('combobox', { name: 'Sort' }).selectOption('-name');
    await expect(page.getByTestId('tag-row').first()).toHaveAttribute('data-tag', 'build-2000');
    await page.getByTestId('tag-row').first().click({ position: { x: 400, y: 5 } });
    await page.keyboard.press('End');
    await expect(page.locator('[data-tag="build-0001"]')).toBeFocused();

    await page.getByRole('searchbox', { name: 'Filter tags' }).fill('build-19');
    await expect(page.getByTestId('tag-count')).toHaveText(`100 of ${stack.manyTags} tags`);
    // Filtering keeps the sort (the list is sorted once, then only filtered), and the rows act on the filtered
    // list: the first row's checkbox selects that row's tag, not the tag first before the filter.
    await expect(page.getByTestId('tag-row').first()).toHaveAttribute('data-tag', 'build-1999');
    await page.getByRole('checkbox', { name: 'Select tag build-1999', exact: true }).click();
    await expect(page.getByTestId('selection-bar')).toContainText('1 tag selected');
    await expect(page).toHaveURL(/sel=build-1999$/);
  });

  test('a 2,000-tag page: tag names are in the server HTML, and it loads no other view\'s code', async ({ page, browser, baseURL, stack }) => {
    // Without JavaScript the HTML alone shows the rows and the count: names from the one tag-list request,
    // rendered before any details (no digest yet: the page does not wait for them).
    const context = await browser.newContext({ javaScriptEnabled: false, baseURL });
    const bare = await context.newPage();
    await bare.goto('/s/registry/r/stress/many');
    await expect(bare.getByTestId('tag-count')).toHaveText(`${stack.manyTags} tags`);
    expect(await bare.getByTestId('tag-row').count()).toBeGreaterThan(5);
    await expect(bare.getByTestId('tag-row').first()).toHaveAttribute('data-tag', /^build-\d{4}$/);
    await expect(bare.locator('[data-testid="tag-row"] code[title^="sha256:"]')).toHaveCount(0);
    await context.close();

    // The scripts of the tag table, without the referrer graph's layout engine (loaded by its own page).
    const scripts: Promise<string>[] = [];
    page.on('response', (response) => {
      if (new URL(response.url()).pathname.endsWith('.js')) scripts.push(response.text());
    });
    await page.goto('/s/registry/r/stress/many');
    await hydrated(page);
    await expect(page.getByTestId('tag-count')).toHaveText(`${stack.manyTags} tags`);
    await page.waitForLoadState('networkidle');
    const code = (await Promise.all(scripts)).join('\n');
    expect(code).toContain('Filter tags or digests');
    expect(code).not.toContain('react-flow__');
  });

  test('pages prefetch no other page: the catalog and a tag page, filtered, ask the server for nothing but themselves', async ({ page }) => {
    // Every page is rendered from live registry data: a prefetch would only bring the shared layout, at the
    // cost of a server render per visible link, again after each URL change.
    const prefetches: string[] = [];
    page.on('request', (request) => {
      if (request.headers()['next-router-prefetch'] !== undefined || new URL(request.url()).searchParams.has('_rsc')) prefetches.push(request.url());
    });
    await page.goto('/s/demo');
    await hydrated(page);
    await expect(page.getByTestId('repository-row')).toHaveCount(8);
    await page.getByRole('searchbox', { name: 'Filter repositories' }).fill('platform');
    await expect(page).toHaveURL(/q=platform/);
    await page.waitForLoadState('networkidle');
    await page.goto('/s/demo/r/platform/web/-/tags');
    await hydrated(page);
    await expect(page.locator('[data-testid="tag-row"][data-tag="1.6.0"] code[title^="sha256:"]')).toBeVisible();
    await page.getByLabel('Filter tags').fill('1.6');
    await expect(page).toHaveURL(/q=1\.6/);
    await page.waitForLoadState('networkidle');
    expect(prefetches).toEqual([]);
    // Links still navigate on the client: the breadcrumb back to the catalog.
    await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'demo' }).click();
    await expect(page).toHaveURL(/\/s\/demo$/);
    await expect(page.getByTestId('catalog-count')).toHaveText('8 repositories in 7 namespaces');
  });

  test('keyboard in the tag table: / filters, arrows move, Space selects, Enter opens', async ({ page }) => {
    await page.goto('/s/registry/r/shop/web/-/tags');
    await expect(page.locator('[data-tag="v1"] code[title^="sha256:"]')).toBeVisible();
    await page.keyboard.press('/');
    await expect(page.getByRole('searchbox', { name: 'Filter tags' })).toBeFocused();
    await page.keyboard.type('v1');
    await expect(page.getByTestId('tag-row')).toHaveCount(3);
    await page.keyboard.press('ArrowDown');
    await expect(page.locator('[data-testid="tag-row"][data-tag="v1"]')).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await expect(page.locator('[data-testid="tag-row"][data-tag="v1.0"]')).toBeFocused();
    await page.keyboard.press(' ');
    await expect(page.getByTestId('selection-bar')).toContainText('1 tag selected');
    await expect(page).toHaveURL(/q=v1&sel=v1\.0$/);
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/\/-\/manifests\/v1\.0$/);
    await page.goBack();
    await expect(page.getByTestId('selection-bar')).toContainText('1 tag selected');
  });

  test('fits a 1024 px wide window without horizontal scrolling', async ({ page }) => {
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.goto('/s/demo/r/platform/web/-/tags');
    await expect(page.locator('[data-tag="latest"] code[title^="sha256:"]')).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    // Nothing spills out of a row (e.g. platform badges wrapping onto more lines).
    const spilling = await page
      .getByTestId('tag-row')
      .evaluateAll((rows) => rows.filter((row) => row.scrollHeight > row.clientHeight + 1).map((row) => row.getAttribute('data-tag')));
    expect(spilling).toEqual([]);
    await screenshot(page, 'tags-1024');
  });

  test('deep links load directly with filter, sort, folding and selection from the URL', async ({ page }) => {
    await page.goto('/s/registry/r/shop/web/-/tags?q=v1&sort=-version&sel=v1.0');
    await expect(page.getByRole('searchbox', { name: 'Filter tags' })).toHaveValue('v1');
    await expect(page.getByRole('combobox', { name: 'Sort' })).toHaveValue('-version');
    await expect.poll(() => page.getByTestId('tag-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-tag')))).toEqual([
      'v1',
      'v1.0',
      'v1.0.0',
    ]);
    await expect(page.getByTestId('selection-bar')).toContainText('1 tag selected');
    await expect(page.getByRole('checkbox', { name: 'Select tag v1.0', exact: true })).toBeChecked();

    await page.goto('/s/demo/r/platform/web/-/manifests/latest');
    await expect(page.getByTestId('manifest-view')).toBeVisible();
    await page.goto('/s/demo/r/does/not/exist/-/tags');
    await expect(page.getByTestId('error-code')).toHaveText('NAME_UNKNOWN');
    const missing = await page.goto('/s/no-such-source');
    expect(missing?.status()).toBe(404);
    await expect(page.getByText('Nothing here')).toBeVisible();
  });

  test('the catalog says how old its kept list is; refresh lists a repository pushed behind Porthole', async ({ page, stack }) => {
    // The list comes with the first HTML: the page asks the API for no catalog when it loads.
    const catalogRequests: string[] = [];
    page.on('request', (request) => {
      const { pathname, search } = new URL(request.url());
      if (/^\/api\/sources\/[^/]+\/(catalog|repositories)$/.test(pathname)) catalogRequests.push(pathname + search);
    });
    await page.goto('/s/readonly?q=kept-behind');
    await hydrated(page);
    expect(catalogRequests).toEqual([]);
    await expect(page.getByTestId('catalog-age')).toHaveText(/^listed (just now|\d+ s ago|\d+ min ago)$/);
    await expect(page.getByTestId('catalog-refresh')).toHaveText('refresh');
    await expect(page.getByText('No repository matches “kept-behind”')).toBeVisible();

    await pushWithTags({ url: stack.registryUrl, auth: 'none' }, 'catalog-e2e/kept-behind', image({ seed: 'kept-behind' }), ['v1']);
    // The kept list (cache time: an hour) is answered again: the new repository is not in it yet.
    await page.reload();
    await hydrated(page);
    await expect(page.getByTestId('catalog-count')).toBeVisible();
    await expect(page.getByText('No repository matches “kept-behind”')).toBeVisible();
    await screenshot(page, 'catalog-age');

    await page.getByTestId('catalog-refresh').click();
    await expect(page.locator('[data-repo="catalog-e2e/kept-behind"]')).toBeVisible();
    expect(catalogRequests).toEqual(['/api/sources/readonly/catalog?fresh=1']);
    await expect(page.getByTestId('catalog-age')).toHaveText(/^listed (just now|\d{1,2} s ago)$/);
    await expect(page.getByTestId('catalog-refresh')).toHaveText('refresh');
  });

  test('a stopped registry shows its error code and message with a working retry', async ({ page, stack }) => {
    await page.goto('/s/offline/r/lonely/app/-/tags');
    await expect(page.locator('[data-tag="v1"]')).toBeVisible();
    await offlineRegistry(stack, 'halt');
    try {
      await page.goto('/s/offline');
      await expect(page.getByRole('alert').filter({ hasText: 'Could not list the repositories of offline' })).toBeVisible();
      await expect(page.getByTestId('error-code')).toHaveText('UNAVAILABLE');
      await expect(page.getByTestId('error-message')).not.toBeEmpty();
      await screenshot(page, 'error-state');
    } finally {
      await offlineRegistry(stack, 'start');
    }
    await page.getByRole('button', { name: 'Retry' }).click();
    await expect(page.getByTestId('repository-row')).toHaveCount(1);
  });

  test('dark mode follows the toggle, persists without a flash, and the read-only source shows why', async ({ page }) => {
    await page.goto('/s/readonly/r/shop/web/-/tags');
    await hydrated(page);
    await expect(page.getByTestId('read-only-notice')).toContainText('Read-only: read-only source');
    const toggle = page.getByTestId('theme-toggle');
    await expect(toggle).toHaveAttribute('data-theme-choice', 'system');
    await toggle.click(); // system → light
    await toggle.click(); // light → dark
    await expect(page.locator('html')).toHaveClass(/dark/);
    await page.reload();
    await expect(page.locator('html')).toHaveClass(/dark/);
    await hydrated(page);
    await expect(page.getByTestId('theme-toggle')).toHaveAttribute('data-theme-choice', 'dark');
    await expect(page.locator('[data-tag="v2.0.0"] code[title^="sha256:"]')).toBeVisible();
    await screenshot(page, 'tags-dark-readonly');
    await page.getByTestId('theme-toggle').click(); // dark → system
    await expect(page.locator('html')).not.toHaveClass(/dark/);
  });
});

/**
 * Records the URLs the page writes with `history.replaceState` from now on (until it reloads). Next.js follows
 * each such write with one of its own that stores its router state in the entry: those are not counted.
 */
async function countUrlWrites(page: Page): Promise<void> {
  await page.evaluate(() => {
    const writes: string[] = [];
    const replace = history.replaceState.bind(history);
    Object.assign(window, { urlWrites: writes });
    history.replaceState = (data: unknown, unused: string, url?: string | URL | null) => {
      const nextState = typeof data === 'object' && data !== null && '__NA' in data;
      if (url != null && !nextState) writes.push(String(url));
      replace(data, unused, url);
    };
  });
}

async function urlWrites(page: Page): Promise<string[]> {
  return page.evaluate(() => [...(window as unknown as { urlWrites: string[] }).urlWrites]);
}
