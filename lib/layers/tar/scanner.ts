/**
 * A push-based tar reader that never holds more than one header (or one bounded metadata record) in memory:
 * feed it the uncompressed tar stream in chunks of any size and it reports every entry with where its data
 * sits in the stream. It reads ustar, GNU (long names `L`/`K`, old sparse `S` with extension headers) and
 * PAX (`x`/`g` records; sparse formats 0.0, 0.1 and 1.0). Data bytes are skipped, never copied.
 *
 * Own code rather than a library: the table of contents and the checkpoint index need the stream offset of
 * every entry's data, which streaming tar libraries (tar-stream, node-tar) do not expose, and the limits
 * (entries, metadata size) must hold before anything is buffered.
 * @see https://www.gnu.org/software/tar/manual/html_node/Standard.html
 * @see https://www.gnu.org/software/tar/manual/html_node/Sparse-Formats.html
 */
import type { EntryLocation, EntryType, TocEntry } from '../types';
import { layerError } from '../errors';
import { checksumOk, isZeroBlock, numberField, textField } from './fields';
import { normalisePath } from './path';
import { parsePaxRecords } from './pax';

export interface ScanLimits {
  /** Most entries a layer may have. */
  maxEntries: number;
  /** Largest PAX header, GNU long name/link or sparse map, in bytes (bounds every name). */
  maxMetaBytes: number;
}

export const DEFAULT_SCAN_LIMITS: ScanLimits = { maxEntries: 1_000_000, maxMetaBytes: 1024 * 1024 };

export type EntryHandler = (entry: TocEntry, location: EntryLocation) => void;

const BLOCK = 512;
const decoder = new TextDecoder('utf-8');

type Mode = 'header' | 'skip' | 'meta' | 'end';
type MetaKind = 'pax' | 'global' | 'longname' | 'longlink' | 'gnu-sparse' | 'sparse-map';

/** An entry whose header is read but whose sparse map still follows in the stream. */
interface PendingSparse {
  entry: TocEntry;
  map: [number, number][];
  /** Bytes of the entry's data area (map included for PAX 1.0). */
  size: number;
}

const TYPES: Record<string, EntryType> = { '0': 'file', '\0': 'file', '7': 'file', '1': 'hardlink', '2': 'symlink', '3': 'char', '4': 'block', '5': 'dir', '6': 'fifo', D: 'dir', S: 'file' };

function padded(size: number): number {
  return Math.ceil(size / BLOCK) * BLOCK;
}

function paxNumber(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}

/** Pairs of a flat `offset,length,offset,length…` list. */
function pairs(numbers: number[]): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i + 1 < numbers.length; i += 2) out.push([numbers[i]!, numbers[i + 1]!]);
  return out;
}

function checkMap(map: [number, number][], realSize: number): void {
  for (const [offset, length] of map) {
    if (!(offset >= 0 && length >= 0 && offset + length <= realSize)) throw layerError('not-a-tarball', 'a sparse map points outside its file');
  }
}

export class TarScanner {
  /** Uncompressed bytes consumed so far. */
  position = 0;
  private mode: Mode = 'header';
  private readonly block = new Uint8Array(BLOCK);
  private filled = 0;
  private remaining = 0;
  private meta: Uint8Array = new Uint8Array(0);
  private metaKind: MetaKind = 'pax';
  private metaPadding = 0;
  private zeroBlocks = 0;
  private entries = 0;
  private pax: [string, string][] | undefined;
  private globals = new Map<string, string>();
  private longName: string | undefined;
  private longLink: string | undefined;
  private sparse: PendingSparse | undefined;

  constructor(
    private readonly onEntry: EntryHandler,
    private readonly limits: ScanLimits = DEFAULT_SCAN_LIMITS,
  ) {}

  /** True once the end-of-archive marker has been read. */
  get ended(): boolean {
    return this.mode === 'end';
  }

