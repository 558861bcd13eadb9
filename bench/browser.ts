/**
 * The UI in Chromium (Debian's `/usr/bin/chromium` through Playwright). Times are taken inside the page with
 * `performance.now()` (0 = navigation start) by a MutationObserver installed before any page script runs, and
 * the benchmark waits for them on a promise inside the page (one call, no polling: a poll every 50 ms cost the
 * page and the benchmark process CPU that the server and the registry need on the same machine):
 * - `firstRow`: the first tag row is in the DOM;
 * - `allRows`: the count says all N tags, no "n of N read" progress line is shown (the details stream ended)
 *   and the top row is a tag of the newest manifest, i.e. every row has its details and the table is sorted by
 *   created (newest first);
 * - a keystroke or a sort change, once the page has settled: from the input event's timestamp to the animation
 *   frame after the last DOM change it caused (the frame that paints the result);
 * - `catalog`: the count says all N repositories and a repository row is in the DOM.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';

import { CHROMIUM_ARGS, CHROMIUM_PATH } from '@/e2e/support/chromium';

export interface Marks {
  firstRow?: number;
  allRows?: number;
  catalog?: number;
}

interface BenchWindow {
  __bench: {
    marks: Marks;
    /** Resolves when `mark` is set. */
    when: (mark: keyof Marks) => Promise<void>;
    arm: () => void;
    settle: (quietMs: number) => Promise<number | null>;
  };
}

/** Installed before page scripts; `expect` says what "done" looks like. */
function initScript(expect: { tags?: number; newest?: string[]; repositories?: number }): void {
  const marks: Marks = {};
  const waiters: { mark: keyof Marks; resolve: () => void }[] = [];
  const setMark = (mark: keyof Marks, at: number) => {
    marks[mark] = at;
    for (const waiter of waiters.filter((w) => w.mark === mark)) waiter.resolve();
  };
  let armedAt: number | null = null;
  let lastPaint: number | null = null;
  const check = () => {
    const now = performance.now();
    if (armedAt !== null) {
      // A change after an input: note the frame that will paint it.
      requestAnimationFrame(() => {
        lastPaint = performance.now();
      });
    }
    if (marks.firstRow === undefined && document.querySelector('[data-testid="tag-row"]')) setMark('firstRow', now);
    if (marks.allRows === undefined && expect.tags !== undefined) {
      const count = document.querySelector('[data-testid="tag-count"]')?.textContent ?? '';
      const top = document.querySelector<HTMLElement>('[data-testid="tag-row"]')?.dataset.tag;
      // While details stream in, the newest tag can be on top before every row is read: done is no progress line.
      const streaming = document.querySelector('[data-testid="tag-progress"]') !== null;
      if (!streaming && new RegExp(`(^|\\D)${expect.tags}\\s+tags?\\b`).test(count) && top !== undefined && (expect.newest ?? []).includes(top)) setMark('allRows', now);
    }
    if (marks.catalog === undefined && expect.repositories !== undefined) {
      const count = document.querySelector('[data-testid="catalog-count"]')?.textContent ?? '';
      if (new RegExp(`(^|\\D)${expect.repositories}\\s+repositor`).test(count) && document.querySelector('[data-testid="repository-row"]')) setMark('catalog', now);
    }
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
  const bench: BenchWindow['__bench'] = {
    marks,
    when: (mark) => (marks[mark] !== undefined ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ mark, resolve }))),
    arm: () => {
      armedAt = null;
      lastPaint = null;
      const onInput = (event: Event) => {
        if (armedAt === null) armedAt = event.timeStamp;
      };
      for (const type of ['keydown', 'change']) document.addEventListener(type, onInput, { capture: true, once: true });
    },
    // Waits until nothing changed for `quietMs`, then returns input → last painted frame (null: nothing changed).
    settle: (quietMs) =>
      new Promise((resolve) => {
        let seen = lastPaint;
        const poll = () => {
          if (lastPaint !== seen) {
            seen = lastPaint;
            setTimeout(poll, quietMs);
            return;
          }
          const result = armedAt !== null && lastPaint !== null ? lastPaint - armedAt : null;
          armedAt = null;
          resolve(result);
        };
        setTimeout(poll, quietMs);
      }),
  };
  (window as unknown as BenchWindow).__bench = bench;
}

/**
 * Chromium at a lower CPU priority (`nice 10`, through a wrapper script). In use, the browser runs on the user's
 * machine; on the benchmark's machine it shares the two cores with the server and the registry it measures, and
 * its ~0.7 s of CPU during a cold 2,000-tag view (loading the page, parsing the stream, rendering) was taken from
 * them. At a lower priority it runs on what they leave, as it would beside a remote server.
 */
export async function launchBrowser(): Promise<Browser> {
  const dir = await mkdtemp(join(tmpdir(), 'porthole-bench-chromium-'));
  const wrapper = join(dir, 'chromium');
  await writeFile(wrapper, `#!/bin/sh\nexec nice -n 10 ${CHROMIUM_PATH} "$@"\n`, { mode: 0o755 });
  const browser = await chromium.launch({ executablePath: wrapper, args: CHROMIUM_ARGS });
  browser.on('disconnected', () => void rm(dir, { recursive: true, force: true }));
  return browser;
}

