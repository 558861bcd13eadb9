import { afterEach, describe, expect, it } from 'vitest';
import { RegistryError } from '@/lib/oci/errors';
import { addRegistryObserver, CallObservation, notifyRegistryObservers, type RegistryEvent } from './observers';

const removers: (() => void)[] = [];
function collect(): RegistryEvent[] {
  const events: RegistryEvent[] = [];
  removers.push(addRegistryObserver((event) => events.push(event)));
  return events;
}
afterEach(() => removers.splice(0).forEach((remove) => remove()));

const call = { source: 'hub', registry: 'https://r.example', method: 'GET' as const, path: '/v2/a/manifests/v1' };

describe('registry request observers', () => {
  it('reports each attempt with its status or error, and each retry with what the attempt before came to', async () => {
    const events = collect();
    const observation = new CallObservation(call);
    await observation.attempt(0, async () => ({ status: 503 }));
    await expect(observation.attempt(1, () => Promise.reject(new RegistryError('TIMEOUT', 'r.example did not answer')))).rejects.toThrow('did not answer');
    await observation.attempt(2, async () => ({ status: 200 }));
    expect(events.map((e) => (e.type === 'retry' ? `retry#${e.attempt}:${e.reason}` : `${e.attempt}:${e.status ?? e.error}`))).toEqual([
      '0:503',
      'retry#1:503',
      '1:TIMEOUT',
      'retry#2:TIMEOUT',
      '2:200',
    ]);
    const timeout = events[2]!;
    expect(timeout).toMatchObject({ type: 'request', source: 'hub', registry: 'https://r.example', method: 'GET', path: '/v2/a/manifests/v1', message: 'r.example did not answer' });
    expect(timeout.type === 'request' && timeout.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('reports a caller who left as ABORTED, without the message', async () => {
    const events = collect();
    const controller = new AbortController();
    controller.abort(new Error('client left'));
    await expect(new CallObservation({ ...call, signal: controller.signal }).attempt(0, () => Promise.reject(new Error('client left')))).rejects.toThrow();
    expect(events).toEqual([expect.objectContaining({ error: 'ABORTED' })]);
    expect(events[0]).not.toHaveProperty('message');
  });

  it('keeps requests going when an observer throws, and stops telling an observer that unsubscribed', async () => {
    removers.push(
      addRegistryObserver(() => {
        throw new Error('broken sink');
      }),
    );
    const events = collect();
    await expect(new CallObservation(call).attempt(0, async () => ({ status: 200 }))).resolves.toEqual({ status: 200 });
    expect(events).toHaveLength(1);
    removers.pop()!();
    notifyRegistryObservers({ type: 'retry', ...call, reason: '429', attempt: 1 });
    expect(events).toHaveLength(1);
  });
});
