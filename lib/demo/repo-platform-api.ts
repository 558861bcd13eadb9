/**
 * `platform/api`: the big repository (300+ tags), the one cleanup policies are tried on. Semver releases
 * (multi-platform OCI indexes with BuildKit attestations) with floating `major`/`major.minor` tags and
 * `latest`/`stable`; daily `build-YYYYMMDD-N` images with `ci-<sha>` aliases; a `nightly` tag that moved
 * every night (leaving untagged manifests behind); supply-chain referrers on the newest releases.
 */
import 'server-only';
import { Annotation } from '@/lib/oci/media-types';
import type { Descriptor, Platform } from '@/lib/oci/types';
import { mapConcurrent } from '@/lib/registry/iter';
import { ALPINE, AMD64, ARM64, PATH_ENV, at, filler, ociLabels, ymd } from './bases';
import type { BuiltImage, DemoBuilder, Step } from './builder';
import { attachSupplyChain } from './supply-chain';

export const API_REPO = 'platform/api';

interface Release {
  version: string;
  day: number;
}

/** Version plan: 1.x in January, 2.x February to April, 3.x May and June, then 3.5.0 release candidates. */
function releasePlan(b: DemoBuilder): Release[] {
  const rng = b.rng.fork('api/plan');
  const minors = [8, 12, 5];
  const releases: Release[] = [];
  const spans = [[0, 26], [27, 115], [116, 168]] as const;
  minors.forEach((count, major) => {
    const versions: string[] = [];
    for (let minor = 0; minor < count; minor++) {
      const patches = rng.int(0, 3);
      for (let patch = 0; patch <= patches; patch++) versions.push(`${major + 1}.${minor}.${patch}`);
    }
    const [from, to] = spans[major]!;
    versions.forEach((version, i) => releases.push({ version, day: from + ((to - from) * i) / versions.length }));
  });
  releases.push({ version: '3.5.0-rc.1', day: 170 }, { version: '3.5.0-rc.2', day: 173 });
  return releases;
}

function apiSteps(b: DemoBuilder, platform: Platform, version: string, revision: string): Step[] {
  const major = version.split('.')[0]!;
  return [
    {
      createdBy: 'RUN /bin/sh -c apk add --no-cache ca-certificates tzdata # buildkit',
      comment: 'buildkit.dockerfile.v0',
      files: [{ path: 'etc/ssl/certs/' }, { path: 'etc/ssl/certs/ca-certificates.crt', content: filler(b.rng.fork('api/certs'), 8, '-----') }],
      mtime: '2026-01-05T09:00:00Z',
    },
    { createdBy: 'ENV APP_ENV=production', comment: 'buildkit.dockerfile.v0' },
    { createdBy: 'WORKDIR /app', comment: 'buildkit.dockerfile.v0' },
    {
      createdBy: 'COPY config/ /app/config/ # buildkit',
      comment: 'buildkit.dockerfile.v0',
      files: [{ path: 'app/config/' }, { path: 'app/config/default.yaml', content: `apiVersion: v${major}\n` + filler(b.rng.fork(`api/config/${major}`), 5, '# ') }],
      mtime: `2026-0${major}-01T00:00:00Z`,
    },
    {
      createdBy: `COPY /out/api-${platform.architecture} /app/api # buildkit`,
      comment: 'buildkit.dockerfile.v0',
      files: [{ path: 'app/api', content: `api ${version} ${revision}\n` + filler(b.rng.fork(`api/bin/${version}/${revision}/${platform.architecture}`), 7), mode: 0o755 }],
    },
    { createdBy: 'USER 65532:65532', comment: 'buildkit.dockerfile.v0' },
    { createdBy: 'EXPOSE map[8080/tcp:{}]', comment: 'buildkit.dockerfile.v0' },
    { createdBy: 'ENTRYPOINT ["/app/api"]', comment: 'buildkit.dockerfile.v0' },
    { createdBy: 'CMD ["serve", "--config", "/app/config/default.yaml"]', comment: 'buildkit.dockerfile.v0' },
  ];
}

