import { describe, expect, it } from 'vitest';
import { parseWarnings, WarningLog } from './warnings';

describe('registry warnings', () => {
  it('extracts the texts of 299 warnings, several per value, with escapes', () => {
    expect(parseWarnings(['299 - "this repository is deprecated"'])).toEqual(['this repository is deprecated']);
    expect(parseWarnings(['299 - "one, with comma", 299 registry.example "two \\"quoted\\""', 'garbage'])).toEqual(['one, with comma', 'two "quoted"']);
  });

  it('reports each distinct text once and keeps them in order', () => {
    const seen: string[] = [];
    const log = new WarningLog((w) => seen.push(w));
    log.add('a');
    log.add('b');
    log.add('a');
    expect(seen).toEqual(['a', 'b']);
    expect(log.list()).toEqual(['a', 'b']);
  });

  it('survives a throwing listener', () => {
    const log = new WarningLog(() => {
      throw new Error('listener bug');
    });
    expect(() => log.add('x')).not.toThrow();
    expect(log.list()).toEqual(['x']);
  });
});
