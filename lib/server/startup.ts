/**
 * Start-up check: loads and validates the configuration (and generates the demo layout when no source is
 * configured) before the first request, so that a configuration error stops the server with a message naming
 * the file, the source and the field. Called from the Next.js `instrumentation.ts` `register()` hook.
 */
import 'server-only';
import { ConfigError } from './config';
import { redact } from './respond';
import { getConfig } from './sources';

/** Validates the configuration; on a ConfigError prints it and exits the process (status 1). */
export async function checkStartup(exit: (code: number) => never = (code) => process.exit(code)): Promise<void> {
  try {
    const config = await getConfig();
    const names = config.sources.map((s) => `${s.name} (${s.kind}${s.delete ? ', delete' : ''})`).join(', ');
    console.info(`[porthole] configuration from ${config.origin}: ${names}`);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`[porthole] ${redact(error.message)}`);
      exit(1);
    }
    throw error;
  }
}
