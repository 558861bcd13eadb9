/**
 * The copy command line (scripts/copy.ts): copies between configured sources with the same checks and audit
 * entry as `POST /api/copy` (lib/server/copy-service.ts), minus the web-only rules (same origin, app auth).
 * On a terminal it draws a progress bar and prints a summary; otherwise (or with `--json`) it prints one JSON
 * line per event and a final `{"type":"result",…}` or `{"type":"error",…}` line — the API's NDJSON stream.
 * Returns the exit code: 0 copied, 1 the copy failed, 2 bad arguments, configuration or references.
 */
import 'server-only';
import { defaultCliUser, startCommand, type CommandIo } from '@/lib/cli/command';
import type { CopyStreamLine } from '@/lib/api/types';
import { RegistryError, toWireErrors } from '@/lib/oci/errors';
import type { CopyEvent, CopyResult } from '@/lib/registry/copy/types';
import { ConfigError } from '@/lib/server/config';
import { parseCopyRequest, prepareCopy, runCopy, type PreparedCopy } from '@/lib/server/copy-service';
import { resetSources } from '@/lib/server/sources';
import { formatBytes } from '@/lib/text/bytes';
import { COPY_USAGE, parseCopyArgs, type CopyCliArgs } from './cli-args';
import { progressLine } from './progress-bar';

export interface CopyCliIo extends CommandIo {
  /** Whether stdout is a terminal (progress bar) or not (JSON lines). */
  isTTY: boolean;
}

function summary(result: CopyResult): string {
  const { sent, skipped, mounted } = result.blobs;
  const at = result.tag !== undefined ? ` (tag ${result.tag})` : '';
  return (
    `copied ${result.digest}${at}: ${result.manifests.length} manifests (${result.referrers.length} referrers), ` +
    `blobs ${sent} sent, ${skipped} skipped, ${mounted} mounted, ${formatBytes(result.bytesSent)} sent`
  );
}

function errorLine(error: unknown): CopyStreamLine {
  return { type: 'error', error: toWireErrors(error).body.errors[0]! };
}

/** Checks the references and the destination; exit code 2 for what the user must fix. */
async function prepare(args: CopyCliArgs, io: CopyCliIo): Promise<PreparedCopy | number> {
  try {
    const request = parseCopyRequest({ from: args.from, to: args.to, referrers: args.referrers, ...(args.platforms.length ? { platforms: args.platforms } : {}) });
    return await prepareCopy(request, args.user ?? defaultCliUser());
  } catch (error) {
    if (error instanceof ConfigError) io.stderr(`${error.message}\n`);
    else if (error instanceof RegistryError) io.stderr(`${error.code}: ${error.message}\n`);
    else throw error;
    return 2;
  }
}

/** Runs the command; never throws. */
export async function runCopyCli(argv: readonly string[], io: CopyCliIo): Promise<number> {
  const args = startCommand(argv, io, parseCopyArgs, COPY_USAGE);
  if (typeof args === 'number') return args;
  const lines = args.json || !io.isTTY;
  const print = (line: CopyStreamLine) => io.stdout(`${JSON.stringify(line)}\n`);
  try {
    const prepared = await prepare(args, io);
    if (typeof prepared === 'number') return prepared;
    const onEvent = (event: CopyEvent) => {
      if (lines) print(event);
      else if (event.type === 'progress') io.stdout(`\r${progressLine(event)}`);
    };
    try {
      const result = await runCopy(prepared, { onEvent });
      if (lines) print({ type: 'result', ...result });
      else io.stdout(`\n${summary(result)}\n`);
      return 0;
    } catch (error) {
      if (lines) print(errorLine(error));
      else io.stdout('\n');
      io.stderr(`copy failed: ${error instanceof RegistryError ? `${error.code}: ` : ''}${error instanceof Error ? error.message : String(error)}\n`);
      return 1;
    }
  } catch (error) {
    io.stderr(`copy failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    await resetSources();
  }
}
