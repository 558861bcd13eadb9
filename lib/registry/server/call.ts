/** One request as the endpoint handlers see it, and the event reporting shared by every change. */
import 'server-only';
import { RegistryError } from '@/lib/oci/errors';
import type { Caller } from './access';
import { splitName } from './route';
import type { UploadStore } from './upload-store';
import type { ServerEvent, ServerOptions } from './types';

export interface Call {
  request: Request;
  url: URL;
  caller: Caller;
  options: ServerOptions & { maxBlobBytes: number };
  uploads: UploadStore;
}

type EventBase = Omit<ServerEvent, 'user' | 'result' | 'error' | 'source' | 'repository'> & { name: string };

/**
 * Runs a change and reports it (ok, denied or error) through `onEvent`; with `onlyFailures`, success is left
 * for the caller to report. A 401 to a caller that presented no credentials is not reported: it is the
 * challenge every client gets before it logs in.
 */
export async function reported<T>(call: Call, base: EventBase, work: () => Promise<T>, onlyFailures = false): Promise<T> {
  const { name, ...rest } = base;
  const parts = splitName(name);
  const event = { ...rest, user: call.caller.label, source: parts?.source ?? '', repository: parts?.repo ?? name };
  const send = async (extra: Pick<ServerEvent, 'result' | 'error'>) => {
    if (call.options.onEvent) await call.options.onEvent({ ...event, ...extra });
  };
  try {
    const result = await work();
    if (!onlyFailures) await send({ result: 'ok' });
    return result;
  } catch (error) {
    const code = error instanceof RegistryError ? error.code : 'UNKNOWN';
    if (!(code === 'UNAUTHORIZED' && call.caller.user === undefined)) {
      const message = error instanceof RegistryError ? error.message : 'internal error';
      await send({ result: code === 'DENIED' || code === 'UNAUTHORIZED' ? 'denied' : 'error', error: { code, message } });
    }
    throw error;
  }
}

/** Reports a change that succeeded (for work run with `onlyFailures`). */
export async function reportSuccess(call: Call, base: EventBase): Promise<void> {
  await reported(call, base, async () => undefined);
}
