/**
 * `data/etl/worker`: monthly single-platform OCI images on Debian, each with an SBOM referrer; the
 * repository the compare page is shown on. `2026.05` → `2026.06` differs the way real releases do: a changed
 * configuration file (`etc/etl/settings.toml`), an added binary (`usr/local/bin/etl-export`), a grown
 * directory (a new Python package in `site-packages`, in a `tar+zstd` layer), a file removed by a whiteout
 * and a directory emptied by an opaque whiteout in a later layer, and new environment, port and command.
 */
import 'server-only';
import { Annotation } from '@/lib/oci/media-types';
import { AMD64, DEBIAN, PATH_ENV, at, filler, ociLabels } from './bases';
import { minus, type DemoBuilder, type Step } from './builder';
import type { Prng } from './prng';
import { binary } from './rootfs';
import { attachSbom } from './supply-chain';
import type { TarEntry } from './tar';

const REPO = 'data/etl/worker';
const TAGS = ['2026.01', '2026.02', '2026.03', '2026.04', '2026.05', '2026.06', '2026.06-hotfix1'];
const SITE = 'usr/local/lib/python3.11/site-packages';

/** A Python package as pip leaves it: modules, a compiled extension of `soSize` bytes, its dist-info. */
function pythonPackage(rng: Prng, name: string, version: string, modules: string[], soSize: number): TarEntry[] {
  return [
    { path: `${SITE}/${name}/` },
    { path: `${SITE}/${name}/__init__.py`, content: `"""${name} ${version}"""\n__version__ = "${version}"\n` },
    ...modules.map((module) => ({ path: `${SITE}/${name}/${module}.py`, content: filler(rng, rng.int(4, 12), '# ') })),
    { path: `${SITE}/${name}/_lib.cpython-311-x86_64-linux-gnu.so`, content: binary(rng, soSize), mode: 0o755 },
    { path: `${SITE}/${name}-${version}.dist-info/` },
    { path: `${SITE}/${name}-${version}.dist-info/METADATA`, content: `Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\n` },
    { path: `${SITE}/${name}-${version}.dist-info/RECORD`, content: modules.map((m) => `${name}/${m}.py,sha256=${rng.hex(43)},${rng.int(100, 900)}\n`).join('') },
  ];
}

/** `etc/etl/settings.toml` as of a release: three generations, the last one adds an export section. */
function settings(generation: number): string {
  const base = `[source]\nurl = "postgres://etl@db.internal:5432/events"\nbatch_size = ${generation >= 2 ? 5000 : 1000}\n\n[sink]\nbucket = "s3://example-warehouse/events"\nformat = "${generation >= 3 ? 'parquet' : 'csv'}"\n`;
  const retries = generation >= 2 ? '\n[retry]\nattempts = 5\nbackoff = "exponential"\n' : '';
  const exporter = generation >= 3 ? '\n[export]\nenabled = true\nbinary = "/usr/local/bin/etl-export"\nmetrics_port = 9102\n' : '';
  return `# ETL worker settings\n${base}${retries}${exporter}`;
}

