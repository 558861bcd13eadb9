/**
 * Text or binary, and which encoding, from the first bytes of a file (the file viewer reads at most
 * {@link PREVIEW_BYTES}). Pure, browser-safe.
 *
 * - A byte order mark decides: UTF-8, UTF-16LE, UTF-16BE.
 * - Otherwise a NUL byte, or many control characters, in the first 8 KiB means binary (what `git` and `file`
 *   look at too).
 * - Valid UTF-8 is UTF-8 (ASCII included). A preview cut in the middle of a multi-byte character is still
 *   UTF-8: the incomplete tail is dropped.
 * - Anything else that looks like text is read as windows-1252 (the superset of Latin-1 browsers use).
 */

/** How much of a file the viewer reads and shows. */
export const PREVIEW_BYTES = 1024 * 1024;
/** How much of the start decides text vs binary. */
const SNIFF_BYTES = 8192;

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export type FileContent =
  | { kind: 'text'; encoding: TextEncodingName; bom: boolean; text: string }
  | { kind: 'binary' };

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

/** Control characters other than tab, newline, form feed, carriage return and escape. */
function isOddControl(byte: number): boolean {
  return (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0c && byte !== 0x0d && byte !== 0x1b) || byte === 0x7f;
}

/** Whether the start of `bytes` looks binary: a NUL, or more than 10% odd control characters. */
export function looksBinary(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, SNIFF_BYTES);
  let odd = 0;
  for (const byte of head) {
    if (byte === 0) return true;
    if (isOddControl(byte)) odd++;
  }
  return head.length > 0 && odd / head.length > 0.1;
}

/**
 * Decodes the start of a file. `truncated`: `bytes` is only the start of the file, so a character cut at
 * the end is not an encoding error.
 */
export function decodeFileContent(bytes: Uint8Array, truncated: boolean): FileContent {
  const decode = (encoding: TextEncodingName, skip: number, fatal: boolean): string =>
    new TextDecoder(encoding, { fatal, ignoreBOM: true }).decode(bytes.subarray(skip), { stream: truncated });
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) return { kind: 'text', encoding: 'utf-8', bom: true, text: decode('utf-8', 3, false) };
  if (startsWith(bytes, [0xff, 0xfe])) return { kind: 'text', encoding: 'utf-16le', bom: true, text: decode('utf-16le', 2, false) };
  if (startsWith(bytes, [0xfe, 0xff])) return { kind: 'text', encoding: 'utf-16be', bom: true, text: decode('utf-16be', 2, false) };
  if (looksBinary(bytes)) return { kind: 'binary' };
  try {
    // `stream: true` keeps an incomplete last character back instead of failing on it.
    return { kind: 'text', encoding: 'utf-8', bom: false, text: decode('utf-8', 0, true) };
  } catch {
    return { kind: 'text', encoding: 'windows-1252', bom: false, text: decode('windows-1252', 0, false) };
  }
}
