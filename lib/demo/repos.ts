/**
 * The smaller demo repositories, each showing one kind of content a registry browser must render:
 * a 3-platform web image with a full supply chain, Docker schema2 images and manifest lists, monthly data
 * jobs with SBOMs, an old Docker-only app, ML model artifacts, a Helm chart, and short-lived CI images.
 */
import 'server-only';
import { Annotation } from '@/lib/oci/media-types';
import type { Descriptor, Platform } from '@/lib/oci/types';
import { ALPINE, AMD64, ARM64, ARMV7, BUSYBOX, DISTROLESS, I386, PATH_ENV, at, filler, ociLabels } from './bases';
import type { BuiltImage, DemoBuilder, ImageOptions } from './builder';
import { minus } from './builder';
import { createTar, gzip } from './tar';
import { attachSupplyChain, sign } from './supply-chain';

/** `platform/web`: nginx-style frontend, linux/amd64 + arm64 + arm/v7 indexes with attestations and referrers. */
export async function generatePlatformWeb(b: DemoBuilder): Promise<void> {
  const repo = 'platform/web';
  const rng = b.rng.fork(repo);
  const versions = ['1.0.0', '1.1.0', '1.2.0', '1.2.1', '1.3.0', '1.4.0', '1.5.0', '1.6.0'];
  let last: Descriptor | undefined;
  for (const [i, version] of versions.entries()) {
    const created = at(10 + i * 20, 16, rng.int(0, 59));
    const revision = rng.hex(40);
    const children: Descriptor[] = [];
    const attestations: Descriptor[] = [];
    for (const platform of [AMD64, ARM64, ARMV7]) {
      const image = await b.image(repo, {
        platform,
        created,
        base: ALPINE,
        steps: [
          { createdBy: 'RUN /bin/sh -c apk add --no-cache nginx # buildkit', comment: 'buildkit.dockerfile.v0', mtime: '2026-01-06T00:00:00Z', files: [{ path: 'etc/nginx/' }, { path: 'etc/nginx/nginx.conf', content: filler(b.rng.fork(`web/nginx/${platform.architecture}`), 6, '# ') }] },
          { createdBy: 'COPY dist/ /usr/share/nginx/html/ # buildkit', comment: 'buildkit.dockerfile.v0', files: [{ path: 'usr/share/nginx/html/' }, { path: 'usr/share/nginx/html/index.html', content: `<!doctype html><title>web ${version}</title>\n` + filler(rng, 5, '<!-- ') }] },
          { createdBy: 'EXPOSE map[8080/tcp:{}]', comment: 'buildkit.dockerfile.v0' },
          { createdBy: 'USER 101', comment: 'buildkit.dockerfile.v0' },
          { createdBy: 'STOPSIGNAL SIGQUIT', comment: 'buildkit.dockerfile.v0' },
          { createdBy: 'CMD ["nginx", "-g", "daemon off;"]', comment: 'buildkit.dockerfile.v0' },
        ],
        config: {
          User: '101',
          ExposedPorts: { '8080/tcp': {} },
          Env: [PATH_ENV, 'NGINX_PORT=8080'],
          Cmd: ['nginx', '-g', 'daemon off;'],
          StopSignal: 'SIGQUIT',
          Labels: ociLabels(repo, version, revision, created, 'Web frontend of the example platform'),
        },
      });
      children.push(image.descriptor);
      attestations.push(await b.attestation(repo, image, { name: repo, version, created, revision }));
    }
    last = await b.index(repo, [...children, ...attestations], {
      tag: version,
      annotations: { [Annotation.Created]: created, [Annotation.Version]: version, [Annotation.BaseName]: ALPINE.name },
    });
    if (i >= versions.length - 2) await attachSupplyChain(b, repo, last, `${repo}:${version}`, created, revision);
  }
  await b.tag(repo, last!.digest, 'latest');
  await b.tag(repo, last!.digest, '1.6');
  await b.tag(repo, last!.digest, '1');
}

/** One Docker schema2 image of `repo` (tagged when `tag` is given): what the Docker-format repositories share. */
function dockerImage(
  b: DemoBuilder,
  repo: string,
  platform: Platform,
  created: string,
  tag: string | undefined,
  spec: Pick<ImageOptions, 'base' | 'author' | 'steps' | 'config'>,
): Promise<BuiltImage> {
  return b.image(repo, { platform, created, format: 'docker', ...spec, ...(tag ? { tag } : {}) });
}

