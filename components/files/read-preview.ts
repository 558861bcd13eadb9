/**
 * Reads the start of a file from the files API for the viewer: at most {@link PREVIEW_BYTES}, and only the
 * first chunk (at least 64 KiB) when that already looks binary — the ELF header and program headers are in
 * it, the rest of a binary is never shown. Reading stops by cancelling the body, which ends the server's read.
 */
import { parseElf, type ElfInfo } from '@/lib/layers/elf';
import { decodeFileContent, looksBinary, PREVIEW_BYTES, type FileContent } from '@/lib/layers/text-content';
import { fromWireErrors, RegistryError } from '@/lib/oci/errors';

/** Bytes enough to tell binary from text and to read an ELF file's program headers. */
const BINARY_PROBE = 64 * 1024;

export interface FilePreview {
  /** The file's size (`Content-Length`; absent when the response is compressed: then the bytes read). */
  size: number;
  /** Bytes read (≤ {@link PREVIEW_BYTES}). */
  read: number;
  /** Only the start of the file was read. */
  truncated: boolean;
  content: FileContent;
  elf?: ElfInfo;
}

function concat(chunks: Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    if (at >= length) break;
    out.set(chunk.subarray(0, length - at), at);
    at += Math.min(chunk.length, length - at);
  }
  return out;
}

export async function readPreview(url: string, signal?: AbortSignal): Promise<FilePreview> {
  let response: Response;
  try {
    response = await fetch(url, { signal });
  } catch (cause) {
    if ((cause as Error).name === 'AbortError') throw cause;
    throw new RegistryError('UNAVAILABLE', 'Porthole server is not reachable', { cause });
  }
  if (!response.ok) {
    const body: unknown = await response.json().catch(() => null);
    throw fromWireErrors(response.status, body);
  }
  const size = Number(response.headers.get('content-length') ?? NaN);
  const reader = response.body!.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let done = false;
  let probed = false;
  while (total < PREVIEW_BYTES) {
    const step = await reader.read();
    if (step.done) {
      done = true;
      break;
    }
    chunks.push(step.value);
    total += step.value.length;
    if (!probed && total >= BINARY_PROBE) {
      probed = true;
      if (looksBinary(concat(chunks, Math.min(total, 8192)))) break;
    }
  }
  if (!done) await reader.cancel().catch(() => undefined);
  const bytes = concat(chunks, Math.min(total, PREVIEW_BYTES));
  const truncated = Number.isFinite(size) ? bytes.length < size : !done || bytes.length < total;
  const elf = parseElf(bytes);
  return {
    size: Number.isFinite(size) ? size : bytes.length,
    read: bytes.length,
    truncated,
    content: decodeFileContent(bytes, truncated),
    ...(elf ? { elf } : {}),
  };
}