  /** Feeds the next bytes of the tar stream. Throws a layer error (not-a-tarball, too-large). */
  push(chunk: Uint8Array): void {
    let pos = 0;
    while (pos < chunk.length) {
      if (this.mode === 'end') {
        this.position += chunk.length - pos;
        return;
      }
      if (this.mode === 'skip') {
        const take = Math.min(this.remaining, chunk.length - pos);
        this.remaining -= take;
        pos += take;
        this.position += take;
        if (this.remaining === 0) this.mode = 'header';
        continue;
      }
      if (this.mode === 'meta') {
        const need = this.meta.length - this.filled;
        const take = Math.min(need, chunk.length - pos);
        this.meta.set(chunk.subarray(pos, pos + take), this.filled);
        this.filled += take;
        pos += take;
        this.position += take;
        if (this.filled === this.meta.length) this.finishMeta();
        continue;
      }
      const take = Math.min(BLOCK - this.filled, chunk.length - pos);
      this.block.set(chunk.subarray(pos, pos + take), this.filled);
      this.filled += take;
      pos += take;
      this.position += take;
      if (this.filled === BLOCK) {
        this.filled = 0;
        this.header();
      }
    }
  }

  /** Called at the end of the stream: throws `truncated` when it stopped inside an entry. */
  end(): void {
    if (this.position < BLOCK) throw layerError('not-a-tarball', `the layer is not a tar archive (${this.position} bytes, less than one tar header)`);
    const inside = this.mode === 'skip' || this.mode === 'meta' || (this.mode === 'header' && this.filled > 0);
    if (inside) throw layerError('truncated', 'the layer ends in the middle of a tar entry', { offset: this.position });
    if (this.pax || this.longName !== undefined || this.longLink !== undefined) {
      throw layerError('truncated', 'the layer ends after an extended header without its entry', { offset: this.position });
    }
  }

  private startMeta(kind: MetaKind, size: number, padding: number): void {
    if (size > this.limits.maxMetaBytes) {
      throw layerError('too-large', `a tar metadata record of ${size} bytes exceeds the limit of ${this.limits.maxMetaBytes}`, { limit: 'maxMetaBytes' });
    }
    this.meta = new Uint8Array(size);
    this.filled = 0;
    this.metaKind = kind;
    this.metaPadding = padding;
    this.mode = 'meta';
    if (size === 0) this.finishMeta();
  }

  private skip(bytes: number): void {
    this.remaining = bytes;
    this.mode = bytes > 0 ? 'skip' : 'header';
  }

  private finishMeta(): void {
    const data = this.meta;
    this.meta = new Uint8Array(0);
    this.filled = 0;
    const padding = this.metaPadding;
    switch (this.metaKind) {
      case 'pax':
        this.pax = [...(this.pax ?? []), ...parsePaxRecords(data)];
        break;
      case 'global':
        for (const [key, value] of parsePaxRecords(data)) this.globals.set(key, value);
        break;
      case 'longname':
        this.longName = textField(data, 0, data.length);
        break;
      case 'longlink':
        this.longLink = textField(data, 0, data.length);
        break;
      case 'gnu-sparse':
        this.gnuSparseExtension(data);
        return;
      case 'sparse-map':
        this.paxSparseMap(data);
        return;
    }
    this.skip(padding);
  }

  private header(): void {
    const block = this.block;
    if (isZeroBlock(block)) {
      if (++this.zeroBlocks === 2) this.mode = 'end';
      return;
    }
    this.zeroBlocks = 0;
    const headerOffset = this.position - BLOCK;
    if (!checksumOk(block)) {
      throw headerOffset === 0
        ? layerError('not-a-tarball', 'the layer is not a tar archive (no valid tar header at its start)')
        : layerError('not-a-tarball', `invalid tar header checksum at offset ${headerOffset}`, { offset: headerOffset });
    }
    const flag = String.fromCharCode(block[156]!);
    const headerSize = numberField(block, 124, 12);
    if (Number.isNaN(headerSize) || headerSize < 0) throw layerError('not-a-tarball', `invalid size field in the tar header at offset ${headerOffset}`);
    switch (flag) {
      case 'x':
        return this.startMeta('pax', headerSize, padded(headerSize) - headerSize);
      case 'g':
        return this.startMeta('global', headerSize, padded(headerSize) - headerSize);
      case 'L':
        return this.startMeta('longname', headerSize, padded(headerSize) - headerSize);
      case 'K':
        return this.startMeta('longlink', headerSize, padded(headerSize) - headerSize);
    }
    this.entry(flag, headerSize);
  }

