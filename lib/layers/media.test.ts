import { describe, expect, it } from 'vitest';
import { layerKind, sniffCodec } from './media';

describe('layerKind', () => {
  it('knows OCI and Docker layer media types, their codecs and foreign variants', () => {
    expect(layerKind('application/vnd.oci.image.layer.v1.tar')).toEqual({ codec: 'tar', foreign: false });
    expect(layerKind('application/vnd.oci.image.layer.v1.tar+gzip')).toEqual({ codec: 'gzip', foreign: false });
    expect(layerKind('application/vnd.oci.image.layer.v1.tar+zstd')).toEqual({ codec: 'zstd', foreign: false });
    expect(layerKind('application/vnd.oci.image.layer.nondistributable.v1.tar+gzip')).toEqual({ codec: 'gzip', foreign: true });
    expect(layerKind('application/vnd.docker.image.rootfs.diff.tar.gzip')).toEqual({ codec: 'gzip', foreign: false });
    expect(layerKind('application/vnd.docker.image.rootfs.foreign.diff.tar.gzip')).toEqual({ codec: 'gzip', foreign: true });
  });

  it('says undefined for everything else', () => {
    expect(layerKind('application/vnd.oci.image.config.v1+json')).toBeUndefined();
    expect(layerKind('application/vnd.in-toto+json')).toBeUndefined();
    expect(layerKind('application/vnd.oci.image.layer.v1.tar+gzip; x=1')).toBeUndefined();
  });
});

describe('sniffCodec', () => {
  it('reads magic numbers', () => {
    expect(sniffCodec(Uint8Array.of(0x1f, 0x8b, 8, 0))).toBe('gzip');
    expect(sniffCodec(Uint8Array.of(0x28, 0xb5, 0x2f, 0xfd))).toBe('zstd');
    expect(sniffCodec(new TextEncoder().encode('etc/'))).toBe('tar');
  });
});
