import { describe, expect, it } from 'vitest';
import type { ChildManifest } from '@/lib/api/types';
import { MediaType } from '@/lib/oci/media-types';
import { childKey, normalizePlatform, selectedChild } from './selection';

function child(n: string, platform: string | null, attestation = false): ChildManifest {
  return { descriptor: { mediaType: MediaType.OciManifest, digest: `sha256:${n.repeat(64)}`, size: 1 }, platform, attestation };
}

const amd = child('a', 'linux/amd64');
const arm = child('b', 'linux/arm/v7');
const att1 = child('c', 'unknown/unknown', true);
const att2 = child('d', 'unknown/unknown', true);
const dup1 = child('e', 'linux/s390x');
const dup2 = child('f', 'linux/s390x');
const none = child('0', null);
const all = [amd, arm, att1, att2, dup1, dup2, none];

describe('childKey / selectedChild', () => {
  it('uses the platform when it names exactly one image, the digest otherwise', () => {
    expect(childKey(amd, all)).toBe('linux/amd64');
    expect(childKey(arm, all)).toBe('linux/arm/v7');
    expect(childKey(att1, all)).toBe(att1.descriptor.digest);
    expect(childKey(dup2, all)).toBe(dup2.descriptor.digest);
    expect(childKey(none, all)).toBe(none.descriptor.digest);
  });

  it('round-trips every key and tolerates unknown values', () => {
    for (const c of all) expect(selectedChild(all, childKey(c, all))).toBe(c);
    expect(selectedChild(all, amd.descriptor.digest)).toBe(amd);
    expect(selectedChild(all, 'windows/amd64')).toBeUndefined();
    expect(selectedChild(all, null)).toBeUndefined();
    expect(selectedChild(undefined, 'linux/amd64')).toBeUndefined();
  });
});

describe('normalizePlatform', () => {
  it('treats equivalent spellings alike', () => {
    expect(normalizePlatform('linux/arm64/v8')).toBe('linux/arm64');
    expect(normalizePlatform('linux/aarch64')).toBe('linux/arm64');
    expect(normalizePlatform('linux/arm')).toBe('linux/arm/v7');
    expect(normalizePlatform('linux/arm/v6')).toBe('linux/arm/v6');
    expect(normalizePlatform('Linux/x86_64')).toBe('linux/amd64');
    expect(normalizePlatform('windows/amd64')).toBe('windows/amd64');
  });

  it('lets ?platform=linux/arm64 select a linux/arm64/v8 child, but only when unambiguous', () => {
    const v8 = child('1', 'linux/arm64/v8');
    const amd64 = child('2', 'linux/amd64');
    expect(selectedChild([amd64, v8], 'linux/arm64')).toBe(v8);
    expect(selectedChild([amd64, v8], 'linux/x86_64')).toBe(amd64);
    expect(selectedChild([v8, child('3', 'linux/arm64')], 'linux/aarch64')).toBeUndefined();
  });
});
