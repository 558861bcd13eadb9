/**
 * What browsers and crawlers ask for by name, from the built server: the icons and robots.txt of public/,
 * and the noindex marker on pages (a private registry browser stays out of search engines).
 */
import { expect, test } from './support/test';

test.describe('public files', () => {
  test('robots.txt disallows every crawler; pages say noindex', async ({ page, request }) => {
    const robots = await request.get('/robots.txt');
    expect(robots.status()).toBe(200);
    expect(await robots.text()).toMatch(/^User-agent: \*\nDisallow: \/\n$/);

    await page.goto('/s/demo');
    await expect(page.locator('meta[name="robots"]')).toHaveAttribute('content', 'noindex, nofollow');
  });

  test('the favicon and the touch icon are served as images', async ({ request }) => {
    const favicon = await request.get('/favicon.ico');
    expect(favicon.status()).toBe(200);
    expect((await favicon.body()).readUInt16LE(2)).toBe(1); // ICO
    const touch = await request.get('/apple-touch-icon.png');
    expect(touch.status()).toBe(200);
    expect(touch.headers()['content-type']).toBe('image/png');
  });
});
