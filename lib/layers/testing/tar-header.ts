/**
 * Hand-made tar headers for what GNU tar cannot make without privileges or never writes: device nodes,
 * base-256 numbers, PAX global headers, bad checksums.
 */
const encoder = new TextEncoder();

export interface HeaderSpec {
  name: string;
  type: string;
  size?: number;
  mode?: number;
  /** A number too large for octal is written in GNU base-256. */
  uid?: number;
  gid?: number;
  mtime?: number;
  linkname?: string;
  devMajor?: number;
  devMinor?: number;
}

function octal(block: Uint8Array, offset: number, length: number, value: number): void {
  const text = value.toString(8);
  if (text.length > length - 1) {
    // GNU base-256: high bit set, big-endian value in the remaining bytes.
    let rest = value;
    for (let i = length - 1; i > 0; i--) {
      block[offset + i] = rest % 256;
      rest = Math.floor(rest / 256);
    }
    block[offset] = 0x80;
    return;
  }
  block.set(encoder.encode(text.padStart(length - 1, '0')), offset);
}

/** One 512-byte ustar header with a valid checksum. */
export function tarHeader(spec: HeaderSpec): Uint8Array {
  const block = new Uint8Array(512);
  block.set(encoder.encode(spec.name).subarray(0, 100), 0);
  octal(block, 100, 8, spec.mode ?? 0o644);
  octal(block, 108, 8, spec.uid ?? 0);
  octal(block, 116, 8, spec.gid ?? 0);
  octal(block, 124, 12, spec.size ?? 0);
  octal(block, 136, 12, spec.mtime ?? 0);
  block[156] = spec.type.charCodeAt(0);
  if (spec.linkname) block.set(encoder.encode(spec.linkname), 157);
  block.set(encoder.encode('ustar\0' + '00'), 257);
  octal(block, 329, 8, spec.devMajor ?? 0);
  octal(block, 337, 8, spec.devMinor ?? 0);
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.set(encoder.encode(sum.toString(8).padStart(6, '0') + '\0 '), 148);
  return block;
}

/** Data padded to whole blocks. */
export function tarData(content: string | Uint8Array): Uint8Array {
  const bytes = typeof content === 'string' ? encoder.encode(content) : content;
  const out = new Uint8Array(Math.ceil(bytes.length / 512) * 512);
  out.set(bytes);
  return out;
}

/** A PAX record block body (`LEN key=value\n` records). */
export function paxBody(records: Record<string, string>): string {
  let out = '';
  for (const [key, value] of Object.entries(records)) {
    const rest = ` ${key}=${value}\n`;
    let length = rest.length + 1;
    while (String(length).length + rest.length !== length) length = String(length).length + rest.length;
    out += `${length}${rest}`;
  }
  return out;
}

export function concatBytes(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
