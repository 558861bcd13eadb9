/**
 * The embedded demo registry on disk: `ensureDemoLayout()` generates the demo into an OCI layout directory
 * (default `data/demo`) on first use and afterwards only checks a marker file, so the server may call it on
 * every start. The content is written to a temp dir next to the target and renamed into place, so a crash
 * or a concurrent start never leaves a half-written demo behind; a marker naming another generator version
 * triggers regeneration.
 */
import 'server-only';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { createLayoutRegistry } from '@/lib/registry/layout';
import { DEMO_GENERATOR_VERSION, generateDemo } from './generate';

/** Marker written last into a complete demo directory. */
export const DEMO_MARKER_FILE = '.porthole-demo.json';

export const DEFAULT_DEMO_DIR = 'data/demo';

export interface DemoMarker {
  generator: 'porthole-demo';
  version: number;
  repositories: number;
  tags: number;
  manifests: number;
  blobs: number;
}

export interface EnsureDemoOptions {
  /** Regenerate even when the marker is current. */
  force?: boolean;
  /** Progress messages (generation only). */
  log?: (message: string) => void;
}

const inFlight = new Map<string, Promise<string>>();
// Temp dirs of a crashed generation older than this are removed on the next run.
const STALE_TEMP_MS = 60 * 60 * 1000;

/** The marker of a demo directory, or undefined when missing or unreadable. */
export async function readDemoMarker(dir: string): Promise<DemoMarker | undefined> {
  try {
    const marker = JSON.parse(await readFile(join(dir, DEMO_MARKER_FILE), 'utf8')) as Partial<DemoMarker>;
    return marker.generator === 'porthole-demo' && typeof marker.version === 'number' ? (marker as DemoMarker) : undefined;
  } catch {
    return undefined;
  }
}

/** True when `dir` holds a complete demo of the current generator version. */
async function isDemoCurrent(dir: string): Promise<boolean> {
  return (await readDemoMarker(dir))?.version === DEMO_GENERATOR_VERSION;
}

/**
 * Makes sure `dir` holds the current demo and returns its absolute path. Cheap when it does (one small file
 * read); generates it otherwise. Concurrent calls in one process share the work.
 */
export function ensureDemoLayout(dir: string = DEFAULT_DEMO_DIR, options: EnsureDemoOptions = {}): Promise<string> {
  // A runtime path chosen by the operator: keep the bundler from tracing the project for it.
  const target = resolve(/*turbopackIgnore: true*/ dir);
  const running = inFlight.get(target);
  if (running) return running;
  const work = ensure(target, options).finally(() => inFlight.delete(target));
  inFlight.set(target, work);
  return work;
}

async function ensure(target: string, options: EnsureDemoOptions): Promise<string> {
  if (!options.force && (await isDemoCurrent(target))) return target;
  const parent = dirname(target);
  const name = basename(target);
  await mkdir(parent, { recursive: true });
  await removeLeftovers(parent, name);

  const started = performance.now();
  const temp = await mkdtemp(join(parent, `.${name}.tmp-`));
  try {
    const registry = createLayoutRegistry(temp, { durable: false });
    const summary = await generateDemo(registry);
    await registry.close();
    const marker: DemoMarker = {
      generator: 'porthole-demo',
      version: DEMO_GENERATOR_VERSION,
      repositories: new Set([...summary.tags.keys()].map((key) => key.slice(0, key.lastIndexOf(':')))).size,
      tags: summary.tags.size,
      manifests: summary.manifests,
      blobs: summary.blobs,
    };
    await writeFile(join(temp, DEMO_MARKER_FILE), JSON.stringify(marker, null, 2) + '\n');
    await swapInto(temp, target, options.force === true);
    options.log?.(
      `demo: generated ${marker.repositories} repositories, ${marker.tags} tags, ${marker.manifests} manifests in ` +
        `${Math.round(performance.now() - started)} ms`,
    );
    return target;
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
}

/** Renames the finished temp dir to `target`, moving an outdated demo aside first. */
async function swapInto(temp: string, target: string, force: boolean): Promise<void> {
  // Another process may have finished first: keep its (equal) result.
  if (!force && (await isDemoCurrent(target))) {
    await rm(temp, { recursive: true, force: true });
    return;
  }
  const old = `${join(dirname(target), `.${basename(target)}.old-`)}${basename(temp).split('-').pop()}`;
  let moved = false;
  try {
    await rename(target, old);
    moved = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  try {
    await rename(temp, target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if ((code === 'ENOTEMPTY' || code === 'EEXIST') && (await isDemoCurrent(target))) {
      await rm(temp, { recursive: true, force: true });
    } else {
      throw error;
    }
  }
  if (moved) await rm(old, { recursive: true, force: true });
}

/** Removes `.NAME.old-*` dirs and `.NAME.tmp-*` dirs of crashed runs (older than an hour). */
async function removeLeftovers(parent: string, name: string): Promise<void> {
  for (const entry of await readdir(parent)) {
    const path = join(parent, entry);
    if (entry.startsWith(`.${name}.old-`)) {
      await rm(path, { recursive: true, force: true });
    } else if (entry.startsWith(`.${name}.tmp-`)) {
      const info = await stat(path).catch(() => undefined);
      if (info && performance.timeOrigin + performance.now() - info.mtimeMs > STALE_TEMP_MS) {
        await rm(path, { recursive: true, force: true });
      }
    }
  }
}
