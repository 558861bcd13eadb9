/**
 * The layering of docs/architecture.md, checked on every `npm test`: no import cycle anywhere (type-only
 * imports included: they still tie modules together for readers and refactors), and no import from a lower
 * layer into a higher one.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCycles, readImportGraph } from '@/lib/testing/import-graph';

const graph = readImportGraph(join(import.meta.dirname, '..'));
/** Tests and their helpers (`testing/` folders) may reach across layers to set things up. */
const isTest = (module: string) => /\.test\.tsx?$/.test(module) || /(^|\/)testing\//.test(module);

/** Every `from → to` import where `from` (not a test) matches `fromPattern` and `to` matches `toPattern`. */
function imports(fromPattern: RegExp, toPattern: RegExp): string[] {
  const found: string[] = [];
  for (const [from, targets] of graph) {
    if (!fromPattern.test(from) || isTest(from)) continue;
    for (const to of targets) if (toPattern.test(to)) found.push(`${from} → ${to}`);
  }
  return found;
}

describe('layers', () => {
  it('reads the whole project', () => {
    expect(graph.size).toBeGreaterThan(200);
    expect(graph.get('lib/server/sources.ts')).toContain('lib/server/cache.ts');
    // A type-only import is an edge too.
    expect(graph.get('lib/server/cache.ts')).toContain('lib/server/details.ts');
  });

  it('finds cycles of any length, and self-imports', () => {
    const cycles = importCycles(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['d']], ['e', ['a']]]));
    expect(cycles).toEqual([['a', 'b', 'c'], ['d']]);
  });

  it('has no import cycle, type-only imports included', () => {
    expect(importCycles(graph)).toEqual([]);
  });

  it('lib/oci imports nothing outside lib/oci', () => {
    expect(imports(/^lib\/oci\//, /^(?!lib\/oci\/)/)).toEqual([]);
  });

  it('lib/text and lib/tags (shared by browser and server) import only lib/oci, lib/text, lib/tags and the pure list helpers', () => {
    expect(imports(/^lib\/(text|tags)\//, /^(?!lib\/(oci|text|tags)\/|lib\/registry\/iter\.ts$)/)).toEqual([]);
  });

  it('lib/registry imports nothing from lib/server, lib/cleanup, lib/query, app or components', () => {
    expect(imports(/^lib\/registry\//, /^(lib\/(server|cleanup|query)\/|app\/|components\/)/)).toEqual([]);
  });

  it('the HTTP transport stack (lib/registry/http/transport) imports none of the verb files above it', () => {
    const transport = imports(/^lib\/registry\/http\/transport\//, /^lib\/registry\/http\//);
    expect(transport.length).toBeGreaterThan(10);
    expect(transport.filter((edge) => !/→ lib\/registry\/http\/(transport\/|options\.ts$)/.test(edge))).toEqual([]);
  });

  it('no lib module imports app/, except tests and their helpers', () => {
    expect(imports(/^lib\//, /^app\//)).toEqual([]);
  });

  it('the browser side (components/) never imports server-only code (lib/server)', () => {
    expect(imports(/^components\//, /^lib\/server\//)).toEqual([]);
  });
});
