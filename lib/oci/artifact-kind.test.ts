import { describe, expect, it } from 'vitest';
import { artifactKind, tagKind } from './artifact-kind';

const HEX64 = '0123456789abcdef'.repeat(4);
const HEX128 = HEX64 + HEX64;

describe('artifactKind', () => {
  it.each([
    ['application/vnd.dev.cosign.artifact.sig.v1+json', 'signature'],
    ['application/vnd.dev.cosign.simplesigning.v1+json', 'signature'],
    ['application/vnd.cncf.notary.signature', 'signature'],
    ['application/vnd.dev.sigstore.bundle.v0.3+json', 'signature'],
    ['application/example.signature', 'signature'],
    ['application/spdx+json', 'sbom'],
    ['text/spdx', 'sbom'],
    ['application/vnd.cyclonedx+json', 'sbom'],
    ['application/vnd.syft+json', 'sbom'],
    ['application/example.sbom', 'sbom'],
    ['application/vnd.slsa.provenance+json', 'provenance'],
    ['application/vnd.in-toto+json', 'attestation'],
    ['application/vnd.dev.cosign.attestation.v1+json', 'attestation'],
    ['application/vnd.cncf.helm.config.v1+json', 'other'],
    ['application/example', 'other'],
  ])('%s → %s', (type, kind) => {
    expect(artifactKind(type)).toBe(kind);
  });

  it('is case-insensitive and handles no type', () => {
    expect(artifactKind('Application/SPDX+JSON')).toBe('sbom');
    expect(artifactKind(undefined)).toBe('other');
    expect(artifactKind('')).toBe('other');
  });

  it('uses the in-toto predicate type of attestations', () => {
    const slsa = { 'in-toto.io/predicate-type': 'https://slsa.dev/provenance/v1' };
    const spdx = { 'in-toto.io/predicate-type': 'https://spdx.dev/Document' };
    const vuln = { 'in-toto.io/predicate-type': 'https://cosign.sigstore.dev/attestation/vuln/v1' };
    expect(artifactKind('application/vnd.in-toto+json', slsa)).toBe('provenance');
    expect(artifactKind('application/vnd.in-toto+json', spdx)).toBe('sbom');
    expect(artifactKind('application/vnd.in-toto+json', vuln)).toBe('attestation');
    expect(artifactKind(undefined, slsa)).toBe('provenance');
    // A sigstore bundle carrying an attestation (as GitHub's artifact attestations do).
    expect(artifactKind('application/vnd.dev.sigstore.bundle.v0.3+json', { 'dev.sigstore.bundle.predicateType': 'https://slsa.dev/provenance/v1' })).toBe(
      'provenance',
    );
    // `cosign attest` records the predicate type under its own key.
    expect(artifactKind('application/vnd.in-toto+json', { 'dev.sigstore.cosign/predicateType': 'https://slsa.dev/provenance/v1' })).toBe(
      'provenance',
    );
    // Predicate annotations do not override an explicit non-attestation type.
    expect(artifactKind('application/vnd.cncf.notary.signature', slsa)).toBe('signature');
  });

  it('recognises BuildKit attestation manifests by their reference type', () => {
    expect(artifactKind(undefined, { 'vnd.docker.reference.type': 'attestation-manifest' })).toBe('attestation');
    expect(artifactKind(undefined, { 'vnd.docker.reference.type': 'builder' })).toBe('other');
  });
});

describe('tagKind', () => {
  it.each([
    [`sha256-${HEX64}`, 'referrers-fallback', `sha256:${HEX64}`],
    [`sha256-${HEX64}.sig`, 'signature', `sha256:${HEX64}`],
    [`sha256-${HEX64}.att`, 'attestation', `sha256:${HEX64}`],
    [`sha256-${HEX64}.sbom`, 'sbom', `sha256:${HEX64}`],
    [`sha512-${HEX128}`, 'referrers-fallback', `sha512:${HEX128}`],
    [`sha512-${HEX128}.sig`, 'signature', `sha512:${HEX128}`],
  ])('%s is %s', (name, kind, subjectDigest) => {
    expect(tagKind(name)).toEqual({ kind, subjectDigest });
  });

  it.each([
    'latest',
    `sha256-${HEX64}.6fe828b32b9b4572.meta`,
    `sha256-${HEX64}.meta`,
    `sha256-${HEX64.slice(1)}`,
    `sha256-${HEX64.toUpperCase()}`,
    `sha512-${HEX64}`,
    `sha256-${HEX64}.sig.bak`,
  ])('%s is an ordinary tag', (name) => {
    expect(tagKind(name)).toEqual({ kind: 'tag' });
  });
});
