/**
 * Upload sessions of the `/v2` server: each session stages its bytes in a temp file under
 * `<dataDir>/uploads/`, written as chunks arrive (never held in memory), and is handed to the backend only
 * when the client completes it with a digest. Sessions live on `globalThis` (Next.js bundles route code into
 * several chunks, and a session opened through one must be found through another), expire after a time idle,
 * and are capped in number. Files of sessions a previous process left behind are removed on first use.
 */
import 'server-only';
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { RegistryError } from '@/lib/oci/errors';

export interface UploadSession {
  readonly id: string;
  /** The full repository name (`<source>/<repo>`) the session was opened for. */
  readonly name: string;
  readonly path: string;
  /** Bytes staged so far. */
  size: number;
  /** Last use (ms since epoch), for expiry. */
  touched: number;
  /** A request is reading or writing the staged file. */
  busy: boolean;
}

interface Registry {
  sessions: Map<string, UploadSession>;
  /** Directories already cleaned of files left by earlier processes. */
  cleaned: Set<string>;
  timer?: NodeJS.Timeout;
}

const KEY = Symbol.for('porthole.registry.server.uploads');

function global(): Registry {
  const scope = globalThis as Record<symbol, unknown>;
  let state = scope[KEY] as Registry | undefined;
  if (!state) {
    state = { sessions: new Map(), cleaned: new Set() };
    scope[KEY] = state;
  }
  return state;
}

function unknownUpload(): RegistryError {
  return new RegistryError('BLOB_UPLOAD_UNKNOWN', 'blob upload unknown to registry (it may have expired)');
}

export interface UploadStoreOptions {
  dir: string;
  ttlMs: number;
  max: number;
}

/** The upload sessions of one staging directory (all instances share the process-wide session table). */
export class UploadStore {
  constructor(private readonly options: UploadStoreOptions) {}

  private get state(): Registry {
    return global();
  }

  /** Opens a session with an empty staging file. Throws TOOMANYREQUESTS when too many are open. */
  async create(name: string): Promise<UploadSession> {
    await this.sweep();
    await this.prepareDir();
    const open_ = [...this.state.sessions.values()].filter((s) => s.path.startsWith(this.options.dir));
    if (open_.length >= this.options.max) {
      throw new RegistryError('TOOMANYREQUESTS', `too many uploads in progress (${this.options.max}); finish or cancel some`);
    }
    const id = randomUUID();
    const path = join(this.options.dir, `${id}.part`);
    const handle = await open(path, 'wx', 0o600);
    await handle.close();
    const session: UploadSession = { id, name, path, size: 0, touched: Date.now(), busy: false };
    this.state.sessions.set(id, session);
    this.ensureTimer();
    return session;
  }

  /** The session `id` of repository `name`. Throws BLOB_UPLOAD_UNKNOWN (also for another repository's id). */
  get(name: string, id: string): UploadSession {
    const session = this.state.sessions.get(id);
    if (!session || session.name !== name || this.expired(session)) throw unknownUpload();
    session.touched = Date.now();
    return session;
  }

  /**
   * Runs `task` with the session marked busy, so that two requests never write one staging file at once
   * (the second gets BLOB_UPLOAD_INVALID).
   */
  async exclusive<T>(session: UploadSession, task: () => Promise<T>): Promise<T> {
    if (session.busy) throw new RegistryError('BLOB_UPLOAD_INVALID', 'another request is using this upload');
    session.busy = true;
    try {
      return await task();
    } finally {
      session.busy = false;
      session.touched = Date.now();
    }
  }

  /**
   * Appends a request body to the staging file. Throws SIZE_INVALID (413) once the session would exceed
   * `maxBytes`; on any failure the file is cut back, so a broken chunk leaves the session as it was.
   */
  async append(session: UploadSession, body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<number> {
    if (!body) return 0;
    const start = session.size;
    const handle = await open(session.path, 'r+');
    let written = 0;
    try {
      for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
        if (start + written + chunk.byteLength > maxBytes) {
          throw new RegistryError('SIZE_INVALID', `blob is larger than this registry accepts (${maxBytes} bytes)`, { status: 413 });
        }
        for (let offset = 0; offset < chunk.byteLength; ) {
          offset += (await handle.write(chunk, offset, chunk.byteLength - offset, start + written + offset)).bytesWritten;
        }
        written += chunk.byteLength;
        session.touched = Date.now();
      }
      session.size = start + written;
      return written;
    } catch (error) {
      await handle.truncate(start).catch(() => undefined);
      throw error;
    } finally {
      await handle.close();
    }
  }

  /** Cuts the staging file back to `size` bytes (a chunk that turned out not to match its headers). */
  async truncate(session: UploadSession, size: number): Promise<void> {
    const handle = await open(session.path, 'r+');
    try {
      await handle.truncate(size);
      session.size = size;
    } finally {
      await handle.close();
    }
  }

  /** The staged bytes as a web stream. */
  read(session: UploadSession): ReadableStream<Uint8Array> {
    return Readable.toWeb(createReadStream(session.path)) as ReadableStream<Uint8Array>;
  }

  /** Ends a session and removes its file. */
  async remove(session: UploadSession): Promise<void> {
    this.state.sessions.delete(session.id);
    await rm(session.path, { force: true }).catch(() => undefined);
  }

  private expired(session: UploadSession): boolean {
    return !session.busy && Date.now() - session.touched > this.options.ttlMs;
  }

  /** Drops expired sessions of every store (they share one table) and removes their files. */
  async sweep(): Promise<void> {
    const expired = [...this.state.sessions.values()].filter((session) => this.expired(session));
    await Promise.all(expired.map((session) => this.remove(session)));
  }

  private ensureTimer(): void {
    if (this.state.timer) return;
    const period = Math.max(1000, Math.min(60_000, Math.floor(this.options.ttlMs / 4)));
    this.state.timer = setInterval(() => {
      void this.sweep();
      if (this.state.sessions.size === 0 && this.state.timer) {
        clearInterval(this.state.timer);
        delete this.state.timer;
      }
    }, period);
    this.state.timer.unref();
  }

  /** Creates the staging directory; once per process, removes stale files an earlier process left there. */
  private async prepareDir(): Promise<void> {
    const { dir, ttlMs } = this.options;
    await mkdir(dir, { recursive: true, mode: 0o700 });
    if (this.state.cleaned.has(dir)) return;
    this.state.cleaned.add(dir);
    const known = new Set([...this.state.sessions.values()].map((s) => s.path));
    for (const entry of await readdir(dir)) {
      const path = join(dir, entry);
      if (!entry.endsWith('.part') || known.has(path)) continue;
      const info = await stat(path).catch(() => undefined);
      if (info && Date.now() - info.mtimeMs > ttlMs) await rm(path, { force: true }).catch(() => undefined);
    }
  }
}
