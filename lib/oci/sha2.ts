/**
 * Incremental SHA-256 and SHA-512 in plain JavaScript, so digests can be computed in the browser as well as
 * on the server without `node:crypto` (and synchronously, which WebCrypto cannot do).
 * @see https://nvlpubs.nist.gov/nistpubs/FIPS/NIST.FIPS.180-4.pdf
 */

const TWO32 = 0x100000000;

/** floor(value^(1/n)) by Newton's method from an overestimate. */
function integerRoot(value: bigint, n: bigint): bigint {
  let x = 1n << (BigInt(value.toString(2).length) / n + 1n);
  for (;;) {
    const y = ((n - 1n) * x + value / x ** (n - 1n)) / n;
    if (y >= x) return x;
    x = y;
  }
}

function firstPrimes(count: number): number[] {
  const primes: number[] = [];
  for (let candidate = 2; primes.length < count; candidate++) {
    if (primes.every((p) => candidate % p !== 0)) primes.push(candidate);
  }
  return primes;
}

/**
 * The first 64 bits of the fractional part of the n-th root of each prime (FIPS 180-4 §4.2.3, §5.3.5),
 * as big-endian 32-bit halves. Derived rather than transcribed so no constant can carry a typo; SHA-256's
 * constants are the upper halves of SHA-512's (same definition, 32 bits).
 */
function rootFractions(primes: number[], n: bigint): { hi: Int32Array; lo: Int32Array } {
  const hi = new Int32Array(primes.length);
  const lo = new Int32Array(primes.length);
  primes.forEach((p, i) => {
    const fraction = integerRoot(BigInt(p) << (64n * n), n) & 0xffffffffffffffffn;
    hi[i] = Number(fraction >> 32n) | 0;
    lo[i] = Number(fraction & 0xffffffffn) | 0;
  });
  return { hi, lo };
}

const PRIMES = firstPrimes(80);
const K512 = rootFractions(PRIMES, 3n);
const IV512 = rootFractions(PRIMES.slice(0, 8), 2n);
const K256 = K512.hi.slice(0, 64);
const IV256 = IV512.hi;

type Compress = (state: Int32Array, w: Int32Array, bytes: Uint8Array, offset: number) => void;

function readWords(w: Int32Array, count: number, bytes: Uint8Array, offset: number): void {
  for (let i = 0; i < count; i++, offset += 4) {
    w[i] = (bytes[offset]! << 24) | (bytes[offset + 1]! << 16) | (bytes[offset + 2]! << 8) | bytes[offset + 3]!;
  }
}

const compress256: Compress = (h, w, bytes, offset) => {
  readWords(w, 16, bytes, offset);
  for (let i = 16; i < 64; i++) {
    const x = w[i - 15]!;
    const y = w[i - 2]!;
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) | 0;
  }
  let a = h[0]!, b = h[1]!, c = h[2]!, d = h[3]!, e = h[4]!, f = h[5]!, g = h[6]!, hh = h[7]!;
  for (let i = 0; i < 64; i++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const ch = (e & f) ^ (~e & g);
    const t1 = (hh + S1 + ch + K256[i]! + w[i]!) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const maj = (a & b) ^ (a & c) ^ (b & c);
    hh = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + S0 + maj) | 0;
  }
  h[0] = (h[0]! + a) | 0;
  h[1] = (h[1]! + b) | 0;
  h[2] = (h[2]! + c) | 0;
  h[3] = (h[3]! + d) | 0;
  h[4] = (h[4]! + e) | 0;
  h[5] = (h[5]! + f) | 0;
  h[6] = (h[6]! + g) | 0;
  h[7] = (h[7]! + hh) | 0;
};

/**
 * SHA-512 on 64-bit words kept as (hi, lo) pairs of 32-bit integers: `state[2i]` is the high half of word i.
 * Rotations by n ≥ 32 swap the halves and rotate by n − 32. Sums add the low halves as doubles (exact below
 * 2^53) and carry `floor(lo / 2^32)` into the high half.
 */
