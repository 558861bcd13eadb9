/**
 * The Cleanup page in the browser, against the e2e stack's docker-registry (`registry` source): edit a
 * policy, preview the plan, confirm (typed, above 10 tags), watch it run, read the results and the GC
 * explanation; the registry's own tag list is checked before and after. The spec seeds its own repository
 * (`cleanup/app`) so other specs are not affected.
 */
import type { Page } from '@playwright/test';
import { pushImage } from '@/lib/cleanup/testing/seed';
import { digestOf } from '@/lib/registry/testing/digest';
import type { Descriptor } from '@/lib/oci/types';
import type { RegistryWriter } from '@/lib/registry/registry';
import { registryTags } from './support/registry';
import { expect, screenshot, test } from './support/test';

const REPO = 'cleanup/app';
const CI_TAGS = 13;
const POLICY = {
  repositories: ['cleanup/*'],
  rules: [{ match: '^ci-', keepNewest: 2, olderThanDays: 30 }],
  protect: ['^latest$', '^v\\d+\\.\\d+\\.\\d+$'],
  now: '2026-03-01T00:00:00Z',
};
/** ci-1 … ci-13, created on 1…13 December 2025: all older than 30 days, the two newest are kept. */
const DELETED = Array.from({ length: CI_TAGS - 2 }, (_, i) => `ci-${i + 1}`);

/** Pushes through the plain distribution API (the spec runs outside the server, without its HTTP client). */
function rawWriter(url: string): Pick<RegistryWriter, 'pushBlob' | 'pushManifest'> {
  const check = async (res: Response, what: string) => {
    if (!res.ok) throw new Error(`${what}: ${res.status} ${await res.text()}`);
    await res.body?.cancel();
  };
  return {
    async pushBlob(repo, descriptor, body) {
      const start = await fetch(`${url}/v2/${repo}/blobs/uploads/`, { method: 'POST' });
      await check(start, 'upload start');
      const location = new URL(start.headers.get('location') ?? '', url);
      location.searchParams.set('digest', descriptor.digest);
      // A copy typed over a plain ArrayBuffer, as fetch's BodyInit wants.
      const put = await fetch(location, { method: 'PUT', body: new Uint8Array(body as Uint8Array), headers: { 'content-type': 'application/octet-stream' } });
      await check(put, `blob ${descriptor.digest}`);
      return { mediaType: descriptor.mediaType, digest: descriptor.digest, size: descriptor.size };
    },
    async pushManifest(repo, bytes, mediaType, options) {
      const digest = digestOf(bytes);
      const res = await fetch(`${url}/v2/${repo}/manifests/${options?.tag ?? digest}`, {
        method: 'PUT',
        body: new Uint8Array(bytes),
        headers: { 'content-type': mediaType },
      });
      await check(res, `manifest ${options?.tag ?? digest}`);
      return { mediaType, digest, size: bytes.length } satisfies Descriptor;
    },
  };
}

async function fillPolicy(page: Page, policy: unknown) {
  await page.getByTestId('policy-json').fill(JSON.stringify(policy, null, 2));
}

