/** Command-line options of `npm run bench` (pure parsing, so it is testable). */

export type Part = 'direct' | 'naive' | 'skopeo' | 'api' | 'catalog' | 'ui' | 'limited';
export const PARTS: readonly Part[] = ['direct', 'naive', 'skopeo', 'api', 'catalog', 'ui', 'limited'];

/**
 * Named data sets. `large` is issue 16's scale check: a 20,000-tag repository over 5,500 top-level manifests
 * (about 10,000 manifests with the index children), for cold and warm times, requests and the server's peak memory.
 */
export const PRESETS = {
  default: { tags: 2000, manifests: 500 },
  large: { tags: 20_000, manifests: 5500 },
} as const;
export type Preset = keyof typeof PRESETS;

export interface BenchOptions {
  /** The data set named by `--preset` (explicit `--tags`/`--manifests` after it override it). */
  preset: Preset;
  /** Repetitions of the fast measurements (direct, app cold/warm, catalog). */
  runs: number;
  /** Repetitions of the slow ones (naive, browser). */
  slowRuns: number;
  skopeoTags: number;
  delayMs: number;
  tags: number;
  manifests: number;
  repositories: number;
  /** Requests in flight of the direct reference (default 8). */
  concurrency: number;
  /** The app source's `concurrency`: `auto` (default) or a fixed number. */
  sourceConcurrency: number | 'auto';
  /** Part `limited`: a second proxy answers 429 above this many requests in flight (default 16). */
  rateLimit: number;
  /**
   * Part `limited` also measures the app behind a third proxy whose 429s say `Retry-After: <this>` seconds
   * (default 1); the first one's 429s carry no `Retry-After`.
   */
  retryAfterSeconds: number;
  /** `auto` builds when `.next` is missing or older than the sources. */
  build: 'auto' | 'always' | 'never';
  parts: Set<Part>;
  /** JSON output path; default `bench/results/<date>.json`. */
  out?: string;
  help: boolean;
}

export const USAGE = `npm run bench -- [options]
  --runs N          repetitions of fast measurements (default 5)
  --slow-runs N     repetitions of naive and browser measurements (default 3)
  --skopeo-tags N   tags inspected with skopeo (default 100)
  --delay MS        added latency per registry request (default 20)
  --tags N --manifests N --repositories N   data set (default 2000 / 500 / 5000)
  --preset NAME     a named data set: default (2000 tags / 500 manifests) or large (20000 / 5500);
                    options after it override it
  --concurrency N   requests in flight of the direct reference (default 8)
  --source-concurrency auto|N   the app source's concurrency (default auto)
  --rate-limit N    part "limited": a proxy that answers 429 above N requests in flight (default 16);
                    the app (cold) and the direct reference at N go through it
  --retry-after S   part "limited" also measures the app behind the same limit with 429s that carry
                    Retry-After: S seconds (default 1)
  --build | --no-build   force or skip 'next build' (default: when sources are newer than .next)
  --only a,b        run only these parts: ${PARTS.join(', ')}
  --skip a,b        skip these parts
  --out FILE        JSON output (default bench/results/<date>.json)`;

function positive(name: string, value: string | undefined, min = 1): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} needs an integer ≥ ${min} (got ${value ?? 'nothing'})`);
  return n;
}

function partList(name: string, value: string | undefined): Part[] {
  const list = (value ?? '').split(',').map((p) => p.trim()).filter(Boolean);
  for (const p of list) if (!PARTS.includes(p as Part)) throw new Error(`${name}: unknown part "${p}" (parts: ${PARTS.join(', ')})`);
  return list as Part[];
}

export function parseArgs(argv: readonly string[]): BenchOptions {
  const options: BenchOptions = {
    preset: 'default',
    runs: 5,
    slowRuns: 3,
    skopeoTags: 100,
    delayMs: 20,
    tags: 2000,
    manifests: 500,
    repositories: 5000,
    concurrency: 8,
    sourceConcurrency: 'auto',
    rateLimit: 16,
    retryAfterSeconds: 1,
    build: 'auto',
    parts: new Set(PARTS),
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--runs':
        options.runs = positive(flag, value());
        break;
      case '--slow-runs':
        options.slowRuns = positive(flag, value());
        break;
      case '--skopeo-tags':
        options.skopeoTags = positive(flag, value());
        break;
      case '--delay':
        options.delayMs = positive(flag, value(), 0);
        break;
      case '--tags':
        options.tags = positive(flag, value());
        break;
      case '--preset': {
        const name = value();
        if (name !== 'default' && name !== 'large') throw new Error(`--preset: unknown preset "${name ?? ''}" (presets: ${Object.keys(PRESETS).join(', ')})`);
        options.preset = name;
        Object.assign(options, PRESETS[name]);
        break;
      }
      case '--manifests':
        options.manifests = positive(flag, value());
        break;
      case '--repositories':
        options.repositories = positive(flag, value(), 2);
        break;
      case '--concurrency':
        options.concurrency = positive(flag, value());
        break;
      case '--source-concurrency': {
        const v = value();
        options.sourceConcurrency = v === 'auto' ? 'auto' : positive(flag, v);
        break;
      }
      case '--rate-limit':
        options.rateLimit = positive(flag, value());
        break;
      case '--retry-after':
        options.retryAfterSeconds = positive(flag, value(), 0);
        break;
      case '--build':
        options.build = 'always';
        break;
      case '--no-build':
        options.build = 'never';
        break;
      case '--only':
        options.parts = new Set(partList(flag, value()));
        break;
      case '--skip':
        for (const p of partList(flag, value())) options.parts.delete(p);
        break;
      case '--out':
        options.out = value();
        if (!options.out) throw new Error('--out needs a file name');
        break;
      case '-h':
      case '--help':
        options.help = true;
        break;
      default:
        throw new Error(`unknown option ${arg}\n${USAGE}`);
    }
  }
  return options;
}
