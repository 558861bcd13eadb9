import { describe, expect, it } from 'vitest';
import { CopyUsageError, parseCopyArgs } from './cli-args';
import { progressLine } from './progress-bar';

describe('npm run copy arguments', () => {
  it('takes FROM and TO with defaults: referrers on, every platform, no config', () => {
    expect(parseCopyArgs(['staging/team/app:v1', 'prod/team/app:v1'])).toEqual({
      from: 'staging/team/app:v1',
      to: 'prod/team/app:v1',
      referrers: true,
      platforms: [],
      json: false,
    });
  });

  it('reads repeated --platform (both spellings), --no-referrers, --config, --user and --json, in any order', () => {
    const args = parseCopyArgs(['--platform', 'linux/amd64', 'a/b:v1', '--no-referrers', '--platform=linux/arm64/v8', 'c/d', '--config=p.yaml', '--user', 'ops', '--json']);
    expect(args).toEqual({ from: 'a/b:v1', to: 'c/d', referrers: false, platforms: ['linux/amd64', 'linux/arm64/v8'], json: true, config: 'p.yaml', user: 'ops' });
  });

  it('answers help', () => {
    expect(parseCopyArgs(['a', '--help'])).toBe('help');
    expect(parseCopyArgs(['-h'])).toBe('help');
  });

  it('refuses missing or extra positionals, unknown options and options without a value', () => {
    const problem = (argv: string[]) => {
      try {
        parseCopyArgs(argv);
        return 'accepted';
      } catch (error) {
        expect(error).toBeInstanceOf(CopyUsageError);
        return (error as Error).message;
      }
    };
    expect(problem([])).toBe('expected FROM and TO, got 0 arguments');
    expect(problem(['a/b:v1'])).toBe('expected FROM and TO, got 1 argument');
    expect(problem(['a/b:v1', 'c/d', 'e/f'])).toBe('expected FROM and TO, got 3 arguments');
    expect(problem(['a/b:v1', 'c/d', '--referrers=no'])).toBe('unknown option "--referrers=no"');
    expect(problem(['a/b:v1', 'c/d', '--platform'])).toBe('--platform needs a value');
    expect(problem(['a/b:v1', 'c/d', '--platform', '--json'])).toBe('--platform needs a value');
    expect(problem(['a/b:v1', 'c/d', '--config='])).toBe('--config needs a value');
  });
});

describe('the progress bar', () => {
  it('fills by bytes and shows items', () => {
    expect(progressLine({ type: 'progress', bytesDone: 1536, bytesTotal: 6144, itemsDone: 1, itemsTotal: 4 })).toBe(
      '[######..................]  25%  1.5 KiB / 6 KiB  1/4 items',
    );
    expect(progressLine({ type: 'progress', bytesDone: 0, bytesTotal: 0, itemsDone: 0, itemsTotal: 0 })).toBe(
      '[########################] 100%  0 B / 0 B  0/0 items',
    );
  });
});