  private entry(flag: string, headerSize: number): void {
    const block = this.block;
    const pax = new Map<string, string>(this.globals);
    for (const [key, value] of this.pax ?? []) pax.set(key, value);
    const paxRecords = this.pax ?? [];
    this.pax = undefined;
    const magic = textField(block, 257, 6);
    let name = textField(block, 0, 100);
    if (magic === 'ustar' && block[263] === 0x30) {
      // POSIX ustar ("ustar\0" "00"): the prefix field extends the name. GNU headers use those bytes otherwise.
      const prefix = textField(block, 345, 155);
      if (prefix) name = `${prefix}/${name}`;
    }
    const rawName = this.longName ?? pax.get('GNU.sparse.name') ?? pax.get('path') ?? name;
    const rawLink = this.longLink ?? pax.get('linkpath') ?? textField(block, 157, 100);
    this.longName = undefined;
    this.longLink = undefined;
    const size = paxNumber(pax.get('size')) ?? headerSize;

    let type: EntryType | undefined = TYPES[flag];
    if (flag === 'V' || flag === 'M' || flag === 'N') type = undefined; // volume labels and multi-volume parts are no files
    else if (type === undefined) type = 'file'; // POSIX: unknown types are read as regular files
    if (type === 'file' && flag !== 'S' && (flag === '\0' || flag === '0') && rawName.endsWith('/')) type = 'dir'; // old V7 tar

    // The archive root (`./`) is no entry of the filesystem: its metadata is the mount point's business.
    if (type === undefined || normalisePath(rawName) === '') return this.skip(padded(size));
    if (++this.entries > this.limits.maxEntries) {
      throw layerError('too-large', `the layer has more than ${this.limits.maxEntries} entries`, { limit: 'maxEntries' });
    }
    const entry: TocEntry = {
      path: normalisePath(rawName),
      type,
      size: type === 'file' ? size : 0,
      mode: (paxNumber(pax.get('mode')) ?? numberField(block, 100, 8)) & 0o7777,
      uid: paxNumber(pax.get('uid')) ?? numberField(block, 108, 8),
      gid: paxNumber(pax.get('gid')) ?? numberField(block, 116, 8),
      mtime: paxNumber(pax.get('mtime')) ?? numberField(block, 136, 12),
    };
    if (Number.isNaN(entry.mode)) entry.mode = 0;
    if (Number.isNaN(entry.uid)) entry.uid = 0;
    if (Number.isNaN(entry.gid)) entry.gid = 0;
    if (Number.isNaN(entry.mtime)) entry.mtime = 0;
    if (type === 'symlink') entry.linkTarget = rawLink;
    if (type === 'hardlink') entry.linkTarget = normalisePath(rawLink);
    const uname = pax.get('uname') ?? textField(block, 265, 32);
    const gname = pax.get('gname') ?? textField(block, 297, 32);
    if (uname) entry.uname = uname;
    if (gname) entry.gname = gname;
    if (type === 'char' || type === 'block') {
      entry.devMajor = numberField(block, 329, 8) || 0;
      entry.devMinor = numberField(block, 337, 8) || 0;
    }

    if (flag === 'S') return this.gnuSparse(entry, headerSize);
    const major = pax.get('GNU.sparse.major');
    if (major === '1') return this.paxSparse10(entry, size, pax);
    const sparseMap = pax.get('GNU.sparse.map');
    const offsets = paxRecords.filter(([k]) => k === 'GNU.sparse.offset' || k === 'GNU.sparse.numbytes').map(([, v]) => Number(v));
    if (sparseMap !== undefined || offsets.length > 0) {
      // PAX sparse 0.1 (`GNU.sparse.map`) and 0.0 (`GNU.sparse.offset`/`numbytes` pairs).
      const map = pairs(sparseMap !== undefined ? sparseMap.split(',').filter(Boolean).map(Number) : offsets);
      const realSize = paxNumber(pax.get('GNU.sparse.realsize')) ?? paxNumber(pax.get('GNU.sparse.size')) ?? size;
      checkMap(map, realSize);
      entry.size = realSize;
      entry.sparse = true;
      this.onEntry(entry, { offset: this.position, stored: size, sparseMap: map });
      return this.skip(padded(size));
    }
    this.onEntry(entry, { offset: this.position, stored: type === 'file' ? size : 0 });
    this.skip(padded(size));
  }

