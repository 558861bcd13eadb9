import { offlineRegistry } from './support/registry';
import { expect, test } from './support/test';

test.describe('sources page: live status', () => {
  test('shows each source reachable, then a stopped registry as down with its error, refreshed in the background', async ({ page, stack }) => {
    test.setTimeout(120_000);
    await page.goto('/');
    const card = (name: string) => page.getByTestId('source-card').filter({ has: page.getByText(name, { exact: true }) });
    await expect(card('registry').getByTestId('source-status')).toHaveAttribute('data-state', 'ok');
    await expect(card('registry').getByTestId('source-status')).toContainText(/Reachable · \d+ ms/);
    await expect(card('demo').getByTestId('source-status')).toHaveAttribute('data-state', 'ok');
    await expect(card('nocatalog').getByTestId('source-status')).toContainText('no catalog');

    await offlineRegistry(stack, 'halt');
    try {
      // No reload: the page asks again by itself (the server reuses a probe for 10 s, the page polls every 15 s).
      const offline = card('offline').getByTestId('source-status');
      await expect(offline).toHaveAttribute('data-state', 'down', { timeout: 60_000 });
      await expect(offline).toContainText('UNAVAILABLE');
      await expect(offline).toContainText('refused the connection');
      await expect(card('registry').getByTestId('source-status')).toHaveAttribute('data-state', 'ok');
    } finally {
      await offlineRegistry(stack, 'start');
    }
  });
});