/** Generates `data/etl/worker`. */
export async function generateEtlWorker(b: DemoBuilder): Promise<void> {
  const rng = b.rng.fork(REPO);
  // Built once: every release shares these file lists, so their layers are shared too.
  const pythonFiles: TarEntry[] = [{ path: 'usr/lib/python3/' }, { path: 'usr/lib/python3/README', content: filler(b.rng.fork('etl/python'), 8) }];
  const requirements: TarEntry[] = [{ path: 'srv/' }, { path: 'srv/requirements.txt', content: 'pandas==2.3.1\npyarrow==21.0.0\nsqlalchemy==2.0.41\n' }];
  const packagesRng = b.rng.fork('etl/site-packages');
  const sitePackages: TarEntry[] = [
    { path: 'usr/local/' }, { path: 'usr/local/lib/' }, { path: 'usr/local/lib/python3.11/' }, { path: `${SITE}/` },
    ...pythonPackage(packagesRng, 'pandas', '2.3.1', ['core', 'io', 'api', 'util'], 24_000),
    ...pythonPackage(packagesRng, 'pyarrow', '21.0.0', ['lib', 'parquet', 'compute'], 32_000),
    ...pythonPackage(packagesRng, 'sqlalchemy', '2.0.41', ['engine', 'orm', 'sql'], 8_000),
  ];
  const duckdb: TarEntry[] = [{ path: `${SITE}/` }, ...pythonPackage(b.rng.fork('etl/duckdb'), 'duckdb', '1.3.2', ['connection', 'typing', 'functional'], 120_000)];
  const exporter: TarEntry[] = [{ path: 'usr/local/bin/' }, { path: 'usr/local/bin/etl-export', content: binary(b.rng.fork('etl/export'), 48_000), mode: 0o755 }];
  const settingsFiles = [1, 2, 3].map((generation): TarEntry[] => [{ path: 'etc/etl/' }, { path: 'etc/etl/settings.toml', content: settings(generation) }]);

  for (const [i, tag] of TAGS.entries()) {
    const created = at(Math.min(i, 5) * 30 + (i === 6 ? 12 : 2), 6, rng.int(0, 59));
    const revision = rng.hex(40);
    const june = i >= 5;
    const generation = i < 3 ? 1 : june ? 3 : 2;
    const etl: TarEntry[] = [{ path: 'srv/etl/' }, { path: 'srv/etl/main.py', content: `# release ${tag}\n` + filler(rng, 6, '# ') }];
    // May's release copied a one-off import script that June's build removes again.
    if (i >= 4) etl.push({ path: 'srv/etl/legacy_import.py', content: '# one-off import of the 2025 archive\n' + filler(rng, 4, '# ') });
    const steps: Step[] = [
      { createdBy: 'RUN /bin/sh -c apt-get update && apt-get install -y --no-install-recommends python3 python3-pip && rm -rf /var/lib/apt/lists/* # buildkit', comment: 'buildkit.dockerfile.v0', mtime: '2026-01-06T00:00:00Z', files: pythonFiles },
      { createdBy: 'COPY requirements.txt /srv/ # buildkit', comment: 'buildkit.dockerfile.v0', files: requirements, mtime: '2026-01-06T00:00:00Z' },
      { createdBy: 'RUN /bin/sh -c pip install --no-cache-dir -r /srv/requirements.txt # buildkit', comment: 'buildkit.dockerfile.v0', files: sitePackages, mtime: '2026-01-06T00:00:00Z' },
      { createdBy: 'COPY settings.toml /etc/etl/ # buildkit', comment: 'buildkit.dockerfile.v0', files: settingsFiles[generation - 1]!, mtime: at([0, 90, 150][generation - 1]!) },
      { createdBy: 'COPY etl/ /srv/etl/ # buildkit', comment: 'buildkit.dockerfile.v0', files: etl },
    ];
    if (june) {
      steps.push(
        { createdBy: 'RUN /bin/sh -c pip install --no-cache-dir duckdb==1.3.2 # buildkit', comment: 'buildkit.dockerfile.v0', files: duckdb, mtime: at(150), compression: 'zstd' },
        { createdBy: 'COPY --from=build /out/etl-export /usr/local/bin/ # buildkit', comment: 'buildkit.dockerfile.v0', files: exporter, mtime: at(150) },
        {
          createdBy: 'RUN /bin/sh -c rm -rf /var/cache/debconf /srv/etl/legacy_import.py && mkdir /var/cache/debconf # buildkit',
          comment: 'buildkit.dockerfile.v0',
          files: [{ path: 'srv/etl/' }, { path: 'srv/etl/.wh.legacy_import.py', content: '' }, { path: 'var/cache/debconf/' }, { path: 'var/cache/debconf/.wh..wh..opq', content: '' }],
        },
      );
    }
    steps.push(
      { createdBy: 'ENV PYTHONUNBUFFERED=1', comment: 'buildkit.dockerfile.v0' },
      ...(june ? [{ createdBy: 'ENV ETL_EXPORT_FORMAT=parquet', comment: 'buildkit.dockerfile.v0' }, { createdBy: 'EXPOSE map[9102/tcp:{}]', comment: 'buildkit.dockerfile.v0' }] : []),
      { createdBy: 'VOLUME [/data]', comment: 'buildkit.dockerfile.v0' },
      { createdBy: 'ENTRYPOINT ["python3", "-m", "etl"]', comment: 'buildkit.dockerfile.v0' },
      ...(june ? [{ createdBy: 'CMD ["run", "--all"]', comment: 'buildkit.dockerfile.v0' }] : []),
    );
    const image = await b.image(REPO, {
      platform: AMD64,
      created,
      base: DEBIAN,
      steps,
      config: {
        Env: [PATH_ENV, 'PYTHONUNBUFFERED=1', ...(june ? ['ETL_EXPORT_FORMAT=parquet'] : [])],
        Entrypoint: ['python3', '-m', 'etl'],
        ...(june ? { Cmd: ['run', '--all'], ExposedPorts: { '9102/tcp': {} } } : {}),
        WorkingDir: '/srv',
        Volumes: { '/data': {} },
        Labels: ociLabels(REPO, tag, revision, created, 'Nightly ETL worker'),
      },
      annotations: { [Annotation.Created]: created, [Annotation.BaseName]: DEBIAN.name },
      tag,
    });
    await attachSbom(b, REPO, image.descriptor, `${REPO}:${tag}`, minus(created, -300));
  }
  // An image pushed by digest only (a failed release job): untagged, for cleanup.
  await b.image(REPO, {
    platform: AMD64,
    created: at(100, 6, 30),
    base: DEBIAN,
    steps: [{ createdBy: 'COPY etl/ /srv/etl/ # buildkit', files: [{ path: 'srv/etl/main.py', content: filler(rng, 4, '# wip ') }] }],
    config: { Env: [PATH_ENV], Entrypoint: ['python3', '-m', 'etl'] },
  });
}
