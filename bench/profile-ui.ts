/**
 * Where the tags page spends its time (a diagnosis aid, not a benchmark): seeds the bench repository, starts
 * the app like `npm run bench`, opens the 2,000-tag page cold and prints the navigation timeline; then types
 * into the filter under Chromium's sampling profiler and prints the hottest functions per keystroke; with
 * `--trace`, under Chromium's timeline tracing instead, printing the main thread's script, style, layout and
 * paint per keystroke (`npx tsx bench/profile-ui.ts [runs] [--trace]`).
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRegistry } from '@/lib/registry/testing/registry-server';
import { pages } from '@/lib/routes';
import { fetchTagsViaApi } from './app-client';
import { startApp } from './app-server';
import type { Browser, Page } from '@playwright/test';
import { launchBrowser } from './browser';
import { startDelayProxy } from './proxy';
import { seedRegistry, WARMUP_REPO } from './seed';
import { planSeed } from './seed-plan';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
}

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  tid: number;
  pid: number;
  args?: { data?: { type?: string; url?: string; functionName?: string } };
}

/**
 * `--trace`: each keystroke under Chromium's timeline tracing; prints the renderer main thread's top-level work
 * (script, style, layout, paint…) from the key event to the last frame, by event name.
 */
async function traceKeystrokes(browser: Browser, page: Page): Promise<void> {
  const input = page.getByLabel('Filter tags');
  await input.click();
  for (const key of '1.1') {
    await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink.user_timing', 'v8.execute'] });
    await page.keyboard.press(key);
    await page.waitForTimeout(300);
    const buffer = await browser.stopTracing();
    const events = (JSON.parse(buffer.toString()) as { traceEvents: TraceEvent[] }).traceEvents;
    const main = events.find((e) => e.name === 'thread_name' && (e.args as { name?: string } | undefined)?.name === 'CrRendererMain');
    const onMain = events.filter((e) => main && e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur !== undefined);
    const input0 = events.find((e) => e.name === 'EventDispatch' && e.args?.data?.type === 'keydown');
    const start = input0?.ts ?? Math.min(...onMain.map((e) => e.ts));
    // Top level: events not inside another main-thread event.
    const sorted = onMain.filter((e) => e.ts >= start).sort((a, b) => a.ts - b.ts);
    const top: TraceEvent[] = [];
    let end = 0;
    for (const e of sorted) {
      if (e.ts >= end) {
        top.push(e);
        end = e.ts + e.dur!;
      }
    }
    const lastPaint = Math.max(...sorted.filter((e) => e.name === 'Paint' || e.name === 'Commit' || e.name === 'UpdateLayerTree').map((e) => e.ts + e.dur!));
    const inside = (name: string) => sorted.filter((e) => e.name === name).reduce((sum, e) => sum + e.dur!, 0) / 1000;
    const byName = new Map<string, number>();
    for (const e of top) byName.set(e.name, (byName.get(e.name) ?? 0) + e.dur! / 1000);
    console.log(`key ${key}: keydown → last paint ${((lastPaint - start) / 1000).toFixed(1)} ms; main thread busy ${top.reduce((s, e) => s + e.dur! / 1000, 0).toFixed(1)} ms`);
    for (const [name, ms] of [...byName].sort((a, b) => b[1] - a[1]).slice(0, 8)) console.log(`  ${ms.toFixed(1).padStart(6)} ms  ${name}`);
    console.log(`  inside: style ${inside('UpdateLayoutTree').toFixed(1)} ms, layout ${inside('Layout').toFixed(1)} ms, paint ${inside('Paint').toFixed(1)} ms, script ${inside('FunctionCall').toFixed(1)} ms, compile ${(inside('v8.compile') + inside('V8.CompileCode') + inside('CompileCode')).toFixed(1)} ms, parse HTML ${inside('ParseHTML').toFixed(1)} ms`);
    for (const e of sorted.filter((x) => x.dur! > 3000 && x.name === 'FunctionCall')) console.log(`    FunctionCall ${(e.dur! / 1000).toFixed(1)} ms ${e.args?.data?.functionName ?? ''} ${(e.args?.data?.url ?? '').split('/').pop()}`);
  }
}

async function main(): Promise<void> {
  const plan = planSeed({});
  const registry = await startRegistry();
  const proxy = await startDelayProxy({ upstream: registry.url, delayMs: 20 });
  await seedRegistry(registry.url, plan, { catalogSize: 10 });
  const logDir = await mkdtemp(join(tmpdir(), 'porthole-profile-'));
  const browser = await launchBrowser();
  const runs = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 2);
  const trace = process.argv.includes('--trace');
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

      if (trace) {
        await traceKeystrokes(browser, page);
        await context.close();
        await app.stop();
        continue;
      }
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
