/**
 * Where the tags page spends its time (a diagnosis aid, not a benchmark): seeds the bench repository, starts
 * the app like `npm run bench`, opens the 2,000-tag page cold and prints the navigation timeline; then types
 * into the filter under Chromium's sampling profiler and prints the hottest functions per keystroke.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRegistry } from '@/lib/registry/testing/registry-server';
import { pages } from '@/lib/routes';
import { fetchTagsViaApi } from './app-client';
import { startApp } from './app-server';
import { launchBrowser } from './browser';
import { startDelayProxy } from './proxy';
import { seedRegistry, WARMUP_REPO } from './seed';
import { planSeed } from './seed-plan';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
}

async function main(): Promise<void> {
  const plan = planSeed({});
  const registry = await startRegistry();
  const proxy = await startDelayProxy({ upstream: registry.url, delayMs: 20 });
  await seedRegistry(registry.url, plan, { catalogSize: 10 });
  const logDir = await mkdtemp(join(tmpdir(), 'porthole-profile-'));
  const browser = await launchBrowser();
  const runs = Number(process.argv[2] ?? 2);
  try {
    for (let run = 0; run < runs; run++) {
      const app = await startApp({ registryUrl: proxy.url, sourceName: 'bench', concurrency: 'auto', logFile: join(logDir, 'app.log') });
      await fetchTagsViaApi(app.url, 'bench', WARMUP_REPO);
      const warm = await browser.newContext();
      await (await warm.newPage()).goto(app.url + pages.tags('bench', WARMUP_REPO));
      await warm.close();
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      await context.addInitScript({
        content: `window.__marks = {}; new MutationObserver(() => {
          const m = window.__marks, now = performance.now();
          if (m.firstRow === undefined && document.querySelector('[data-testid="tag-row"]')) m.firstRow = now;
          if (m.hydrated === undefined && document.documentElement.dataset.hydrated) m.hydrated = now;
        }).observe(document, { subtree: true, childList: true, attributes: true });`,
      });
      const page = await context.newPage();
      const requests: string[] = [];
      page.on('request', (r) => requests.push(`${r.url().replace(app.url, '')}`));
      await page.goto(app.url + pages.tags('bench', plan.repo, { sort: '-created' }), { waitUntil: 'load' });
      await page.waitForFunction(() => (window as unknown as { __marks: { hydrated?: number } }).__marks.hydrated !== undefined);
      const timeline = await page.evaluate(() => {
        const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
        const res = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
        return {
          requestStart: nav.requestStart,
          responseStart: nav.responseStart,
          responseEnd: nav.responseEnd,
          domInteractive: nav.domInteractive,
          dcl: nav.domContentLoadedEventEnd,
          htmlBytes: nav.transferSize,
          marks: (window as unknown as { __marks: unknown }).__marks,
          scripts: res.filter((r) => r.initiatorType === 'script' || r.name.endsWith('.js')).map((r) => `${r.name.split('/').pop()} ${Math.round(r.startTime)}→${Math.round(r.responseEnd)} ${r.encodedBodySize}B`),
          api: res.filter((r) => r.name.includes('/api/')).map((r) => `${r.name.split('/-/')[1] ?? r.name} ${Math.round(r.startTime)}→${Math.round(r.responseEnd)}`),
        };
      });
      console.log(JSON.stringify(timeline, null, 1));
      await page.waitForSelector('[data-testid="tag-count"]');
      await page.waitForLoadState('networkidle');
      await page.waitForTimeout(1000);

      const cdp = await context.newCDPSession(page);
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
      const input = page.getByLabel('Filter tags');
      await input.click();
      for (const key of '1.1') {
        await cdp.send('Profiler.start');
        const t0 = Date.now();
        await page.keyboard.press(key);
        await page.waitForTimeout(300);
        const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] } };
        const self = new Map<string, number>();
        const byId = new Map(profile.nodes.map((n) => [n.id, n]));
        profile.samples.forEach((id, i) => {
          const n = byId.get(id)!;
          const name = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}:${n.callFrame.columnNumber}`;
          self.set(name, (self.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
        });
        const busy = [...self].filter(([k]) => !k.startsWith('(idle)') && !k.startsWith('(program)')).reduce((s, [, v]) => s + v, 0);
        console.log(`key ${key} (${Date.now() - t0} ms wall): busy ${busy.toFixed(1)} ms`);
        for (const [name, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 14)) console.log(`  ${ms.toFixed(1).padStart(6)} ms  ${name}`);
      }
      await context.close();
      await app.stop();
    }
  } finally {
    await browser.close();
    await proxy.stop();
    await registry.stop();
  }
}

await main();
