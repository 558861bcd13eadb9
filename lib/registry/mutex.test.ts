import { describe, expect, it } from 'vitest';
import { KeyedMutex, processMutex } from './mutex';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('KeyedMutex', () => {
  it('runs tasks of one key one at a time, in order, and other keys alongside', async () => {
    const mutex = new KeyedMutex();
    const events: string[] = [];
    const task = (name: string) => async () => {
      events.push(`start ${name}`);
      await tick();
      events.push(`end ${name}`);
    };
    await Promise.all([mutex.run('r', task('a')), mutex.run('r', task('b')), mutex.run('other', task('c'))]);
    expect(events.indexOf('end a')).toBeLessThan(events.indexOf('start b'));
    expect(events.indexOf('start c')).toBeLessThan(events.indexOf('end a'));
  });

  it('is re-entrant along one call chain (no deadlock), and still excludes other chains', async () => {
    const mutex = new KeyedMutex();
    const events: string[] = [];
    const outer = mutex.run('r', async () => {
      events.push('outer');
      await tick();
      await mutex.run('r', async () => {
        events.push('inner');
        await tick();
      });
      events.push('outer end');
    });
    const other = mutex.run('r', async () => {
      events.push('other');
    });
    await Promise.all([outer, other]);
    expect(events).toEqual(['outer', 'inner', 'outer end', 'other']);
  });

  it('releases the key when a task fails', async () => {
    const mutex = new KeyedMutex();
    await expect(mutex.run('r', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await mutex.run('r', async () => 'next')).toBe('next');
  });
});

describe('processMutex', () => {
  it('is one instance per name for the whole process (kept on globalThis)', () => {
    expect(processMutex('test.a')).toBe(processMutex('test.a'));
    expect(processMutex('test.a')).not.toBe(processMutex('test.b'));
    expect((globalThis as Record<symbol, unknown>)[Symbol.for('porthole.mutex.test.a')]).toBe(processMutex('test.a'));
  });
});
