/**
 * Starts a real registry for integration tests: CNCF distribution 2.8.2 (`/usr/bin/docker-registry`, the
 * Debian package) on 127.0.0.1 with a free port, its own config and storage in a temp dir, and optional
 * Basic (htpasswd, bcrypt) or token auth (a local {@link startTokenIssuer}).
 *
 * Every registry started here is SIGKILLed when the test process exits, so a failing test leaks nothing;
 * tests still call `stop()` in `afterAll`.
 *
 * @see https://github.com/distribution/distribution/blob/v2.8.2/docs/configuration.md
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { exec, execOk, freePort, trackChild, trackTempDir, waitForExit, type ExecResult } from './exec';
import { startTokenIssuer, type TokenIssuer, type TokenIssuerOptions } from './token-issuer';

export const REGISTRY_BINARY = '/usr/bin/docker-registry';

export interface Credentials {
  username: string;
  password: string;
}

export interface RegistryServerOptions {
  /** `none` (default), `basic` (htpasswd) or `token` (JWT issuer started alongside). */
  auth?: 'none' | 'basic' | 'token';
  /** `storage.delete.enabled` (default true). */
  delete?: boolean;
  /** `catalog.maxentries`: the largest `n` the catalog accepts (distribution's default is 1000). */
  maxCatalogEntries?: number;
  /** Users for Basic auth (default one: {@link DEFAULT_BASIC_USER}). For token auth use `token.users`. */
  users?: Credentials[];
  /** Options of the token issuer when `auth` is `token`. */
  token?: TokenIssuerOptions;
  /** `storage.maintenance.readonly.enabled`: pushes and deletes are refused. */
  readOnly?: boolean;
}

export interface GarbageCollectOptions {
  /** `--delete-untagged`: also remove manifests without tags (2.8.2 judges each manifest alone!). */
  deleteUntagged?: boolean;
  /** `--dry-run`: only report. */
  dryRun?: boolean;
}

export interface GarbageCollectResult extends ExecResult {
  /** Blob digests reported as deleted (or eligible, on a dry run). */
  blobs: string[];
  /** Manifests reported as deleted (or eligible), with `--delete-untagged`. */
  manifests: GcManifest[];
}

export interface GcManifest {
  repo: string;
  digest: string;
}

export interface RunningRegistry {
  /** `http://127.0.0.1:PORT` (no trailing slash). */
  url: string;
  /** `127.0.0.1:PORT`, for references and skopeo. */
  host: string;
  port: number;
  configPath: string;
  /** The storage root (`storage.filesystem.rootdirectory`). */
  rootDir: string;
  auth: 'none' | 'basic' | 'token';
  /** A user that may do everything (basic: the first user; token: the first token user). */
  credentials?: Credentials;
  /** The token issuer, when `auth` is `token`. */
  tokenIssuer?: TokenIssuer;
  /** PID of the registry process while it runs. */
  readonly pid: number | undefined;
  /** True while the process runs. */
  readonly running: boolean;
  /** What the registry wrote to stderr so far (last 64 KiB), for diagnosing failures. */
  readonly log: string;
  /** SIGKILLs the registry process at once (requests in flight fail) but keeps its storage and port. */
  halt(): Promise<void>;
  /** Starts the process again on the same port and storage (after `halt()`); resolves when ready. */
  start(): Promise<void>;
  /** `halt()` then `start()`. */
  restart(): Promise<void>;
  /** Kills the process, stops the token issuer and removes every temp dir. Idempotent. */
  stop(): Promise<void>;
  /** Runs `docker-registry garbage-collect` on this registry's config (the registry may keep running). */
  garbageCollect(options?: GarbageCollectOptions): Promise<GarbageCollectResult>;
}

export const DEFAULT_BASIC_USER: Credentials = { username: 'admin', password: 'admin-secret' };

const LOG_LIMIT = 64 * 1024;

/** GET /v2/ once; resolves with the status, or undefined when nothing answers. */
function ping(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/v2/', method: 'GET', agent: false, timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', () => resolve(undefined));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

