/**
 * Artifacts attached to images through `subject` (OCI 1.1 referrers): a cosign signature, an SPDX SBOM,
 * SLSA provenance, and a signature on the SBOM — what `cosign sign/attest --registry-referrers-mode=oci-1-1`
 * and `oras attach` produce.
 * @see https://github.com/opencontainers/image-spec/blob/v1.1.1/manifest.md#guidelines-for-artifact-usage
 * @see https://github.com/sigstore/cosign/blob/main/specs/SIGNATURE_SPEC.md
 */
import 'server-only';
import { Annotation } from '@/lib/oci/media-types';
import type { Descriptor } from '@/lib/oci/types';
import { jsonBytes, spdxDocument, type DemoBuilder } from './builder';
import { minus } from './builder';

export const ArtifactType = {
  CosignSignature: 'application/vnd.dev.cosign.artifact.sig.v1+json',
  CosignSimpleSigning: 'application/vnd.dev.cosign.simplesigning.v1+json',
  Spdx: 'application/spdx+json',
  InToto: 'application/vnd.in-toto+json',
} as const;

/** A cosign-style signature of `subject` (simple-signing payload, signature in a layer annotation). */
export async function sign(b: DemoBuilder, repo: string, subject: Descriptor, created: string): Promise<Descriptor> {
  const rng = b.rng.fork(`sig/${repo}/${subject.digest}`);
  const payload = {
    critical: {
      identity: { 'docker-reference': `registry.example.com/${repo}` },
      image: { 'docker-manifest-digest': subject.digest },
      type: 'cosign container image signature',
    },
    optional: { 'porthole.demo/signed-by': 'release-bot@example.com' },
  };
  const signature = Buffer.from(rng.hex(140), 'hex').toString('base64');
  return b.artifact(repo, {
    artifactType: ArtifactType.CosignSignature,
    subject,
    layers: [{
      mediaType: ArtifactType.CosignSimpleSigning,
      content: jsonBytes(payload),
      annotations: { 'dev.cosignproject.cosign/signature': signature },
    }],
    annotations: { [Annotation.Created]: created },
  });
}

/** An SPDX SBOM of `subject` as a referrer artifact. */
export async function attachSbom(b: DemoBuilder, repo: string, subject: Descriptor, name: string, created: string): Promise<Descriptor> {
  const document = spdxDocument(name, created, b.rng.fork(`sbom/${repo}/${subject.digest}`));
  return b.artifact(repo, {
    artifactType: ArtifactType.Spdx,
    subject,
    layers: [{ mediaType: ArtifactType.Spdx, content: jsonBytes(document), annotations: { [Annotation.Title]: 'sbom.spdx.json' } }],
    annotations: { [Annotation.Created]: created, 'dev.sigstore.cosign/predicateType': 'https://spdx.dev/Document' },
  });
}

/** A SLSA v1 provenance statement of `subject` as a referrer artifact. */
async function attachProvenance(b: DemoBuilder, repo: string, subject: Descriptor, created: string, revision: string): Promise<Descriptor> {
  const statement = {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: `registry.example.com/${repo}`, digest: { sha256: subject.digest.slice(7) } }],
    predicateType: 'https://slsa.dev/provenance/v1',
    predicate: {
      buildDefinition: {
        buildType: 'https://actions.github.io/buildtypes/workflow/v1',
        externalParameters: { workflow: { ref: 'refs/heads/main', repository: `https://git.example.com/${repo}`, path: '.github/workflows/release.yml' } },
        resolvedDependencies: [{ uri: `git+https://git.example.com/${repo}@refs/heads/main`, digest: { gitCommit: revision } }],
      },
      runDetails: {
        builder: { id: 'https://github.com/actions/runner/github-hosted' },
        metadata: { invocationId: `https://git.example.com/${repo}/actions/runs/${revision.slice(0, 8)}`, startedOn: minus(created, 240), finishedOn: created },
      },
    },
  };
  return b.artifact(repo, {
    artifactType: ArtifactType.InToto,
    subject,
    layers: [{ mediaType: ArtifactType.InToto, content: jsonBytes(statement), annotations: { 'in-toto.io/predicate-type': 'https://slsa.dev/provenance/v1' } }],
    annotations: { [Annotation.Created]: created, 'dev.sigstore.cosign/predicateType': 'https://slsa.dev/provenance/v1' },
  });
}

/** Signature, SBOM (itself signed) and provenance on `subject`: the full release set. */
export async function attachSupplyChain(b: DemoBuilder, repo: string, subject: Descriptor, name: string, created: string, revision: string): Promise<void> {
  await sign(b, repo, subject, minus(created, -60));
  const sbom = await attachSbom(b, repo, subject, name, minus(created, -90));
  await sign(b, repo, sbom, minus(created, -120));
  await attachProvenance(b, repo, subject, minus(created, -150), revision);
}