/** `tools/cli`: Docker schema2 images in Docker manifest lists (as `docker buildx --output oci-mediatypes=false`). */
export async function generateToolsCli(b: DemoBuilder): Promise<void> {
  const repo = 'tools/cli';
  const rng = b.rng.fork(repo);
  const image = (platform: Platform, version: string, created: string, tag?: string) =>
    dockerImage(b, repo, platform, created, tag, {
      base: DISTROLESS,
      steps: [
        { createdBy: `COPY porthole-cli-${platform.architecture} /usr/local/bin/pcli # buildkit`, comment: 'buildkit.dockerfile.v0', files: [{ path: 'usr/local/bin/' }, { path: 'usr/local/bin/pcli', content: `pcli ${version}\n` + filler(rng, 6), mode: 0o755 }] },
        { createdBy: 'ENTRYPOINT ["/usr/local/bin/pcli"]', comment: 'buildkit.dockerfile.v0' },
        { createdBy: 'CMD ["--help"]', comment: 'buildkit.dockerfile.v0' },
      ],
      config: { Env: [PATH_ENV], Entrypoint: ['/usr/local/bin/pcli'], Cmd: ['--help'], User: '65532', Labels: { 'org.opencontainers.image.version': version } },
    });
  await image(AMD64, '0.9.0', at(3, 11), 'v0.9.0');
  let list: Descriptor | undefined;
  for (const [i, version] of ['1.0.0', '1.1.0', '1.2.0'].entries()) {
    const created = at(20 + i * 45, 12, rng.int(0, 59));
    const children: Descriptor[] = [];
    for (const platform of [AMD64, ARM64, ARMV7]) children.push((await image(platform, version, created)).descriptor);
    list = await b.index(repo, children, { docker: true, tag: `v${version}` });
  }
  await b.tag(repo, list!.digest, 'latest');
}

/** `legacy/app`: old Docker schema2 images (busybox based) and a Docker manifest list with linux/386. */
export async function generateLegacyApp(b: DemoBuilder): Promise<void> {
  const repo = 'legacy/app';
  const rng = b.rng.fork(repo);
  const image = (platform: Platform, version: string, created: string, tag?: string) =>
    dockerImage(b, repo, platform, created, tag, {
      base: BUSYBOX,
      author: 'ops@example.com',
      steps: [
        { createdBy: '/bin/sh -c #(nop)  MAINTAINER ops@example.com' },
        { createdBy: `/bin/sh -c #(nop) COPY file:${rng.hex(64)} in /opt/app/ `, files: [{ path: 'opt/app/' }, { path: 'opt/app/run.sh', content: `#!/bin/sh\n# legacy ${version}\n` + filler(rng, 5, '# '), mode: 0o755 }] },
        { createdBy: '/bin/sh -c chmod +x /opt/app/run.sh', files: [{ path: 'opt/app/.built', content: `${version}\n` }] },
        { createdBy: '/bin/sh -c #(nop)  EXPOSE 8000/tcp' },
        { createdBy: '/bin/sh -c #(nop)  CMD ["/opt/app/run.sh"]' },
      ],
      config: { Env: [PATH_ENV, 'LEGACY_MODE=1'], Cmd: ['/opt/app/run.sh'], ExposedPorts: { '8000/tcp': {} }, Labels: null },
    });
  const first = await image(AMD64, '1.0', at(0, 9), '1.0');
  await image(AMD64, '1.1', at(4, 9), '1.1');
  await image(AMD64, '1.2', at(9, 9), '1.2');
  await image(AMD64, '1.2.1', at(11, 9), '1.2.1');
  await b.tag(repo, first.descriptor.digest, 'deprecated');
  const children = [(await image(AMD64, '2.0', at(15, 9))).descriptor, (await image(I386, '2.0', at(15, 9))).descriptor];
  await b.index(repo, children, { docker: true, tag: '2.0' });
}

