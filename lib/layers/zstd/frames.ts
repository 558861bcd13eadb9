/**
 * Finds the frame boundaries of a zstd stream without decoding it: frame headers and block headers carry
 * their sizes, so walking them is cheap. Each frame can be decoded on its own, so every frame start is a
 * checkpoint (zstd:chunked and seekable layers have many frames; `zstd`/`tar --zstd` write one).
 * @see https://www.rfc-editor.org/rfc/rfc8878#name-frames
 */

const MAGIC = 0xfd2fb528;
const BLOCK_TYPE_RLE = 1;
const BLOCK_TYPE_RESERVED = 3;

type Step = 'magic' | 'descriptor' | 'block' | 'skippable-size' | 'skip';

export class ZstdFrameWalker {
  /** Bytes walked so far. */
  position = 0;
  /** False once the stream stops looking like zstd (the decoder reports the error; the walker just stops). */
  valid = true;
  private step: Step = 'magic';
  private need = 4;
  private readonly header = new Uint8Array(8);
  private filled = 0;
  private skipLeft = 0;
  private afterSkip: 'block' | 'frame-end' | 'magic' = 'block';
  private checksum = false;

  /** Walks `chunk`; returns the stream offsets (absolute) of frame ends inside it, in order. */
  walk(chunk: Uint8Array): number[] {
    const ends: number[] = [];
    let pos = 0;
    while (pos < chunk.length && this.valid) {
      if (this.step === 'skip') {
        const take = Math.min(this.skipLeft, chunk.length - pos);
        this.skipLeft -= take;
        pos += take;
        if (this.skipLeft === 0) this.afterSkipped(ends, pos);
        continue;
      }
      const take = Math.min(this.need - this.filled, chunk.length - pos);
      this.header.set(chunk.subarray(pos, pos + take), this.filled);
      this.filled += take;
      pos += take;
      if (this.filled === this.need) {
        this.filled = 0;
        this.parsed(ends, pos);
      }
    }
    this.position += chunk.length;
    return ends;
  }

  private skip(bytes: number, then: 'block' | 'frame-end' | 'magic', ends: number[], pos: number): void {
    this.skipLeft = bytes;
    this.afterSkip = then;
    this.step = 'skip';
    if (bytes === 0) this.afterSkipped(ends, pos);
  }

  private afterSkipped(ends: number[], pos: number): void {
    if (this.afterSkip === 'block') {
      this.step = 'block';
      this.need = 3;
    } else {
      if (this.afterSkip === 'frame-end') ends.push(this.position + pos);
      this.step = 'magic';
      this.need = 4;
    }
  }

  private parsed(ends: number[], pos: number): void {
    const h = this.header;
    switch (this.step) {
      case 'magic': {
        const magic = (h[0]! | (h[1]! << 8) | (h[2]! << 16) | (h[3]! << 24)) >>> 0;
        if (magic === MAGIC) {
          this.step = 'descriptor';
          this.need = 1;
        } else if ((magic & 0xfffffff0) >>> 0 === 0x184d2a50) {
          this.step = 'skippable-size';
          this.need = 4;
        } else this.valid = false;
        return;
      }
      case 'skippable-size': {
        const size = (h[0]! | (h[1]! << 8) | (h[2]! << 16) | (h[3]! << 24)) >>> 0;
        return this.skip(size, 'magic', ends, pos);
      }
      case 'descriptor': {
        const fhd = h[0]!;
        const fcsFlag = fhd >> 6;
        const single = (fhd >> 5) & 1;
        this.checksum = ((fhd >> 2) & 1) === 1;
        const dictionary = [0, 1, 2, 4][fhd & 3]!;
        const contentSize = [single ? 1 : 0, 2, 4, 8][fcsFlag]!;
        return this.skip((single ? 0 : 1) + dictionary + contentSize, 'block', ends, pos);
      }
      case 'block': {
        const value = h[0]! | (h[1]! << 8) | (h[2]! << 16);
        const last = (value & 1) === 1;
        const type = (value >> 1) & 3;
        const size = value >>> 3;
        if (type === BLOCK_TYPE_RESERVED) {
          this.valid = false;
          return;
        }
        const content = type === BLOCK_TYPE_RLE ? 1 : size;
        if (!last) return this.skip(content, 'block', ends, pos);
        return this.skip(content + (this.checksum ? 4 : 0), 'frame-end', ends, pos);
      }
      default:
        return;
    }
  }
}
