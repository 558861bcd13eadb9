/**
 * The disk tier of the content store: one file per key under `root` (`key-path.ts`), bounded by `maxBytes` with
 * least-recently-used eviction. Writes are atomic (a temporary file in `root/tmp`, then a rename), so a crash
 * leaves either the whole entry or none; reads are verified by the tiered store above (a corrupted file is
 * deleted through {@link ContentStore.delete} and fetched again).
 *
 * The index (key → size, in access order) lives in memory and is rebuilt on start by scanning the files, oldest
 * modification time first; a read sets the file's modification time (at most once a minute per entry), so the
 * order survives a restart without relying on `atime` (often disabled).
 *
 * Writes are held back while puts keep coming (write-behind): a cold tag view puts thousands of small entries, and
 * creating a file costs the kernel 0.03–0.8 ms on the benchmark machine, on the same two cores that serve the
 * view and run the registry (about 1 s of a 6.6 s cold view, measured with and without the tier). Held entries are
 * served from memory, written once puts pause for `quietMs`, or at once beyond `maxPendingEntries` /
 * `maxPendingBytes` (beyond twice those a put waits for the writes), and written synchronously when the process
 * exits (`npm start` and `next start` exit on SIGTERM/SIGINT). Only a crash (SIGKILL, out of memory) loses
 * them: they are fetched again.
 */
import 'server-only';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rename as renameWithCallback, renameSync, rmSync, writeFile as writeFileWithCallback, writeFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, utimes } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import type { ContentStore } from '@/lib/registry/cache/content-store';
import { ByteLru } from './byte-lru';
import { keyOfRelativePath, relativePathOf } from './key-path';

export interface DiskTierOptions {
  /** Directory of the entries (created when missing), e.g. `data/cache`. */
  root: string;
  /** Bound on the bytes of the entries on disk (entries waiting to be written are bounded apart). */
  maxBytes: number;
  /** Held writes start once no put came for this long (ms; default {@link QUIET_MS}). */
  quietMs?: number;
  /** Beyond this many held entries, the oldest are written at once (default {@link MAX_PENDING_ENTRIES}). */
  maxPendingEntries?: number;
  /** Beyond this many held bytes, the oldest are written at once (default {@link MAX_PENDING_BYTES}). */
  maxPendingBytes?: number;
  /** Called with the error of a held write that failed (the entry is dropped: it is fetched again). */
  onWriteError?: (error: unknown) => void;
  /**
   * When the process last did work someone waits for (`Date.now()` clock; the server passes its last registry
   * answer or API request, `lib/server/server-activity.ts`): held writes also wait until that is `quietMs` ago, as
   * for puts.
   */
  activeAt?: () => number;
}

/** What a disk tier adds to a content store. */
export interface DiskTier extends ContentStore {
  /** Resolves once the index is rebuilt from the files. */
  ready: Promise<void>;
  /** Bytes of the entries kept and held. */
  bytes(): number;
  /** Writes every held entry; resolves when they are all on disk. */
  flush(): Promise<void>;
}

/** In the background, each write is followed by a pause this many times as long as the write took. */
const BACKGROUND_PAUSE_FACTOR = 4;
const MAX_BACKGROUND_PAUSE_MS = 50;
const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** Puts pausing this long (ms) let held entries be written. */
export const QUIET_MS = 250;
/**
 * Beyond this many entries waiting to be written, the oldest are written at once (and beyond twice as many a put
 * waits for them): a cold view of 2,000 tags puts about 6,500 (3,250 manifests
 * and configs, as many presence records), written after it ends. The synchronous write at exit of a full
 * queue took 0.2–1 s on the benchmark machine (up to 7 s while its disk was slow to create files), inside the
 * 10 s that `docker stop` gives.
 */
export const MAX_PENDING_ENTRIES = 8192;
export const MAX_PENDING_BYTES = 16 * 1024 * 1024;

