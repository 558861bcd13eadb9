// Makes sure the OCI distribution-spec conformance suite (v1.1.1) is built: `../shared/tools/oci-conformance`
// beside the clone holds the sources and `build.sh` (which installs Debian's golang packages with apt-get when
// run as root, ~70 s once). The test binary goes to $CONFORMANCE_HOME (default /tmp/oci-conformance).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const suite =
  process.env.OCI_CONFORMANCE_DIR ??
  [join('..', 'shared'), join('..', '..', 'shared')].map((dir) => resolve(dir, 'tools', 'oci-conformance')).find((dir) => existsSync(join(dir, 'build.sh')));
if (!suite) {
  console.error('The conformance suite was not found at ../shared/tools/oci-conformance (set OCI_CONFORMANCE_DIR).');
  process.exit(1);
}
const home = process.env.CONFORMANCE_HOME ?? join(process.env.TMPDIR ?? tmpdir(), 'oci-conformance');
if (existsSync(join(home, 'bin', 'conformance.test'))) process.exit(0);
console.log(`Building the conformance suite from ${suite}`);
const result = spawnSync('bash', [join(suite, 'build.sh')], { stdio: 'inherit' });
process.exit(result.status ?? 1);