/** `ml/models/classifier`: model artifacts (not images) with titled layers, signed. */
export async function generateClassifier(b: DemoBuilder): Promise<void> {
  const repo = 'ml/models/classifier';
  const rng = b.rng.fork(repo);
  let last: Descriptor | undefined;
  for (const [i, tag] of ['v1', 'v2', 'v3'].entries()) {
    const created = at(30 + i * 50, 13);
    const weights = new Uint8Array(rng.int(300, 600)).map(() => rng.int(0, 255));
    last = await b.artifact(repo, {
      artifactType: 'application/vnd.example.ml.model.v1',
      config: { mediaType: 'application/vnd.example.ml.model.config.v1+json', content: JSON.stringify({ framework: 'onnx', opset: 17, classes: 12 + i * 4, accuracy: 0.91 + i * 0.02 }) },
      layers: [
        { mediaType: 'application/vnd.example.ml.model.weights.v1', content: weights, annotations: { [Annotation.Title]: 'model.onnx' } },
        { mediaType: 'text/plain', content: Array.from({ length: 12 + i * 4 }, (_, k) => `class-${k}`).join('\n') + '\n', annotations: { [Annotation.Title]: 'labels.txt' } },
        { mediaType: 'application/json', content: JSON.stringify({ accuracy: 0.91 + i * 0.02, f1: 0.88 + i * 0.02 }), annotations: { [Annotation.Title]: 'metrics.json' } },
      ],
      annotations: { [Annotation.Created]: created, [Annotation.Version]: tag, [Annotation.Title]: 'classifier' },
      tag,
    });
    await sign(b, repo, last, minus(created, -60));
  }
  await b.tag(repo, last!.digest, 'latest');
}

/** `charts/platform`: Helm charts as OCI artifacts (`helm push` media types). */
export async function generateHelmChart(b: DemoBuilder): Promise<void> {
  const repo = 'charts/platform';
  for (const [i, version] of ['0.1.0', '0.2.0', '0.3.0', '0.3.1'].entries()) {
    const created = at(25 + i * 35, 15);
    const chart = { apiVersion: 'v2', name: 'platform', version, appVersion: `${i + 1}.0.0`, description: 'The example platform', type: 'application' };
    const tarball = gzip(createTar([
      { path: 'platform/' },
      { path: 'platform/Chart.yaml', content: Object.entries(chart).map(([k, v]) => `${k}: ${v}`).join('\n') + '\n' },
      { path: 'platform/values.yaml', content: `replicaCount: ${i + 1}\nimage:\n  repository: registry.example.com/platform/api\n` },
    ], Date.parse(created) / 1000));
    await b.artifact(repo, {
      artifactType: 'application/vnd.cncf.helm.config.v1+json',
      config: { mediaType: 'application/vnd.cncf.helm.config.v1+json', content: JSON.stringify(chart) },
      layers: [{ mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip', content: tarball }],
      annotations: { [Annotation.Created]: created, [Annotation.Version]: version, [Annotation.Title]: 'platform' },
      tag: version,
    });
  }
}

/** `ci/builds`: short-lived pull-request and branch images, most of them stale. */
export async function generateCiBuilds(b: DemoBuilder): Promise<void> {
  const repo = 'ci/builds';
  const rng = b.rng.fork(repo);
  const image = (created: string, label: string, tag: string) =>
    b.image(repo, {
      platform: AMD64,
      created,
      base: ALPINE,
      steps: [
        { createdBy: 'COPY . /src # buildkit', comment: 'buildkit.dockerfile.v0', files: [{ path: 'src/' }, { path: 'src/BUILD', content: `${label}\n` + filler(rng, 4) }] },
        { createdBy: 'RUN /bin/sh -c make test # buildkit', comment: 'buildkit.dockerfile.v0', files: [{ path: 'src/report.xml', content: filler(rng, 3, '<!-- ') }] },
        { createdBy: 'CMD ["make", "run"]', comment: 'buildkit.dockerfile.v0' },
      ],
      config: { Env: [PATH_ENV, `CI_LABEL=${label}`], Cmd: ['make', 'run'], WorkingDir: '/src', Labels: { 'com.example.ci.pipeline': String(rng.int(10000, 99999)) } },
      tag,
    });
  for (let pr = 101; pr <= 140; pr++) await image(at((pr - 101) * 4, rng.int(8, 18), rng.int(0, 59)), `pr-${pr}`, `pr-${pr}`);
  for (let i = 0; i < 15; i++) {
    const sha = rng.hex(40);
    const created = at(100 + i * 5, 12, rng.int(0, 59));
    await image(created, `main-${sha.slice(0, 7)}`, `main-${sha.slice(0, 7)}`);
  }
}