/** A read refreshes an entry's modification time only when the last refresh is older than this. */
const TOUCH_INTERVAL_MS = 60_000;
const TEMPORARY = 'tmp';
/** Temporary names: unique per process without a random draw per write. */
const TEMPORARY_PREFIX = `${process.pid}-${randomBytes(6).toString('hex')}-`;
let temporaryCount = 0;

// A cold view writes thousands of small entries, on the thread that also serves every registry request.
// fs/promises' writeFile opens a FileHandle (an object per file, tracked for closing and transfer); the callback
// API works on a plain descriptor: about 40% less main-thread time per write, measured over 3,500 1.5 KB entries.
const writeEntry = promisify(writeFileWithCallback);
const renameEntry = promisify(renameWithCallback);

/**
 * Entries up to this size are read synchronously. A view after a restart reads about 2,500 small files (manifests,
 * configs and their presence records, 0.3–3 KB); from the page cache a synchronous read took 12 µs of CPU against
 * 55–63 µs through fs/promises (open, stat, read and close each a promise and a thread-pool round trip, plus the
 * async hooks Next.js installs), measured over 6,000 reads of 1.8 KB. Larger entries (layer tables of contents)
 * are read asynchronously, so a slow disk cannot hold the event loop for long.
 */
export const SYNC_READ_MAX_BYTES = 64 * 1024;

/** A small entry's bytes, read synchronously, in memory of their own (a pooled slice would pin 8 KB per entry). */
function readSmallEntry(file: string): Uint8Array {
  const bytes = readFileSync(file);
  return bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes);
}

