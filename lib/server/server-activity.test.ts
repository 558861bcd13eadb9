import { describe, expect, it, vi } from 'vitest';
import { RegistryError } from '@/lib/oci/errors';
import { notifyRegistryObservers } from '@/lib/registry/http/transport/observers';
import { handle } from './respond';
import { lastServerActivityAt } from './server-activity';

describe('server activity', () => {
  it('moves with every API request, at its start and its end, and with every registry answer', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(1_000_000);
      let during = 0;
      const response = await handle(new Request('http://porthole.test/api/sources'), async () => {
        during = lastServerActivityAt();
        vi.setSystemTime(1_000_500);
        return { ok: true };
      });
      expect(response.status).toBe(200);
      expect(during).toBe(1_000_000);
      expect(lastServerActivityAt()).toBe(1_000_500);

      // A failing request counts as well.
      vi.setSystemTime(1_002_000);
      const failed = await handle(new Request('http://porthole.test/api/x'), async () => {
        throw new RegistryError('NAME_UNKNOWN', 'no such repository');
      });
      expect(failed.status).toBe(404);
      expect(lastServerActivityAt()).toBe(1_002_000);

      vi.setSystemTime(1_003_000);
      notifyRegistryObservers({ type: 'request', source: 's', registry: 'http://r', method: 'GET', path: '/v2/', status: 200, durationMs: 1, attempt: 0 });
      expect(lastServerActivityAt()).toBe(1_003_000);
    } finally {
      vi.useRealTimers();
    }
  });
});
