import { describe, expect, it } from 'vitest';
import { currentRequestId, requestIdFor, runWithRequest } from './request-context';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('request ids', () => {
  it('keeps a sane incoming id', () => {
    for (const id of ['abc', '3fa85f64-5717-4562-b3fc-2c963f66afa6', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', 'lb:1.2_x']) {
      expect(requestIdFor(id)).toBe(id);
    }
    expect(requestIdFor(['first', 'second'])).toBe('first');
  });

  it('replaces a missing, empty, long or unsafe id with a new UUID', () => {
    for (const id of [undefined, null, '', 'x'.repeat(129), 'a b', 'a"b', 'a\nb', '-leading', 'ä', '{"level":"x"}']) {
      expect(requestIdFor(id)).toMatch(UUID);
    }
    expect(requestIdFor(undefined)).not.toBe(requestIdFor(undefined));
  });

  it('is carried through awaits and timers of the request, and absent outside', async () => {
    expect(currentRequestId()).toBeUndefined();
    const seen = await runWithRequest({ requestId: 'r1' }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      const inner = await Promise.all([1, 2].map(async () => currentRequestId()));
      return [currentRequestId(), ...inner];
    });
    expect(seen).toEqual(['r1', 'r1', 'r1']);
    expect(currentRequestId()).toBeUndefined();
  });
});
