/**
 * Field decoding of tar headers: NUL-terminated strings, octal numbers (with GNU's base-256 extension for
 * values that do not fit), and the header checksum.
 * @see https://www.gnu.org/software/tar/manual/html_node/Standard.html
 */

const decoder = new TextDecoder('utf-8');

/** Text of a NUL-terminated (or full-width) field. Non-UTF-8 bytes become U+FFFD. */
export function textField(block: Uint8Array, offset: number, length: number): string {
  let end = offset;
  const limit = offset + length;
  while (end < limit && block[end] !== 0) end++;
  return decoder.decode(block.subarray(offset, end));
}

/**
 * A numeric field: octal ASCII (leading spaces/NULs allowed, terminated by space or NUL), or GNU base-256 when
 * the first byte has its high bit set (0x80 positive, 0xff negative). Returns NaN when the field is malformed.
 */
export function numberField(block: Uint8Array, offset: number, length: number): number {
  const first = block[offset]!;
  if (first & 0x80) {
    const negative = first === 0xff;
    let value = first & 0x7f;
    if (negative) value = first ^ 0xff;
    for (let i = 1; i < length; i++) {
      const byte = negative ? block[offset + i]! ^ 0xff : block[offset + i]!;
      value = value * 256 + byte;
    }
    return negative ? -(value + 1) : value;
  }
  let i = offset;
  const end = offset + length;
  while (i < end && (block[i] === 0x20 || block[i] === 0)) i++;
  if (i === end) return 0;
  let value = 0;
  let digits = 0;
  for (; i < end; i++) {
    const c = block[i]!;
    if (c === 0x20 || c === 0) break;
    if (c < 0x30 || c > 0x37) return Number.NaN;
    value = value * 8 + (c - 0x30);
    digits++;
  }
  return digits === 0 ? Number.NaN : value;
}

/** True when the header's checksum field matches its bytes (unsigned sum, or the signed sum old tars wrote). */
export function checksumOk(block: Uint8Array): boolean {
  const stored = numberField(block, 148, 8);
  if (Number.isNaN(stored)) return false;
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < 512; i++) {
    const byte = i >= 148 && i < 156 ? 0x20 : block[i]!;
    unsigned += byte;
    signed += byte > 127 ? byte - 256 : byte;
  }
  return stored === unsigned || stored === signed;
}

/** True when all 512 bytes are zero (an end-of-archive block). */
export function isZeroBlock(block: Uint8Array): boolean {
  for (let i = 0; i < 512; i++) if (block[i] !== 0) return false;
  return true;
}
