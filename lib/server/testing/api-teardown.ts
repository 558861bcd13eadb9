/** Test helper: the common end of an API test file that ran against its own registry and temporary folder. */
import { rm } from 'node:fs/promises';
import type { RunningRegistry } from '@/lib/registry/testing/registry-server';
import { resetSources, setConfigForTests } from '../sources';

/**
 * Drops the test configuration and its sources, stops the registry (when it started), puts
 * `PORTHOLE_DATA_DIR` back to `previousDataDir` and removes `dir`.
 */
export async function endApiTest(parts: { registry?: RunningRegistry; dir: string; previousDataDir: string | undefined }): Promise<void> {
  await setConfigForTests(null);
  await resetSources();
  await parts.registry?.stop();
  if (parts.previousDataDir === undefined) delete process.env.PORTHOLE_DATA_DIR;
  else process.env.PORTHOLE_DATA_DIR = parts.previousDataDir;
  await rm(parts.dir, { recursive: true, force: true });
}
