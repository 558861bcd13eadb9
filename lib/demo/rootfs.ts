/**
 * The root filesystem of a demo base image: a few hundred small entries laid out like a real distribution
 * (`/etc/os-release`, passwd and friends, busybox with its applet symlinks, shared libraries with their
 * soname symlinks, a hard link, zoneinfo, caches), so the file browser and compare have something to show.
 * Contents are pseudo-random text from a seeded PRNG, a few dozen bytes each: the layer stays ~20 KB.
 */
import type { Prng } from './prng';
import type { TarEntry } from './tar';

export interface RootfsOptions {
  /** `NAME` of os-release, e.g. `Alpine Linux`. */
  distro: string;
  /** Extra os-release lines (`VERSION_ID=…`). */
  release: string;
  /** Architecture name as the distribution spells it (`x86_64`, `aarch64`). */
  arch: string;
  /** One distribution-specific file under `etc/` (e.g. `apk/world`, `debian_version`). */
  marker: string;
  /** `musl` (Alpine, BusyBox) or `glibc` (Debian, distroless). */
  libc: 'musl' | 'glibc';
}

const APPLETS = ['ash', 'cat', 'chmod', 'chown', 'cp', 'date', 'dd', 'df', 'echo', 'grep', 'gzip', 'hostname', 'kill', 'ln', 'ls', 'mkdir', 'mount', 'mv', 'ping', 'ps', 'pwd', 'rm', 'sed', 'sh', 'sleep', 'tar', 'touch', 'umount', 'uname', 'vi'];
const SBIN_APPLETS = ['adduser', 'addgroup', 'fdisk', 'halt', 'ifconfig', 'init', 'mkswap', 'reboot', 'route', 'sysctl'];
const LIBS: [string, string][] = [['libz', '1.3.1'], ['libcrypto', '3.3.2'], ['libssl', '3.3.2'], ['libffi', '8.1.4'], ['libexpat', '1.9.2'], ['libbz2', '1.0.8'], ['liblzma', '5.6.3'], ['libsqlite3', '0.8.6'], ['libncursesw', '6.5.0'], ['libreadline', '8.2.13']];
const ZONES: Record<string, string[]> = {
  Africa: ['Abidjan', 'Accra', 'Cairo', 'Casablanca', 'Johannesburg', 'Lagos', 'Nairobi', 'Tunis'],
  America: ['Anchorage', 'Bogota', 'Chicago', 'Denver', 'Halifax', 'Lima', 'Los_Angeles', 'Mexico_City', 'New_York', 'Phoenix', 'Santiago', 'Sao_Paulo', 'Toronto', 'Vancouver'],
  Asia: ['Bangkok', 'Dubai', 'Hong_Kong', 'Jakarta', 'Jerusalem', 'Karachi', 'Kolkata', 'Manila', 'Seoul', 'Shanghai', 'Singapore', 'Taipei', 'Tehran', 'Tokyo'],
  Australia: ['Adelaide', 'Brisbane', 'Darwin', 'Hobart', 'Melbourne', 'Perth', 'Sydney'],
  Europe: ['Amsterdam', 'Athens', 'Berlin', 'Brussels', 'Bucharest', 'Dublin', 'Helsinki', 'Istanbul', 'Kyiv', 'Lisbon', 'London', 'Madrid', 'Oslo', 'Paris', 'Prague', 'Rome', 'Stockholm', 'Vienna', 'Warsaw', 'Zurich'],
  Pacific: ['Auckland', 'Fiji', 'Guam', 'Honolulu', 'Tahiti'],
};
const MAN_PAGES = ['ash', 'busybox', 'cat', 'cp', 'grep', 'ls', 'mount', 'passwd', 'sed', 'tar', 'vi', 'zlib'];

/** `count` pseudo-random bytes (binary content for "executables" and libraries). */
export function binary(rng: Prng, count: number, magic = '\x7fELF\x02\x01\x01'): Uint8Array {
  const out = new Uint8Array(count);
  for (let i = 0; i < magic.length && i < count; i++) out[i] = magic.charCodeAt(i);
  for (let i = magic.length; i < count; i++) out[i] = Math.floor(rng.next() * 256);
  return out;
}

function dirs(paths: string[]): TarEntry[] {
  return paths.map((path) => ({ path: `${path}/`, ...(path === 'tmp' ? { mode: 0o1777 } : path === 'root' ? { mode: 0o700 } : {}) }));
}

