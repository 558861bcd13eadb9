/**
 * Base images and content helpers of the demo: the bottom layers many demo images share (so the demo shows
 * deduplicated layers across tags and repositories), a fixed timeline, and pseudo file contents.
 */
import type { Platform } from '@/lib/oci/types';
import type { BaseImage, Step } from './builder';
import { createPrng, type Prng } from './prng';
import { rootfsEntries, type RootfsOptions } from './rootfs';

/** Day 0 of the demo timeline. Every date in the demo is this plus an offset: no clock is read. */
export const BASE_DATE = Date.parse('2026-01-05T00:00:00Z');

/** ISO 8601 time `day` days (fractional allowed) after {@link BASE_DATE}, plus hours and minutes. */
export function at(day: number, hour = 10, minute = 0): string {
  return new Date(BASE_DATE + ((day * 24 + hour) * 60 + minute) * 60_000).toISOString().replace('.000Z', 'Z');
}

/** `yyyymmdd` of an ISO date. */
export function ymd(iso: string): string {
  return iso.slice(0, 10).replace(/-/g, '');
}

export const AMD64: Platform = { os: 'linux', architecture: 'amd64' };
export const ARM64: Platform = { os: 'linux', architecture: 'arm64', variant: 'v8' };
export const ARMV7: Platform = { os: 'linux', architecture: 'arm', variant: 'v7' };
export const I386: Platform = { os: 'linux', architecture: '386' };

export const PATH_ENV = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** `lines` lines of pseudo-random text (a few hundred bytes in all), standing in for file contents. */
export function filler(rng: Prng, lines: number, prefix = ''): string {
  let out = '';
  for (let i = 0; i < lines; i++) out += `${prefix}${rng.hex(8)} ${rng.hex(rng.int(16, 40))}\n`;
  return out;
}

function archName(platform: Platform): string {
  if (platform.architecture === 'amd64') return 'x86_64';
  if (platform.architecture === 'arm64') return 'aarch64';
  if (platform.architecture === 'arm') return 'armv7';
  return 'x86';
}

/** Root filesystem steps by distribution and architecture: built once, so every image shares the array (and the layer). */
const rootfsSteps = new Map<string, Step>();

function rootfsStep(distro: string, file: string, platform: Platform, extra: string, libc: RootfsOptions['libc']): Step {
  const arch = archName(platform);
  const key = `${distro}/${arch}`;
  let step = rootfsSteps.get(key);
  if (!step) {
    const rng = createPrng(`base/${key}`);
    step = {
      createdBy: `/bin/sh -c #(nop) ADD file:${rng.hex(64)} in / `,
      files: rootfsEntries({ distro, release: extra, arch, marker: file, libc }, rng.fork('rootfs')),
    };
    rootfsSteps.set(key, step);
  }
  return step;
}

export const ALPINE: BaseImage = {
  name: 'docker.io/library/alpine:3.21',
  created: '2026-01-02T18:20:41Z',
  steps: (platform) => [
    rootfsStep('Alpine Linux', 'apk/world', platform, 'VERSION_ID=3.21.2\n', 'musl'),
    { createdBy: '/bin/sh -c #(nop)  CMD ["/bin/sh"]' },
  ],
};

export const DEBIAN: BaseImage = {
  name: 'docker.io/library/debian:bookworm-slim',
  created: '2025-12-29T00:00:00Z',
  steps: (platform) => [
    { ...rootfsStep('Debian GNU/Linux', 'debian_version', platform, 'VERSION_ID="12"\nVERSION_CODENAME=bookworm\n', 'glibc'), createdBy: '# debian.sh --arch ' + platform.architecture + " out/ 'bookworm' '@1735430400'", comment: 'debuerreotype 0.15' },
    { createdBy: 'CMD ["bash"]', comment: 'buildkit.dockerfile.v0' },
  ],
};

export const DISTROLESS: BaseImage = {
  name: 'gcr.io/distroless/static-debian12:nonroot',
  created: '2026-01-01T00:00:00Z',
  steps: (platform) => [
    { ...rootfsStep('Distroless', 'nsswitch.conf', platform, 'VERSION_ID="12"\n', 'glibc'), createdBy: 'bazel build //base:static_nonroot_' + platform.architecture + '_debian12' },
  ],
};

/** A scratch-like base for old Docker images that carry everything in their own layers. */
export const BUSYBOX: BaseImage = {
  name: 'docker.io/library/busybox:1.36',
  created: '2026-01-03T07:10:00Z',
  steps: (platform) => [
    { ...rootfsStep('BusyBox', 'busybox-release', platform, '', 'musl'), createdBy: '/bin/sh -c #(nop) ADD file:busybox-1.36.1 in / ' },
    { createdBy: '/bin/sh -c #(nop)  CMD ["sh"]' },
  ],
};

/** OCI standard labels for an image of `repo`. */
export function ociLabels(repo: string, version: string, revision: string, created: string, description: string): Record<string, string> {
  return {
    'org.opencontainers.image.created': created,
    'org.opencontainers.image.description': description,
    'org.opencontainers.image.licenses': 'Apache-2.0',
    'org.opencontainers.image.revision': revision,
    'org.opencontainers.image.source': `https://git.example.com/${repo}`,
    'org.opencontainers.image.title': repo.split('/').pop() ?? repo,
    'org.opencontainers.image.vendor': 'Example Corp',
    'org.opencontainers.image.version': version,
  };
}