/** How long a new browser context is left to settle before the measured navigation. */
const BROWSER_SETTLE_MS = 500;

async function openPage(browser: Browser, expect: Parameters<typeof initScript>[0]): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  // As source text with a `__name` shim: tsx (esbuild keepNames) wraps functions in `__name(…)` calls that
  // do not exist in the page.
  await context.addInitScript({ content: `var __name = (f) => f;\n(${initScript.toString()})(${JSON.stringify(expect)});` });
  const page = await context.newPage();
  // A new context is a new browser window whose setup (profile, compositor, renderer) goes on after
  // `newPage` resolves. A user opening a link has a browser that is already up: let that work end before
  // navigating, so it does not take CPU from the page and the server being measured (times start at the
  // navigation anyway).
  await page.waitForTimeout(BROWSER_SETTLE_MS);
  return page;
}

async function marks(page: Page): Promise<Marks> {
  return page.evaluate(() => ({ ...(window as unknown as BenchWindow).__bench.marks }));
}

/** Waits for a mark; on timeout says what the page showed instead. */
async function waitForMark(page: Page, mark: keyof Marks, timeoutMs: number): Promise<void> {
  try {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs)));
    try {
      // As source text (see openPage: tsx would wrap the inner function in `__name`). Should the evaluation come
      // before the init script has run in the new document, it waits for it.
      const marked = page.evaluate(
        `new Promise((resolve) => { const start = () => window.__bench ? window.__bench.when(${JSON.stringify(mark)}).then(resolve) : setTimeout(start, 10); start(); })`,
      );
      // After a timeout the evaluation is left pending; closing the page rejects it, and nobody awaits that.
      marked.catch(() => undefined);
      await Promise.race([marked, timeout]);
    } finally {
      clearTimeout(timer);
    }
  } catch (error) {
    const seen = await page
      .evaluate(() => ({
        marks: (window as unknown as BenchWindow).__bench?.marks,
        text: document.body?.innerText.slice(0, 400),
      }))
      .catch(() => undefined);
    throw new Error(`UI: "${mark}" not reached within ${timeoutMs} ms at ${page.url()}; page showed ${JSON.stringify(seen)}`, { cause: error });
  }
}

export interface TagsPageResult {
  firstRow: number;
  allRows: number;
  /** API requests the page made. */
  apiRequests: number;
}

/** Opens the tags page (sorted newest first) in a fresh context and waits until every row is there. */
export async function measureTagsPage(browser: Browser, url: string, total: number, newest: string[], timeoutMs = 180_000): Promise<{ result: TagsPageResult; page: Page }> {
  const page = await openPage(browser, { tags: total, newest });
  let apiRequests = 0;
  page.on('request', (request) => {
    if (new URL(request.url()).pathname.startsWith('/api/')) apiRequests++;
  });
  await page.goto(url, { waitUntil: 'commit' });
  await waitForMark(page, 'allRows', timeoutMs);
  const m = await marks(page);
  return { result: { firstRow: m.firstRow ?? Number.NaN, allRows: m.allRows ?? Number.NaN, apiRequests }, page };
}

/**
 * Types `text` into the tag filter one key at a time, once the page has settled (no request for 500 ms: Next.js
 * prefetches the rows' links after they render); returns each keystroke's input-to-paint time.
 */
export async function measureFilterKeystrokes(page: Page, text: string): Promise<number[]> {
  await page.waitForLoadState('networkidle');
  const input = page.getByLabel('Filter tags');
  await input.click();
  const times: number[] = [];
  for (const key of text) {
    await page.evaluate(() => (window as unknown as BenchWindow).__bench.arm());
    await page.keyboard.press(key);
    const ms = await page.evaluate(() => (window as unknown as BenchWindow).__bench.settle(250));
    if (ms !== null) times.push(ms);
  }
  // Clear the filter again (not measured).
  await input.fill('');
  return times;
}

/** Changes the sort select to `value`; returns input-to-paint time. */
export async function measureSortChange(page: Page, value: string): Promise<number | null> {
  await page.evaluate(() => (window as unknown as BenchWindow).__bench.arm());
  await page.locator('select').first().selectOption(value);
  return page.evaluate(() => (window as unknown as BenchWindow).__bench.settle(250));
}

/** Opens the catalog page in a fresh context and waits until every repository is counted and rows show. */
export async function measureCatalogPage(browser: Browser, url: string, repositories: number, timeoutMs = 60_000): Promise<number> {
  const page = await openPage(browser, { repositories });
  await page.goto(url, { waitUntil: 'commit' });
  await waitForMark(page, 'catalog', timeoutMs);
  const m = await marks(page);
  await page.context().close();
  return m.catalog ?? Number.NaN;
}
