/** Test helper: the API configured with the demo source only, generated into a fresh data folder. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { demoConfig } from '../config';
import { resetSources, setConfigForTests } from '../sources';

/**
 * Registers the hooks of a demo test file: before all tests, a temporary `PORTHOLE_DATA_DIR` (named after
 * `prefix`) and the demo configuration; after them, no configuration, no sources and the folder removed.
 * `dataDir` is set once the hook ran.
 */
export function demoSession(prefix: string): { readonly dataDir: string } {
  const session = { dataDir: '' };
  beforeAll(async () => {
    session.dataDir = await mkdtemp(join(tmpdir(), prefix));
    await setConfigForTests(demoConfig({ env: { PORTHOLE_DATA_DIR: session.dataDir }, cwd: session.dataDir }));
  }, 120_000);
  afterAll(async () => {
    await setConfigForTests(null);
    await resetSources();
    if (session.dataDir) await rm(session.dataDir, { recursive: true, force: true });
  });
  return session;
}
