/**
 * A cleanup pattern sent by any user runs on the server: with a backtracking engine
 * `^sha256-(\w|[0-9a-f])*\.sig$` against the seeded referrers fallback tag `sha256-<64 hex>` (a
 * non-match) never finishes and freezes every route of the built server. With the linear-time engine the
 * dry run answers, and /api/health answers while it is in flight (issue 10 item 4).
 */
import { expect, test } from './support/test';

const PATHOLOGICAL = {
  repositories: ['shop/web'],
  rules: [
    { match: '^sha256-(\\w|[0-9a-f])*\\.sig$', keepNewest: 0 },
    { match: '^(a|a)*$', keepNewest: 0 },
  ],
  dryRun: true,
};

test.describe('user-supplied patterns cannot freeze the server', () => {
  test('a dry run with exponential-backtracking patterns answers, and health answers meanwhile', async ({ request }) => {
    const dryRun = request.post('/api/sources/registry/cleanup', { data: PATHOLOGICAL, timeout: 30_000 });
    const health = await request.get('/api/health', { timeout: 30_000 });
    expect(health.status()).toBe(200);
    const response = await dryRun;
    expect(response.status()).toBe(200);
    const plan = (await response.json()) as { keep: { tag: string; reason: string }[]; delete: unknown[] };
    expect(plan.delete).toEqual([]);
    const fallback = plan.keep.find((k) => k.tag.startsWith('sha256-'));
    expect(fallback?.reason).toBe('artifact-tag');
  });

  test('a pattern the engine cannot run is refused with 400 UNSUPPORTED naming the field', async ({ request }) => {
    const response = await request.post('/api/sources/registry/cleanup', {
      data: { repositories: ['shop/web'], rules: [{ match: '^(v)\\d+\\1$', keepNewest: 0 }], protect: ['^(?!v)'] },
    });
    expect(response.status()).toBe(400);
    const body = (await response.json()) as { errors: { code: string; detail: { errors: { field: string; message: string }[] } }[] };
    expect(body.errors[0]!.code).toBe('UNSUPPORTED');
    const byField = [...body.errors[0]!.detail.errors].sort((a, b) => a.field.localeCompare(b.field));
    expect(byField).toEqual([
      { field: 'protect[0]', message: expect.stringMatching(/lookaround/) as unknown as string },
      { field: 'rules[0].match', message: expect.stringMatching(/backreference/) as unknown as string },
    ]);
  });
});
