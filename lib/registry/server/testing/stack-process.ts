/**
 * The `/v2` test stack in a process of its own, for measuring the server's memory apart from the client's:
 *   node --conditions=react-server --import tsx lib/registry/server/testing/stack-process.ts
 * prints `READY <url>`, then answers stdin lines: `mark` (restart the RSS peak from now) → `MARK <rss>`,
 * `peak` → `PEAK <bytes above the mark>`. Closing stdin stops it.
 */
import { createInterface } from 'node:readline';
import { startV2Stack } from './stack';

const stack = await startV2Stack();
let base = process.memoryUsage.rss();
let peak = base;
setInterval(() => {
  peak = Math.max(peak, process.memoryUsage.rss());
}, 20).unref();
process.stdout.write(`READY ${stack.url}\n`);
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  if (line === 'mark') {
    base = peak = process.memoryUsage.rss();
    process.stdout.write(`MARK ${base}\n`);
  } else if (line === 'peak') {
    peak = Math.max(peak, process.memoryUsage.rss());
    process.stdout.write(`PEAK ${peak - base}\n`);
  }
});
lines.on('close', () => {
  void stack.close().then(() => process.exit(0));
});
