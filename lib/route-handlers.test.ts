/**
 * Route handlers only parse, call and respond (docs/architecture.md): every `app/**\/route.ts` stays within
 * 40 lines, the logic lives in lib/server, and every route says which runtime it needs (Node: undici,
 * node:crypto, the file system), so that none silently lands on the edge runtime.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const MAX_LINES = 40;

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(path);
    return entry.name === 'route.ts' ? [relative(root, path)] : [];
  });
}

const routes = routeFiles(join(root, 'app'));
const lineCount = (text: string) => text.split('\n').length - (text.endsWith('\n') ? 1 : 0);

describe('route handlers', () => {
  it('finds the routes', () => {
    expect(routes).toContain('app/api/sources/[source]/repositories/[...path]/route.ts');
    expect(routes.length).toBeGreaterThanOrEqual(8);
  });

  it(`every route.ts has at most ${MAX_LINES} lines`, () => {
    const long = routes.map((file) => [file, lineCount(readFileSync(join(root, file), 'utf8'))] as const).filter(([, lines]) => lines > MAX_LINES);
    expect(long).toEqual([]);
  });

  it("every route.ts declares export const runtime = 'nodejs'", () => {
    const missing = routes.filter((file) => !/^export const runtime = 'nodejs';$/m.test(readFileSync(join(root, file), 'utf8')));
    expect(missing).toEqual([]);
  });

  it('counts lines the way an editor shows them', () => {
    expect(lineCount('a\nb\n')).toBe(2);
    expect(lineCount('a\nb')).toBe(2);
  });
});
