import { describe, expect, it } from 'vitest';
import { decodeFileContent, looksBinary } from './text-content';

const utf8 = (text: string) => new TextEncoder().encode(text);

describe('decodeFileContent', () => {
  it('reads ASCII and UTF-8 as UTF-8', () => {
    expect(decodeFileContent(utf8('ID=debian\n'), false)).toEqual({ kind: 'text', encoding: 'utf-8', bom: false, text: 'ID=debian\n' });
    expect(decodeFileContent(utf8('Grüße, 世界\n'), false)).toMatchObject({ encoding: 'utf-8', text: 'Grüße, 世界\n' });
  });

  it('keeps UTF-8 when the preview cuts a character in two, and drops the half', () => {
    const bytes = utf8('abc€'); // € is 3 bytes
    expect(decodeFileContent(bytes.subarray(0, 5), true)).toMatchObject({ kind: 'text', encoding: 'utf-8', text: 'abc' });
    // A whole file ending in half a character is not UTF-8.
    expect(decodeFileContent(bytes.subarray(0, 5), false)).toMatchObject({ encoding: 'windows-1252' });
  });

  it('follows a byte order mark', () => {
    expect(decodeFileContent(new Uint8Array([0xef, 0xbb, 0xbf, 0x68, 0x69]), false)).toEqual({ kind: 'text', encoding: 'utf-8', bom: true, text: 'hi' });
    expect(decodeFileContent(new Uint8Array([0xff, 0xfe, 0x68, 0x00, 0x69, 0x00]), false)).toEqual({ kind: 'text', encoding: 'utf-16le', bom: true, text: 'hi' });
    expect(decodeFileContent(new Uint8Array([0xfe, 0xff, 0x00, 0x68, 0x00, 0x69]), false)).toEqual({ kind: 'text', encoding: 'utf-16be', bom: true, text: 'hi' });
  });

  it('reads text that is not UTF-8 as windows-1252', () => {
    // (Bytes 0x80–0x9f are left out: Node decodes them as Latin-1 controls, browsers as windows-1252's € etc.)
    const latin1 = new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x20, 0x21, 0x0a]); // "café !\n"
    expect(decodeFileContent(latin1, false)).toEqual({ kind: 'text', encoding: 'windows-1252', bom: false, text: 'café !\n' });
  });

  it('calls NUL bytes and control-character soup binary', () => {
    expect(decodeFileContent(new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]), false)).toEqual({ kind: 'binary' });
    expect(looksBinary(new Uint8Array(100).fill(0x01))).toBe(true);
    expect(looksBinary(utf8('a\tb\r\n\x1b[0m colours\n'))).toBe(false);
    expect(looksBinary(new Uint8Array(0))).toBe(false);
  });
});