/** The entries of the root filesystem, in archive order (parents before children). */
export function rootfsEntries(options: RootfsOptions, rng: Prng): TarEntry[] {
  const { arch, libc } = options;
  const loader = libc === 'musl' ? `ld-musl-${arch}.so.1` : arch === 'x86_64' ? 'ld-linux-x86-64.so.2' : `ld-linux-${arch}.so.1`;
  const line = (prefix = '') => `${prefix}${rng.hex(8)} ${rng.hex(rng.int(12, 32))}\n`;
  const entries: TarEntry[] = [
    ...dirs(['bin', 'etc', 'etc/profile.d', 'etc/ssl', 'etc/ssl/certs', 'home', 'lib', 'root', 'sbin', 'tmp', 'usr', 'usr/bin', 'usr/lib', 'usr/sbin', 'usr/share', 'usr/share/man', 'usr/share/man/man1', 'usr/share/zoneinfo', 'var', 'var/cache', 'var/cache/debconf', 'var/log', 'var/spool']),
    ...(libc === 'musl' ? [{ path: 'etc/apk/' }, { path: 'etc/apk/arch', content: `${arch}\n` }] : []),
    { path: 'etc/os-release', content: `NAME="${options.distro}"\nID=${options.distro.toLowerCase().split(' ')[0]}\n${options.release}PRETTY_NAME="${options.distro}"\n` },
    { path: `etc/${options.marker}`, content: line() + line() + line() + line() },
    { path: 'etc/hostname', content: 'localhost\n' },
    { path: 'etc/hosts', content: '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost\n' },
    { path: 'etc/passwd', content: 'root:x:0:0:root:/root:/bin/sh\ndaemon:x:2:2:daemon:/sbin:/sbin/nologin\nnobody:x:65534:65534:nobody:/:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' },
    { path: 'etc/group', content: 'root:x:0:root\ndaemon:x:2:root,daemon\nnogroup:x:65534:\nnonroot:x:65532:\n' },
    { path: 'etc/shadow', content: 'root:*::0:::::\nnobody:!::0:::::\n', mode: 0o640 },
    { path: 'etc/shells', content: '/bin/sh\n/bin/ash\n' },
    { path: 'etc/profile', content: 'export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\nfor script in /etc/profile.d/*.sh ; do . "$script"; done\n' },
    { path: 'etc/profile.d/color_prompt.sh', content: "PS1='\\h:\\w\\$ '\n" },
    { path: 'etc/ssl/openssl.cnf', content: line('# ') + line('# ') + line('# ') },
    { path: 'etc/mtab', link: 'symlink', linkTarget: '../proc/mounts' },
    { path: 'bin/busybox', content: binary(rng, 2048), mode: 0o755 },
    ...APPLETS.map((name): TarEntry => ({ path: `bin/${name}`, link: 'symlink', linkTarget: '/bin/busybox' })),
    ...SBIN_APPLETS.map((name): TarEntry => ({ path: `sbin/${name}`, link: 'symlink', linkTarget: '/bin/busybox' })),
    { path: `lib/${loader}`, content: binary(rng, 1024), mode: 0o755 },
    { path: `lib/libc.${libc}-${arch}.so.1`, link: 'symlink', linkTarget: loader },
  ];
  for (const [name, version] of LIBS) {
    const major = version.split('.')[0];
    entries.push(
      { path: `usr/lib/${name}.so.${version}`, content: binary(rng, rng.int(200, 700)), mode: 0o755 },
      { path: `usr/lib/${name}.so.${major}`, link: 'symlink', linkTarget: `${name}.so.${version}` },
    );
  }
  // Two names, one file: how distributions ship tools installed under several names.
  entries.push({ path: 'usr/bin/getconf', content: binary(rng, 256), mode: 0o755 }, { path: 'usr/bin/getent', link: 'hardlink', linkTarget: 'usr/bin/getconf' });
  for (const [region, cities] of Object.entries(ZONES)) {
    entries.push({ path: `usr/share/zoneinfo/${region}/` });
    for (const city of cities) entries.push({ path: `usr/share/zoneinfo/${region}/${city}`, content: binary(rng, rng.int(60, 160), 'TZif2') });
  }
  entries.push({ path: 'usr/share/zoneinfo/UTC', content: binary(rng, 114, 'TZif2') }, { path: 'etc/localtime', link: 'symlink', linkTarget: '../usr/share/zoneinfo/UTC' });
  // A certificate bundle's worth of small PEM files, and the hashed names pointing at them.
  entries.push({ path: 'usr/share/ca-certificates/' });
  for (let n = 1; n <= 60; n++) {
    const name = `Example_Root_CA_${String(n).padStart(2, '0')}.crt`;
    entries.push({ path: `usr/share/ca-certificates/${name}`, content: `-----BEGIN CERTIFICATE-----\n${line()}${line()}-----END CERTIFICATE-----\n` });
    entries.push({ path: `etc/ssl/certs/${rng.hex(8)}.0`, link: 'symlink', linkTarget: `/usr/share/ca-certificates/${name}` });
  }
  for (const page of MAN_PAGES) entries.push({ path: `usr/share/man/man1/${page}.1.gz`, content: binary(rng, rng.int(80, 240), '\x1f\x8b') });
  entries.push(
    { path: 'var/cache/debconf/config.dat', content: line('Name: ') + line('Value: ') },
    { path: 'var/cache/debconf/templates.dat', content: line('Template: ') + line('Type: ') + line('Description: ') },
    { path: 'var/log/.keep', content: '' },
    { path: 'var/run', link: 'symlink', linkTarget: '../run' },
  );
  return entries;
}
