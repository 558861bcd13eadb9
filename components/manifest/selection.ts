/**
 * Which child of an index the `?platform=` query parameter selects. A child is addressed by its platform
 * (`linux/arm64`) when that names exactly one non-attestation child, else by its digest: BuildKit gives every
 * attestation the platform `unknown/unknown`, and sparse or odd indexes may repeat a platform.
 */
import type { ChildManifest } from '@/lib/api/types';

/** The value of `?platform=` that selects `child` among `children`. */
export function childKey(child: ChildManifest, children: readonly ChildManifest[]): string {
  const { platform } = child;
  if (platform && !child.attestation && children.filter((c) => c.platform === platform).length === 1) return platform;
  return child.descriptor.digest;
}

/**
 * A platform in the form clients treat as equal (containerd's normalisation): `linux/arm64/v8` is
 * `linux/arm64`, `linux/arm` is `linux/arm/v7`, `x86_64` is `amd64`, `aarch64` is `arm64`.
 */
export function normalizePlatform(platform: string): string {
  const [os = '', rawArch = '', variant] = platform.toLowerCase().split('/');
  const arch = rawArch === 'x86_64' || rawArch === 'x86-64' ? 'amd64' : rawArch === 'aarch64' ? 'arm64' : rawArch;
  if (arch === 'arm64' && (variant === 'v8' || variant === undefined)) return `${os}/arm64`;
  if (arch === 'arm' && variant === undefined) return `${os}/arm/v7`;
  return [os, arch, variant].filter((part) => part !== undefined).join('/');
}

/** The child selected by `param` (a platform, as written or normalised, or a digest), if any. */
export function selectedChild(children: readonly ChildManifest[] | undefined, param: string | null | undefined): ChildManifest | undefined {
  if (!children || !param) return undefined;
  const exact = children.find((child) => childKey(child, children) === param) ?? children.find((c) => c.descriptor.digest === param);
  if (exact) return exact;
  const wanted = normalizePlatform(param);
  const matches = children.filter((c) => !c.attestation && c.platform && normalizePlatform(c.platform) === wanted);
  return matches.length === 1 ? matches[0] : undefined;
}
