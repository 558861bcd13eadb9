import { describe, expect, it } from 'vitest';
import { lastValue, readFlags } from './read-flags';

const fail = (message: string) => new Error(message);
const spec = { values: ['--config', '--platform'], booleans: ['--json'] };

describe('readFlags', () => {
  it('reads value flags in both spellings, keeps repeated values in order, and boolean flags', () => {
    const flags = readFlags(['--config', 'a.yaml', '--platform=linux/amd64', '--json', '--platform', 'linux/arm64', '--config=b.yaml'], spec, fail);
    if (flags === 'help') throw new Error('unexpected help');
    expect(flags.values.get('--platform')).toEqual(['linux/amd64', 'linux/arm64']);
    expect(lastValue(flags, '--config')).toBe('b.yaml');
    expect(flags.booleans.has('--json')).toBe(true);
    expect(flags.operands).toEqual([]);
  });

  it('answers help anywhere, and names missing values and unknown arguments through the command\'s error', () => {
    expect(readFlags(['--json', '-h'], spec, fail)).toBe('help');
    expect(() => readFlags(['--config'], spec, fail)).toThrow('--config needs a value');
    expect(() => readFlags(['--config='], spec, fail)).toThrow('--config needs a value');
    expect(() => readFlags(['--config', '--json'], spec, fail)).toThrow('--config needs a value');
    expect(() => readFlags(['word'], spec, fail)).toThrow('unknown argument "word"');
    expect(() => readFlags(['--json=1'], spec, fail)).toThrow('unknown argument "--json=1"');
  });

  it('takes bare words as operands when the command has them, and calls unknown dashes options', () => {
    const flags = readFlags(['from', '--json', 'to'], { ...spec, operands: true }, fail);
    expect(flags !== 'help' && flags.operands).toEqual(['from', 'to']);
    expect(() => readFlags(['-x'], { ...spec, operands: true }, fail)).toThrow('unknown option "-x"');
  });
});