const compress512: Compress = (h, w, bytes, offset) => {
  readWords(w, 32, bytes, offset);
  for (let t = 16; t < 80; t++) {
    const xh = w[2 * (t - 15)]!, xl = w[2 * (t - 15) + 1]!;
    // σ0 = rotr1 ^ rotr8 ^ shr7
    const s0h = ((xh >>> 1) | (xl << 31)) ^ ((xh >>> 8) | (xl << 24)) ^ (xh >>> 7);
    const s0l = ((xl >>> 1) | (xh << 31)) ^ ((xl >>> 8) | (xh << 24)) ^ ((xl >>> 7) | (xh << 25));
    const yh = w[2 * (t - 2)]!, yl = w[2 * (t - 2) + 1]!;
    // σ1 = rotr19 ^ rotr61 ^ shr6
    const s1h = ((yh >>> 19) | (yl << 13)) ^ ((yl >>> 29) | (yh << 3)) ^ (yh >>> 6);
    const s1l = ((yl >>> 19) | (yh << 13)) ^ ((yh >>> 29) | (yl << 3)) ^ ((yl >>> 6) | (yh << 26));
    const lo = (w[2 * (t - 16) + 1]! >>> 0) + (s0l >>> 0) + (w[2 * (t - 7) + 1]! >>> 0) + (s1l >>> 0);
    w[2 * t] = (w[2 * (t - 16)]! + s0h + w[2 * (t - 7)]! + s1h + Math.floor(lo / TWO32)) | 0;
    w[2 * t + 1] = lo | 0;
  }
  let ah = h[0]!, al = h[1]!, bh = h[2]!, bl = h[3]!, ch = h[4]!, cl = h[5]!, dh = h[6]!, dl = h[7]!;
  let eh = h[8]!, el = h[9]!, fh = h[10]!, fl = h[11]!, gh = h[12]!, gl = h[13]!, hh = h[14]!, hl = h[15]!;
  for (let t = 0; t < 80; t++) {
    // Σ1(e) = rotr14 ^ rotr18 ^ rotr41
    const S1h = ((eh >>> 14) | (el << 18)) ^ ((eh >>> 18) | (el << 14)) ^ ((el >>> 9) | (eh << 23));
    const S1l = ((el >>> 14) | (eh << 18)) ^ ((el >>> 18) | (eh << 14)) ^ ((eh >>> 9) | (el << 23));
    const chh = (eh & fh) ^ (~eh & gh);
    const chl = (el & fl) ^ (~el & gl);
    const t1lo = (hl >>> 0) + (S1l >>> 0) + (chl >>> 0) + (K512.lo[t]! >>> 0) + (w[2 * t + 1]! >>> 0);
    const t1h = (hh + S1h + chh + K512.hi[t]! + w[2 * t]! + Math.floor(t1lo / TWO32)) | 0;
    const t1l = t1lo | 0;
    // Σ0(a) = rotr28 ^ rotr34 ^ rotr39
    const S0h = ((ah >>> 28) | (al << 4)) ^ ((al >>> 2) | (ah << 30)) ^ ((al >>> 7) | (ah << 25));
    const S0l = ((al >>> 28) | (ah << 4)) ^ ((ah >>> 2) | (al << 30)) ^ ((ah >>> 7) | (al << 25));
    const majh = (ah & bh) ^ (ah & ch) ^ (bh & ch);
    const majl = (al & bl) ^ (al & cl) ^ (bl & cl);
    hh = gh;
    hl = gl;
    gh = fh;
    gl = fl;
    fh = eh;
    fl = el;
    const elo = (dl >>> 0) + (t1l >>> 0);
    eh = (dh + t1h + Math.floor(elo / TWO32)) | 0;
    el = elo | 0;
    dh = ch;
    dl = cl;
    ch = bh;
    cl = bl;
    bh = ah;
    bl = al;
    const alo = (t1l >>> 0) + (S0l >>> 0) + (majl >>> 0);
    ah = (t1h + S0h + majh + Math.floor(alo / TWO32)) | 0;
    al = alo | 0;
  }
  const words = [ah, al, bh, bl, ch, cl, dh, dl, eh, el, fh, fl, gh, gl, hh, hl];
  for (let i = 0; i < 16; i += 2) {
    const lo = (h[i + 1]! >>> 0) + (words[i + 1]! >>> 0);
    h[i] = (h[i]! + words[i]! + Math.floor(lo / TWO32)) | 0;
    h[i + 1] = lo | 0;
  }
};