async function apiImage(b: DemoBuilder, platform: Platform, version: string, revision: string, created: string, tag?: string): Promise<BuiltImage> {
  return b.image(API_REPO, {
    platform,
    created,
    base: ALPINE,
    steps: apiSteps(b, platform, version, revision),
    config: {
      User: '65532:65532',
      ExposedPorts: { '8080/tcp': {} },
      Env: [PATH_ENV, 'APP_ENV=production', `APP_VERSION=${version}`],
      Entrypoint: ['/app/api'],
      Cmd: ['serve', '--config', '/app/config/default.yaml'],
      WorkingDir: '/app',
      Labels: ociLabels(API_REPO, version, revision, created, 'Public HTTP API of the example platform'),
    },
    ...(tag ? { tag } : {}),
  });
}

/** Concurrent pushes: the layout backend fsyncs every file, so overlapping them matters. */
const CONCURRENCY = 8;

/** Generates `platform/api`. Every random value is drawn up front, so concurrent pushes keep it deterministic. */
export async function generatePlatformApi(b: DemoBuilder): Promise<void> {
  const rng = b.rng.fork('api');
  const releases = releasePlan(b).map((release) => ({ ...release, created: at(release.day, 14, rng.int(0, 59)), revision: rng.hex(40) }));
  const published = new Map<string, Descriptor>();

  await mapConcurrent(releases, CONCURRENCY / 2, async (release, i) => {
    const { version, created, revision } = release;
    const images = await Promise.all([AMD64, ARM64].map((platform) => apiImage(b, platform, version, revision, created)));
    const attestations = await Promise.all(images.map((image) => b.attestation(API_REPO, image, { name: API_REPO, version, created, revision })));
    const index = await b.index(API_REPO, [...images.map((image) => image.descriptor), ...attestations], {
      tag: version,
      annotations: {
        [Annotation.Created]: created,
        [Annotation.Version]: version,
        'org.opencontainers.image.revision': revision,
        [Annotation.Source]: `https://git.example.com/${API_REPO}`,
        [Annotation.BaseName]: ALPINE.name,
      },
    });
    published.set(version, index);
    if (i >= releases.length - 4) await attachSupplyChain(b, API_REPO, index, `${API_REPO}:${version}`, created, revision);
  });

  // Floating tags, as release pipelines push them: `1`, `1.7`, …, `latest` (newest final), `stable` (previous minor).
  const finals = releases.filter((r) => !r.version.includes('-')).map((r) => r.version);
  const newestOf = (prefix: string): string => finals.filter((v) => v.startsWith(prefix)).at(-1)!;
  const floating = new Map<string, string>();
  for (const version of finals) {
    const [major, minor] = version.split('.');
    floating.set(major!, newestOf(`${major}.`));
    floating.set(`${major}.${minor}`, newestOf(`${major}.${minor}.`));
  }
  const latest = finals.at(-1)!;
  floating.set('latest', latest);
  const latestMinor = latest.split('.').slice(0, 2).join('.');
  floating.set('stable', finals.filter((v) => !v.startsWith(`${latestMinor}.`)).at(-1)!);
  await mapConcurrent([...floating], CONCURRENCY, ([tag, version]) => b.tag(API_REPO, published.get(version)!.digest, tag));

  // CI builds on most weekdays; many also carry a `ci-<sha>` tag.
  const builds: { created: string; revision: string; tag: string; ci: boolean }[] = [];
  for (let day = 0; day < 176; day++) {
    if (day % 7 >= 5 || !rng.chance(0.8)) continue;
    const count = rng.int(1, 2);
    for (let n = 1; n <= count; n++) {
      const created = at(day, 8 + n * 3, rng.int(0, 59));
      builds.push({ created, revision: rng.hex(40), tag: `build-${ymd(created)}-${n}`, ci: rng.chance(0.6) });
    }
  }
  await mapConcurrent(builds, CONCURRENCY, async (build) => {
    const image = await apiImage(b, AMD64, `0.0.0-${build.tag}`, build.revision, build.created, build.tag);
    if (build.ci) await b.tag(API_REPO, image.descriptor.digest, `ci-${build.revision.slice(0, 7)}`);
  });

  // `nightly` moved every night of the last two weeks: the older nightlies are now untagged.
  const nightlies = Array.from({ length: 14 }, (_, i) => ({ created: at(162 + i, 2, 0), revision: rng.hex(40) }));
  const pushed = await mapConcurrent(nightlies, CONCURRENCY, (night) => apiImage(b, AMD64, `0.0.0-nightly.${ymd(night.created)}`, night.revision, night.created));
  await b.tag(API_REPO, pushed.at(-1)!.descriptor.digest, 'nightly');
}
