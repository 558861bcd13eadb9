/**
 * Where the shared test fixtures live: `../shared/fixtures` beside the repository (read-only; copy before
 * writing). `PORTHOLE_FIXTURES` overrides the directory.
 */
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');

export const FIXTURES_DIR = process.env.PORTHOLE_FIXTURES ?? resolve(repoRoot, '../shared/fixtures');

/** The regclient test repository (Apache-2.0, see its NOTICE.md): an OCI layout full of tricky cases. */
export const REGCLIENT_TESTREPO = resolve(FIXTURES_DIR, 'regclient-testrepo/testrepo');

/** Artifacts whose subject is `testrepo:v2`, kept in another repository. */
export const REGCLIENT_EXTERNAL = resolve(FIXTURES_DIR, 'regclient-testrepo/external');
