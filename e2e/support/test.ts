/**
 * The `test` every spec imports: Playwright's, plus
 * - `baseURL` pointing at the Porthole server the global setup started,
 * - `stack`: the harness state (registry URLs, seeded digests),
 * - a guard that fails a test on uncaught page errors and React hydration errors.
 */
import { test as base, expect, type Page } from '@playwright/test';
import { readState, type StackState } from './state';

export { expect };

export const test = base.extend<{ stack: StackState; pageGuard: void }>({
  // Playwright requires an object pattern as the first parameter, even when a fixture needs nothing.
  // eslint-disable-next-line no-empty-pattern
  stack: async ({}, provide) => {
    await provide(readState());
  },
  // eslint-disable-next-line no-empty-pattern
  baseURL: async ({}, provide) => {
    await provide(readState().baseURL);
  },
  pageGuard: [
    async ({ page }, provide) => {
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error' && /hydrat|Minified React error #(418|423|425)/i.test(message.text())) {
          problems.push(`hydration: ${message.text()}`);
        }
      });
      await provide();
      expect(problems, 'errors in the page').toEqual([]);
    },
    { auto: true },
  ],
});

/** Waits until React has hydrated the page (keyboard shortcuts and client state work from then on). */
export async function hydrated(page: Page): Promise<void> {
  await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached' });
}

/** Saves a screenshot to e2e/screenshots/NAME.png (git-ignored) for a human to look at. */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  await page.screenshot({ path: `e2e/screenshots/${name}.png`, fullPage: options.fullPage ?? false });
}
