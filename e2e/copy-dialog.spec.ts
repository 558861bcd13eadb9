import { expect, hydrated, test } from './support/test';

const DEMO_INDEX = '/s/demo/r/platform/web/-/manifests/1.6.0';
const COPIED = `sha256:${'c'.repeat(64)}`;

test.describe('"Copy to…" on a manifest', () => {
  // POST /api/copy is built on another branch: this stands in for it with the documented NDJSON contract
  // (docs/copy.md) and checks what the browser sends and shows.
  test('defaults to the same names, sends the request, shows the streamed progress and the result with links', async ({ page }) => {
    let sent: unknown;
    await page.route('**/api/copy', async (route) => {
      sent = route.request().postDataJSON();
      expect(route.request().headers()['accept']).toBe('application/x-ndjson');
      const lines = [
        { type: 'plan', manifests: 2, blobs: 2, bytes: 300 },
        { type: 'progress', bytesDone: 300, bytesTotal: 300, itemsDone: 4, itemsTotal: 4 },
        { type: 'tag', tag: '1.6.0', digest: COPIED },
        { type: 'result', digest: COPIED, mediaType: 'application/vnd.oci.image.index.v1+json', tag: '1.6.0', manifests: [{}, {}], referrers: [], blobs: { sent: 2, skipped: 0, mounted: 0 }, bytesSent: 300 },
      ];
      await route.fulfill({ status: 200, contentType: 'application/x-ndjson', body: lines.map((l) => JSON.stringify(l)).join('\n') + '\n' });
    });
    await page.goto(DEMO_INDEX);
    await hydrated(page);
    await page.getByRole('button', { name: 'Copy to…' }).click();
    const dialog = page.getByTestId('copy-dialog');
    await expect(dialog.getByLabel('Destination source')).toHaveValue('registry');
    await expect(dialog.getByLabel('Repository')).toHaveValue('platform/web');
    await expect(dialog.getByLabel(/^Tag/)).toHaveValue('1.6.0');
    await expect(dialog.getByRole('switch')).toHaveAttribute('aria-checked', 'true');

    await dialog.getByLabel('Repository').fill('Bad Name');
    await expect(page.getByRole('button', { name: 'Copy', exact: true })).toBeDisabled();
    await dialog.getByLabel('Repository').fill('promoted/web');
    await page.getByRole('button', { name: 'Copy', exact: true }).click();

    const result = dialog.getByTestId('copy-result');
    await expect(result).toContainText('Copied 2 manifests');
    await expect(dialog.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '1000');
    await expect(result.getByRole('link', { name: 'Open the copy in registry' })).toHaveAttribute('href', `/s/registry/r/promoted/web/-/manifests/${COPIED}`);
    expect(sent).toMatchObject({ to: 'registry/promoted/web:1.6.0', referrers: true });
    expect((sent as { from: string }).from).toMatch(/^demo\/platform\/web@sha256:[0-9a-f]{64}$/);
  });

  test('shows the API\'s refusal', async ({ page }) => {
    await page.route('**/api/copy', (route) =>
      route.fulfill({ status: 403, contentType: 'application/json', body: JSON.stringify({ errors: [{ code: 'DENIED', message: 'source "registry" does not allow writing' }] }) }),
    );
    await page.goto(DEMO_INDEX);
    await hydrated(page);
    await page.getByRole('button', { name: 'Copy to…' }).click();
    await page.getByRole('button', { name: 'Copy', exact: true }).click();
    await expect(page.getByTestId('copy-dialog').getByRole('alert')).toContainText('DENIED: source "registry" does not allow writing');
  });
});
