// Makes sure the Debian packages the tests need are present: a real registry (docker-registry, distribution
// 2.8.2), skopeo as an independent client, Chromium for the browser tests, htpasswd and openssl for auth
// fixtures, zstd for zstd layer fixtures, redis-server for the shared cache. Installs them with apt-get when running as root; otherwise stops and names the command to run.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const PACKAGES = [
  { pkg: 'docker-registry', binary: '/usr/bin/docker-registry' },
  { pkg: 'skopeo', binary: '/usr/bin/skopeo' },
  { pkg: 'chromium', binary: '/usr/bin/chromium' },
  { pkg: 'apache2-utils', binary: '/usr/bin/htpasswd' },
  { pkg: 'openssl', binary: '/usr/bin/openssl' },
  // `tar --zstd` makes the zstd layers of the layer tests.
  { pkg: 'zstd', binary: '/usr/bin/zstd' },
  // The shared cache and cross-replica locks are tested against a real Redis (lib/server/redis).
  { pkg: 'redis-server', binary: '/usr/bin/redis-server' },
];

const missing = PACKAGES.filter(({ binary }) => !existsSync(binary)).map(({ pkg }) => pkg);
if (missing.length === 0) process.exit(0);

const command = `apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing.join(' ')}`;
if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
  console.error(`Missing system packages: ${missing.join(', ')}.\nInstall them first:\n  sudo sh -c '${command}'`);
  process.exit(1);
}
console.log(`Installing system packages: ${missing.join(', ')}`);
const result = spawnSync('sh', ['-c', command], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
if (result.status !== 0) {
  console.error(`apt-get failed (exit ${result.status}). Run by hand:\n  ${command}`);
  process.exit(1);
}
const still = PACKAGES.filter(({ binary }) => !existsSync(binary)).map(({ pkg }) => pkg);
if (still.length > 0) {
  console.error(`Still missing after apt-get: ${still.join(', ')}`);
  process.exit(1);
}
try {
  console.log(execFileSync('/usr/bin/docker-registry', ['--version'], { encoding: 'utf8' }).trim());
} catch {
  // The version banner is informative only.
}