  /** Old GNU sparse (`S`): four map entries in the header, more in extension blocks when `isextended`. */
  private gnuSparse(entry: TocEntry, stored: number): void {
    const block = this.block;
    const map = this.readSparseEntries(block, 386, 4);
    const realSize = numberField(block, 483, 12);
    entry.size = Number.isNaN(realSize) ? stored : realSize;
    entry.sparse = true;
    this.sparse = { entry, map, size: stored };
    if (block[482]) this.startMeta('gnu-sparse', BLOCK, 0);
    else this.finishSparse(0);
  }

  private readSparseEntries(block: Uint8Array, start: number, count: number): [number, number][] {
    const out: [number, number][] = [];
    for (let i = 0; i < count; i++) {
      const at = start + i * 24;
      if (block[at] === 0) break;
      const offset = numberField(block, at, 12);
      const length = numberField(block, at + 12, 12);
      if (Number.isNaN(offset) || Number.isNaN(length)) throw layerError('not-a-tarball', 'a GNU sparse header is malformed');
      out.push([offset, length]);
    }
    return out;
  }

  private gnuSparseExtension(block: Uint8Array): void {
    const pending = this.sparse!;
    pending.map.push(...this.readSparseEntries(block, 0, 21));
    if (pending.map.length * 24 > this.limits.maxMetaBytes) throw layerError('too-large', 'a sparse map exceeds the metadata limit', { limit: 'maxMetaBytes' });
    if (block[504]) this.startMeta('gnu-sparse', BLOCK, 0);
    else this.finishSparse(0);
  }

  /** PAX sparse 1.0: the map is text at the start of the data area, padded to a block. */
  private paxSparse10(entry: TocEntry, size: number, pax: Map<string, string>): void {
    entry.size = paxNumber(pax.get('GNU.sparse.realsize')) ?? size;
    entry.sparse = true;
    this.sparse = { entry, map: [], size };
    this.startMeta('sparse-map', Math.min(BLOCK, size), 0);
  }

  private paxSparseMap(data: Uint8Array): void {
    const pending = this.sparse!;
    const text = decoder.decode(data);
    const lines = text.split('\n');
    const count = Number(lines[0]);
    const numbers: number[] = [];
    let complete = false;
    if (Number.isInteger(count) && count >= 0) {
      // Complete when 1 + 2*count newline-terminated numbers are present.
      const terminated = lines.slice(0, -1);
      if (terminated.length >= 1 + 2 * count) {
        numbers.push(...terminated.slice(1, 1 + 2 * count).map(Number));
        complete = true;
      }
    } else if (lines.length > 1) {
      throw layerError('not-a-tarball', 'a PAX 1.0 sparse map is malformed');
    }
    if (!complete) {
      if (data.length >= pending.size) throw layerError('not-a-tarball', 'a PAX 1.0 sparse map is longer than its entry');
      if (data.length + BLOCK > this.limits.maxMetaBytes) throw layerError('too-large', 'a sparse map exceeds the metadata limit', { limit: 'maxMetaBytes' });
      // Read one more block and try again (the map is re-parsed from the start: maps are small).
      const grown = new Uint8Array(Math.min(data.length + BLOCK, pending.size));
      grown.set(data);
      this.meta = grown;
      this.filled = data.length;
      this.metaKind = 'sparse-map';
      this.metaPadding = 0;
      this.mode = 'meta';
      return;
    }
    if (numbers.some((n) => !Number.isInteger(n) || n < 0)) throw layerError('not-a-tarball', 'a PAX 1.0 sparse map is malformed');
    pending.map = pairs(numbers);
    this.finishSparse(data.length);
  }

  /** Reports a sparse entry once its map is complete; `consumed` bytes of its data area were the map. */
  private finishSparse(consumed: number): void {
    const { entry, map, size } = this.sparse!;
    this.sparse = undefined;
    checkMap(map, entry.size);
    const stored = size - consumed;
    this.onEntry(entry, { offset: this.position, stored, sparseMap: map });
    this.skip(padded(size) - consumed);
  }
}