interface Sha2Variant {
  blockSize: number;
  /** Bytes of the message length field at the end of the padding (8 for SHA-256, 16 for SHA-512). */
  lengthSize: number;
  /** Words of the message schedule (64 for SHA-256; 2×80 halves for SHA-512). */
  scheduleSize: number;
  iv: Int32Array;
  compress: Compress;
}

const SHA256: Sha2Variant = { blockSize: 64, lengthSize: 8, scheduleSize: 64, iv: IV256, compress: compress256 };

function interleave(hi: Int32Array, lo: Int32Array): Int32Array {
  const out = new Int32Array(hi.length * 2);
  hi.forEach((value, i) => {
    out[2 * i] = value;
    out[2 * i + 1] = lo[i]!;
  });
  return out;
}

const SHA512: Sha2Variant = {
  blockSize: 128,
  lengthSize: 16,
  scheduleSize: 160,
  iv: interleave(IV512.hi, IV512.lo),
  compress: compress512,
};

/** An incremental SHA-2 hash; `hex()` may be called any number of times and writing may continue after it. */
export class Sha2 {
  private readonly variant: Sha2Variant;
  private readonly state: Int32Array;
  private readonly schedule: Int32Array;
  private readonly buffer: Uint8Array;
  private buffered = 0;
  private length = 0;

  constructor(algorithm: 'sha256' | 'sha512') {
    this.variant = algorithm === 'sha256' ? SHA256 : SHA512;
    this.state = this.variant.iv.slice();
    this.schedule = new Int32Array(this.variant.scheduleSize);
    this.buffer = new Uint8Array(this.variant.blockSize);
  }

  update(chunk: Uint8Array): void {
    const { blockSize, compress } = this.variant;
    this.length += chunk.length;
    let offset = 0;
    if (this.buffered > 0) {
      const take = Math.min(blockSize - this.buffered, chunk.length);
      this.buffer.set(chunk.subarray(0, take), this.buffered);
      this.buffered += take;
      offset = take;
      if (this.buffered < blockSize) return;
      compress(this.state, this.schedule, this.buffer, 0);
      this.buffered = 0;
    }
    for (; offset + blockSize <= chunk.length; offset += blockSize) compress(this.state, this.schedule, chunk, offset);
    if (offset < chunk.length) {
      this.buffer.set(chunk.subarray(offset), 0);
      this.buffered = chunk.length - offset;
    }
  }

  /** Lower-case hex of the hash of everything written so far. */
  hex(): string {
    const { blockSize, lengthSize, compress } = this.variant;
    const state = this.state.slice();
    const block = new Uint8Array(blockSize);
    block.set(this.buffer.subarray(0, this.buffered));
    block[this.buffered] = 0x80;
    if (this.buffered + 1 > blockSize - lengthSize) {
      compress(state, this.schedule, block, 0);
      block.fill(0);
    }
    // Message length in bits, big-endian, in the last 8 bytes (lengths above 2^53 bytes cannot occur here).
    const bits = this.length * 8;
    const view = new DataView(block.buffer);
    view.setUint32(blockSize - 8, Math.floor(bits / TWO32));
    view.setUint32(blockSize - 4, bits >>> 0);
    compress(state, this.schedule, block, 0);
    let hex = '';
    for (const word of state) hex += (word >>> 0).toString(16).padStart(8, '0');
    return hex;
  }
}
