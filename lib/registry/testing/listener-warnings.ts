/**
 * For tests of code that waits on abort signals: collects Node's `MaxListenersExceededWarning`s while a test runs
 * and counts the abort listeners a signal carries (Node's own count, which is what the warning is about).
 */
import { getEventListeners } from 'node:events';

export interface ListenerWarnings {
  /** Messages of the listener warnings emitted so far (after a tick: Node emits warnings asynchronously). */
  messages(): Promise<string[]>;
  /** Stops collecting. */
  stop(): void;
}

export function collectListenerWarnings(): ListenerWarnings {
  const warnings: Error[] = [];
  const onWarning = (warning: Error) => warnings.push(warning);
  process.on('warning', onWarning);
  return {
    async messages() {
      await new Promise((resolve) => setImmediate(resolve));
      return warnings.filter((w) => w.name === 'MaxListenersExceededWarning').map((w) => w.message);
    },
    stop: () => void process.off('warning', onWarning),
  };
}

/** Abort listeners registered on `signal` right now. */
export function abortListeners(signal: AbortSignal): number {
  return getEventListeners(signal, 'abort').length;
}
