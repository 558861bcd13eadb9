/**
 * When this process last did work someone waits for (`Date.now()`): a registry answered it, or an API request
 * started or ended. Background work that only has to happen eventually — the disk cache's held writes — waits
 * until that is a moment ago, so it never runs beside a view, a catalog page or a copy. API requests count as
 * well as registry answers: the kept catalog is paged from memory without asking the registry, and the writes
 * left from a view ran beside the next catalog pages (docs/performance.md).
 *
 * Process-wide on `globalThis`, and the registry observer subscribed once: Next.js bundles server code into
 * several chunks, and each has its own copy of this module.
 */
import 'server-only';
import { addRegistryObserver } from '@/lib/registry/http/transport/observers';

interface Activity {
  at: number;
}

const KEY = Symbol.for('porthole.server.activity');

function activity(): Activity {
  const scope = globalThis as Record<symbol, unknown>;
  let found = scope[KEY] as Activity | undefined;
  if (!found) {
    const created: Activity = { at: 0 };
    scope[KEY] = found = created;
    addRegistryObserver((event) => {
      if (event.type === 'request') created.at = Date.now();
    });
  }
  return found;
}

/** Notes that work someone waits for is happening now (an API request starting or ending). */
export function noteServerActivity(): void {
  activity().at = Date.now();
}

/** When a registry last answered or an API request last started or ended (`Date.now()`; 0: never). */
export function lastServerActivityAt(): number {
  return activity().at;
}
