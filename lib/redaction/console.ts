/**
 * Routes every console line of the server process through {@link redact}: Porthole's own log lines already
 * are, but the framework's are not (Next.js prints errors thrown while rendering with their stack, which names
 * local paths, and their message, which may quote a registry's echo). Installed once per process from
 * `instrumentation.ts` and scripts/serve.ts; idempotent (the flag lives on `globalThis`, see secrets.ts).
 */
import { formatWithOptions } from 'node:util';
import { redact } from './secrets';

const METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
const INSTALLED = Symbol.for('porthole.redaction.console');

type Target = Pick<Console, (typeof METHODS)[number]>;

/** Wraps the console methods of `target` (default: the global console) so that what they print is redacted. */
export function installConsoleRedaction(target: Target = console): void {
  const flags = target as unknown as Record<symbol, unknown>;
  if (flags[INSTALLED]) return;
  flags[INSTALLED] = true;
  for (const method of METHODS) {
    const original = target[method].bind(target);
    // Formatting first (as the console would) so that Error stacks and objects are redacted too.
    target[method] = (...args: unknown[]) => original(redact(formatWithOptions({ colors: false }, ...args)));
  }
}