/** Starts a registry; see {@link RegistryServerOptions}. Rejects (after cleaning up) if it is not ready in 15 s. */
export async function startRegistry(options: RegistryServerOptions = {}): Promise<RunningRegistry> {
  const auth = options.auth ?? 'none';
  const dir = await mkdtemp(join(tmpdir(), 'porthole-registry-'));
  const untrack = trackTempDir(dir);
  const rootDir = join(dir, 'storage');
  const configPath = join(dir, 'config.yml');
  await mkdir(rootDir);

  let tokenIssuer: TokenIssuer | undefined;
  let credentials: Credentials | undefined;
  try {
    const port = await freePort();
    const config: Record<string, unknown> = {
      version: 0.1,
      log: { level: 'error', accesslog: { disabled: true }, formatter: 'text' },
      storage: {
        filesystem: { rootdirectory: rootDir },
        delete: { enabled: options.delete ?? true },
        maintenance: {
          uploadpurging: { enabled: false },
          ...(options.readOnly ? { readonly: { enabled: true } } : {}),
        },
      },
      // A fixed secret keeps upload state valid across restart().
      http: { addr: `127.0.0.1:${port}`, secret: 'porthole-test-secret' },
      ...(options.maxCatalogEntries !== undefined ? { catalog: { maxentries: options.maxCatalogEntries } } : {}),
    };
    if (auth === 'basic') {
      const users = options.users ?? [DEFAULT_BASIC_USER];
      credentials = users[0];
      const lines: string[] = [];
      // distribution only accepts bcrypt entries; MD5 (htpasswd's default) always fails.
      for (const user of users) lines.push((await execOk('htpasswd', ['-Bbn', user.username, user.password])).stdout.trim());
      const htpasswdPath = join(dir, 'htpasswd');
      await writeFile(htpasswdPath, lines.join('\n') + '\n');
      config.auth = { htpasswd: { realm: 'basic-realm', path: htpasswdPath } };
    } else if (auth === 'token') {
      tokenIssuer = await startTokenIssuer(options.token);
      const first = tokenIssuer.users[0];
      if (first) credentials = { username: first.username, password: first.password };
      config.auth = {
        token: {
          realm: tokenIssuer.realm,
          service: tokenIssuer.service,
          issuer: tokenIssuer.issuer,
          rootcertbundle: tokenIssuer.certPath,
        },
      };
    }
    await writeFile(configPath, stringify(config));

    let child: ChildProcess | undefined;
    let log = '';
    let stopped: Promise<void> | undefined;

    const launch = async (): Promise<void> => {
      const proc = spawn(REGISTRY_BINARY, ['serve', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
      trackChild(proc);
      child = proc;
      proc.stderr?.on('data', (chunk: Buffer) => {
        log = (log + chunk.toString('utf8')).slice(-LOG_LIMIT);
      });
      const deadline = Date.now() + 15_000;
      while (Date.now() < deadline) {
        if (proc.exitCode !== null || proc.signalCode !== null) {
          throw new Error(`docker-registry exited early (${proc.exitCode ?? proc.signalCode}): ${log.trim().slice(-2000)}`);
        }
        const status = await ping(port);
        if (status === 200 || status === 401) return;
        await new Promise((r) => setTimeout(r, 20));
      }
      proc.kill('SIGKILL');
      throw new Error(`docker-registry not ready after 15 s: ${log.trim().slice(-2000)}`);
    };

    const halt = async (): Promise<void> => {
      const proc = child;
      if (!proc) return;
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      await waitForExit(proc);
      child = undefined;
    };

    const registry: RunningRegistry = {
      url: `http://127.0.0.1:${port}`,
      host: `127.0.0.1:${port}`,
      port,
      configPath,
      rootDir,
      auth,
      credentials,
      tokenIssuer,
      get pid() {
        return child?.pid;
      },
      get running() {
        return child !== undefined && child.exitCode === null && child.signalCode === null;
      },
      get log() {
        return log;
      },
      halt,
      async start() {
        if (stopped) throw new Error('registry was stopped');
        if (registry.running) return;
        await launch();
      },
      async restart() {
        await halt();
        await registry.start();
      },
      stop() {
        stopped ??= (async () => {
          await halt();
          await tokenIssuer?.stop();
          await rm(dir, { recursive: true, force: true });
          untrack();
        })();
        return stopped;
      },
      async garbageCollect(gc = {}) {
        const args = ['garbage-collect'];
        if (gc.dryRun) args.push('--dry-run');
        if (gc.deleteUntagged) args.push('--delete-untagged');
        args.push(configPath);
        const result = await exec(REGISTRY_BINARY, args);
        if (result.exitCode !== 0) throw new Error(`garbage-collect failed (${result.exitCode}): ${result.stderr.trim()}`);
        return { ...result, ...parseGcOutput(result.stdout + '\n' + result.stderr) };
      },
    };
    try {
      await launch();
    } catch (error) {
      await registry.stop();
      throw error;
    }
    return registry;
  } catch (error) {
    await tokenIssuer?.stop();
    await rm(dir, { recursive: true, force: true });
    untrack();
    throw error;
  }
}

/** Picks blob digests and `{repo, digest}` manifests out of garbage-collect's output (2.8.2 format). */
export function parseGcOutput(output: string): { blobs: string[]; manifests: GcManifest[] } {
  const blobs = new Set<string>();
  const manifests: GcManifest[] = [];
  let repo = '';
  for (const raw of output.split('\n')) {
    const line = raw.trim();
    // Each repository's section starts with a line holding just its name, then "REPO: marking …" lines.
    const marking = /^(\S+): marking /.exec(line);
    if (marking?.[1]) repo = marking[1];
    else if (/^[a-z0-9][a-z0-9._\-/]*$/.test(line)) repo = line;
    const blob = /blob eligible for deletion: (\S+)/.exec(line);
    if (blob?.[1]) blobs.add(blob[1]);
    const manifest = /manifest eligible for deletion: (\S+)/.exec(line);
    if (manifest?.[1]) manifests.push({ repo, digest: manifest[1] });
  }
  return { blobs: [...blobs], manifests };
}