test.describe('cleanup', () => {
  test.beforeAll(async () => {
    const stack = JSON.parse(process.env.PORTHOLE_E2E_STATE ?? '{}') as { registryUrl: string };
    const writer = rawWriter(stack.registryUrl) as RegistryWriter;
    await pushImage(writer, REPO, { tags: ['v1.0.0', 'latest'], created: '2025-06-01T00:00:00Z', seed: 'release' });
    for (let i = 1; i <= CI_TAGS; i++) {
      const created = `2025-12-${String(i).padStart(2, '0')}T00:00:00Z`;
      // ci-3 shares its manifest with `stable`, which no rule matches.
      await pushImage(writer, REPO, { tags: i === 3 ? ['ci-3', 'stable'] : [`ci-${i}`], created, seed: `ci-${i}` });
    }
  });

  test('edit, preview, confirm, watch and read the results; the registry loses exactly the plan', async ({ page, stack }) => {
    const before = await registryTags(stack.registryUrl, REPO);
    expect(before).toHaveLength(CI_TAGS + 3);

    await page.goto('/s/registry/cleanup');
    await expect(page.getByRole('heading', { name: 'Cleanup', level: 1 })).toBeVisible();

    // An invalid regex is named by field, and nothing can be planned until it is fixed.
    await fillPolicy(page, { ...POLICY, rules: [{ match: '^ci-(', keepNewest: 2 }] });
    await expect(page.getByTestId('policy-errors')).toContainText('rules[0].match is not a valid regular expression');
    await expect(page.getByTestId('preview-cleanup')).toBeDisabled();

    // The form edits the same JSON.
    await fillPolicy(page, POLICY);
    await expect(page.getByRole('textbox', { name: 'Rule 1 match' })).toHaveValue('^ci-');
    await page.getByRole('textbox', { name: 'Rule 1 keep newest' }).fill('2');
    await expect(page.getByTestId('policy-errors')).toBeEmpty();

    await page.getByTestId('preview-cleanup').click();
    await expect(page.getByTestId('plan-delete-count')).toHaveText(String(DELETED.length));
    await expect(page.getByTestId('plan-delete-row')).toHaveCount(DELETED.length);
    for (const tag of DELETED) await expect(page.locator(`[data-testid="plan-delete-row"][data-tag="${REPO}:${tag}"]`)).toBeVisible();
    await expect(page.getByTestId('plan-untagged-count')).toHaveText(String(DELETED.length - 1));
    await expect(page.getByTestId('plan-reclaimable')).not.toHaveText('0 B');
    await page.getByRole('tab', { name: /^Kept/ }).click();
    await expect(page.locator(`[data-testid="plan-keep-row"][data-tag="${REPO}:latest"]`)).toHaveAttribute('data-reason', 'protected');
    await expect(page.locator(`[data-testid="plan-keep-row"][data-tag="${REPO}:v1.0.0"]`)).toHaveAttribute('data-reason', 'protected');
    await expect(page.locator(`[data-testid="plan-keep-row"][data-tag="${REPO}:stable"]`)).toHaveAttribute('data-reason', 'no-rule');
    await expect(page.locator(`[data-testid="plan-keep-row"][data-tag="${REPO}:ci-13"]`)).toHaveAttribute('data-reason', 'newest');
    await screenshot(page, 'cleanup-preview', { fullPage: true });
    // The preview changed nothing.
    expect(await registryTags(stack.registryUrl, REPO)).toEqual(before);

    // More than 10 tags: the count has to be typed.
    await page.getByTestId('execute-cleanup').click();
    const dialog = page.getByRole('dialog', { name: `Delete ${DELETED.length} tags from registry?` });
    await expect(dialog.getByTestId('confirm-cleanup')).toBeDisabled();
    await dialog.getByTestId('confirm-count').fill('10');
    await expect(dialog.getByTestId('confirm-cleanup')).toBeDisabled();
    await dialog.getByTestId('confirm-count').fill(String(DELETED.length));
    await dialog.getByTestId('confirm-cleanup').click();

    const run = page.getByTestId('cleanup-run');
    await expect(run.getByRole('progressbar')).toHaveAttribute('aria-valuenow', String(DELETED.length));
    await expect(run.getByTestId('run-summary')).toContainText(`Done. ${DELETED.length} deleted, 0 skipped, 0 failed`);
    await expect(run.locator('[data-testid="run-item"][data-status="deleted"]')).toHaveCount(DELETED.length);
    await expect(run.getByTestId('gc-explanation')).toContainText('garbage-collect');
    // Every command offered to copy is one the panel recommends: none with --delete-untagged (distribution#3178).
    const commands = await run.getByTestId('gc-explanation').locator('code').allTextContents();
    expect(commands).toContain('registry garbage-collect /etc/docker/registry/config.yml');
    for (const command of commands) expect(command).not.toContain('--delete-untagged');
    await screenshot(page, 'cleanup-results', { fullPage: true });

    const after = await registryTags(stack.registryUrl, REPO);
    expect(before.filter((t) => !after.includes(t)).sort()).toEqual([...DELETED].sort());
    expect(after).toEqual(['ci-12', 'ci-13', 'latest', 'stable', 'v1.0.0']);

    // Idempotent: planning again finds nothing to delete.
    await page.getByRole('button', { name: 'Preview again' }).first().click();
    await expect(page.getByTestId('plan-delete-count')).toHaveText('0');
    await expect(page.getByTestId('execute-cleanup')).toBeDisabled();
  });

  test('a read-only source cannot be cleaned up, in the page or through the API', async ({ page, request }) => {
    await page.goto('/s/readonly/cleanup');
    await expect(page.getByTestId('cleanup-read-only')).toBeVisible();
    await expect(page.getByTestId('preview-cleanup')).toBeDisabled();
    const response = await request.post('/api/sources/readonly/cleanup', { data: POLICY });
    expect(response.status()).toBe(403);
    expect(((await response.json()) as { errors: { code: string }[] }).errors[0]!.code).toBe('DENIED');
  });
});