interface Found {
  key: string;
  size: number;
  mtimeMs: number;
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

/** Temporary files older than this are leftovers of writes a crash interrupted; younger ones may be another process's. */
const LEFTOVER_AGE_MS = 60_000;

/** Removes the leftovers of interrupted writes from `dir`, leaving writes another process may be making. */
async function removeLeftovers(dir: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const now = Date.now();
  await Promise.all(
    names.map(async (name) => {
      const info = await stat(join(dir, name)).catch(() => undefined);
      if (info && now - info.mtimeMs > LEFTOVER_AGE_MS) await rm(join(dir, name), { recursive: true, force: true });
    }),
  );
}

/** Every entry file below `root` (temporary files excluded), unordered. */
async function scan(root: string): Promise<Found[]> {
  const found: Found[] = [];
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch((error: unknown) => {
    if (isMissing(error)) return [];
    throw error;
  });
  await Promise.all(
    entries.map(async (entry) => {
      if (!entry.isFile()) return;
      const key = keyOfRelativePath(relative(root, join(entry.parentPath, entry.name)));
      if (!key) return;
      const info = await stat(join(entry.parentPath, entry.name)).catch(() => undefined);
      if (info) found.push({ key, size: info.size, mtimeMs: info.mtimeMs });
    }),
  );
  return found;
}

/** Writes held entries synchronously; what a tier registers for the process's exit. */
type SyncFlush = () => void;

interface ExitHolder {
  /** Tiers holding entries not yet written. */
  waiting: Set<SyncFlush>;
  hooked: boolean;
}

// Process-wide (Next.js bundles server code into several chunks): one exit listener for every tier.
const EXIT_KEY = Symbol.for('porthole.server.disk-tier.exit');
const exitHolder: ExitHolder = ((globalThis as Record<symbol, unknown>)[EXIT_KEY] as ExitHolder | undefined) ?? { waiting: new Set(), hooked: false };
(globalThis as Record<symbol, unknown>)[EXIT_KEY] = exitHolder;

/**
 * Writes every disk tier's held entries now, synchronously: on the process's exit, and before a store is built
 * again on the same directory (a new tier's index is read from the files).
 */
export function flushHeldWritesSync(): void {
  for (const flush of [...exitHolder.waiting]) flush();
}

function waitForExit(flush: SyncFlush): void {
  exitHolder.waiting.add(flush);
  if (exitHolder.hooked) return;
  exitHolder.hooked = true;
  process.once('exit', flushHeldWritesSync);
}

export function diskTier(options: DiskTierOptions): DiskTier {
  const { root, maxBytes } = options;
  const quietMs = options.quietMs ?? QUIET_MS;
  const maxPendingEntries = options.maxPendingEntries ?? MAX_PENDING_ENTRIES;
  const maxPendingBytes = options.maxPendingBytes ?? MAX_PENDING_BYTES;
  const onWriteError = options.onWriteError ?? (() => undefined);
  const activeAt = options.activeAt ?? (() => 0);
  /** Reports a failed write; a reporter that throws must not break the writes (or the exit). */
  const report = (error: unknown) => {
    try {
      onWriteError(error);
    } catch {
      // Nothing more to do: the entry is dropped either way.
    }
  };
  /** Key → when the file's modification time was last set (ms). */
  const index = new ByteLru<number>(maxBytes);
  const fileOf = (key: string) => join(root, relativePathOf(key));
  /** Directories known to exist (saves two `mkdir` calls per write; a removed one is made again on failure). */
  const made = new Set<string>();
  async function ensureDir(dir: string): Promise<void> {
    if (made.has(dir)) return;
    await mkdir(dir, { recursive: true });
    made.add(dir);
  }
  const temporaryFile = () => join(root, TEMPORARY, `${TEMPORARY_PREFIX}${temporaryCount++}`);

  async function remove(keys: readonly string[]): Promise<void> {
    await Promise.all(keys.map((key) => rm(fileOf(key), { force: true })));
  }

  const ready = (async () => {
    await removeLeftovers(join(root, TEMPORARY));
    const found = await scan(root);
    found.sort((a, b) => a.mtimeMs - b.mtimeMs);
    const evicted: string[] = [];
    for (const entry of found) evicted.push(...index.set(entry.key, entry.mtimeMs, entry.size));
    await remove(evicted);
  })();
  // A failed scan (unreadable directory) makes every call fail, which the tiered store counts as a miss.
  ready.catch(() => undefined);

  /** Entries put but not written yet, oldest first. */
  const held = new Map<string, Uint8Array>();
  let heldBytes = 0;
  let lastPut = 0;
  const busy = () => Date.now() - Math.max(lastPut, activeAt()) < quietMs;
  let timer: NodeJS.Timeout | undefined;
  let draining: Promise<void> | undefined;
  /** The key being written by {@link write}, and keys deleted while they were. */
  let writing: string | undefined;
  const deletedWhileWriting = new Set<string>();

  function release(key: string): void {
    const bytes = held.get(key);
    if (!bytes) return;
    held.delete(key);
    heldBytes -= bytes.byteLength;
    if (held.size === 0) exitHolder.waiting.delete(flushSync);
  }

  const overBound = () => held.size > maxPendingEntries || heldBytes > maxPendingBytes;
  /** Twice the bounds: a put waits for the writes (the disk is slower than the registry) instead of holding more. */
  const overHardBound = () => held.size > 2 * maxPendingEntries || heldBytes > 2 * maxPendingBytes;

  async function write(key: string, bytes: Uint8Array): Promise<void> {
    const file = fileOf(key);
    const temporary = temporaryFile();
    writing = key;
    try {
      await ensureDir(dirname(temporary));
      await writeEntry(temporary, bytes);
      await ensureDir(dirname(file));
      await renameEntry(temporary, file);
    } catch (error) {
      made.clear();
      deletedWhileWriting.delete(key);
      await rm(temporary, { force: true });
      throw error;
    } finally {
      writing = undefined;
    }
    // Deleted while being written, and not put again since (nor written at exit): the rename may have come after
    // the delete removed the file, which must not outlive the delete. (Put again, the bytes are the same: keys
    // name their content.)
    if (deletedWhileWriting.delete(key) && !held.has(key) && index.peek(key) === undefined) {
      await rm(file, { force: true });
      return;
    }
    release(key);
    // An eviction that fails to remove its file leaves it to the next start's scan, which evicts it again.
    await remove(index.set(key, Date.now(), bytes.byteLength)).catch(() => undefined);
  }

  /** Writes held entries, oldest first; unless `all`, stops when puts or other work resume and the bounds hold. */
  function drain(all: boolean): Promise<void> {
    draining ??= (async () => {
      try {
        await ready;
        // A Map's iteration sees entries added while it runs and skips the ones deleted.
        for (const [key, bytes] of held) {
          if (!all && !overBound() && busy()) break;
          const started = performance.now();
          await write(key, bytes).catch((error: unknown) => {
            release(key);
            report(error);
          });
          // In the background, a write is followed by a pause four times as long: the writes take at most a
          // fifth of the time, so the next view, page or keystroke right after a cold view is not slowed (a
          // catalog read then took 1.46x its time with the writes back to back). Beyond the bound there is none.
          if (!all && !overBound()) await pause(Math.min(BACKGROUND_PAUSE_FACTOR * (performance.now() - started), MAX_BACKGROUND_PAUSE_MS));
        }
      } finally {
        draining = undefined;
        if (held.size > 0) schedule();
      }
    })();
    return draining;
  }

  function schedule(): void {
    if (timer || draining) return;
    timer = setTimeout(() => {
      timer = undefined;
      if (busy()) schedule();
      else void drain(false).catch(report);
    }, quietMs);
    timer.unref();
  }

  function flushSync(): void {
    for (const [key, bytes] of held) {
      const temporary = temporaryFile();
      try {
        mkdirSync(dirname(temporary), { recursive: true });
        writeFileSync(temporary, bytes);
        const file = fileOf(key);
        mkdirSync(dirname(file), { recursive: true });
        renameSync(temporary, file);
        for (const evicted of index.set(key, Date.now(), bytes.byteLength)) rmSync(fileOf(evicted), { force: true });
      } catch (error) {
        try {
          rmSync(temporary, { force: true });
        } catch {
          // Left for the next start to remove.
        }
        // One report, then stop: a full or read-only disk would fail every other entry the same way.
        report(error);
        break;
      }
    }
    held.clear();
    heldBytes = 0;
    exitHolder.waiting.delete(flushSync);
  }

  return {
    name: 'disk',
    ready,
    bytes: () => index.bytes + heldBytes,
    async flush() {
      while (held.size > 0 || draining) await (draining ?? drain(true));
    },
    async get(key) {
      const waiting = held.get(key);
      if (waiting) {
        // Read, so the most recently used: moved last, it is written (and indexed) after the others.
        held.delete(key);
        held.set(key, waiting);
        return waiting;
      }
      await ready;
      const file = fileOf(key);
      const touched = index.get(key);
      if (touched === undefined) return undefined;
      let bytes: Uint8Array;
      try {
        bytes = index.sizeOf(key)! <= SYNC_READ_MAX_BYTES ? readSmallEntry(file) : await readFile(file);
      } catch (error) {
        if (!isMissing(error)) throw error;
        index.delete(key);
        return undefined;
      }
      const now = Date.now();
      if (now - touched > TOUCH_INTERVAL_MS) {
        index.set(key, now, bytes.byteLength);
        const time = new Date(now);
        void utimes(file, time, time).catch(() => undefined);
      }
      return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    },
    async put(key, bytes) {
      fileOf(key); // refuses a key outside the grammar now, not when the write is due
      await ready;
      if (bytes.byteLength > maxBytes) return;
      // Keys name their content, so an entry already kept needs no second write (after a restart every tag
      // read would otherwise rewrite its manifest). A damaged file is replaced after its next read fails.
      if (index.peek(key) !== undefined || held.has(key)) return;
      held.set(key, bytes);
      heldBytes += bytes.byteLength;
      lastPut = Date.now();
      waitForExit(flushSync);
      if (!overBound()) return schedule();
      const writes = drain(false);
      if (overHardBound()) await writes;
      else writes.catch(report);
    },
    async delete(key) {
      // After `ready`, like put: a put and a delete of one key in the same tick end in the order they were made.
      await ready;
      if (writing === key) deletedWhileWriting.add(key);
      release(key);
      index.delete(key);
      await rm(fileOf(key), { force: true });
    },
  };
}
