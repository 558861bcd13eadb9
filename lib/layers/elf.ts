/**
 * What kind of executable a file is, from its first bytes: the ELF header (class, byte order, type, machine,
 * OS ABI) and, when the program headers are within the bytes given, whether it asks for an interpreter (a
 * dynamically linked program, or a PIE when its type is DYN). Pure, browser-safe: the file viewer calls it on
 * the bytes it has already read.
 * @see https://refspecs.linuxfoundation.org/elf/gabi4+/ch4.eheader.html
 * @see https://man7.org/linux/man-pages/man5/elf.5.html
 */

export interface ElfInfo {
  /** 32 or 64 bit (`EI_CLASS`). */
  bits: 32 | 64;
  /** Byte order (`EI_DATA`): `LSB` little-endian, `MSB` big-endian. */
  endian: 'LSB' | 'MSB';
  /** What `e_type` says, refined by `PT_INTERP`: a DYN with an interpreter is a PIE executable. */
  type: 'relocatable' | 'executable' | 'pie-executable' | 'shared-object' | 'core' | 'unknown';
  /** The machine (`e_machine`) by its usual name, or `machine N` when unknown. */
  machine: string;
  /** The OS ABI (`EI_OSABI`) when it is not plain System V. */
  osAbi?: string;
  /** The program interpreter (`PT_INTERP`), when read; dynamically linked programs have one. */
  interpreter?: string;
  /** Whether the program headers were within the bytes given (else `interpreter`/linking are unknown). */
  programHeadersRead: boolean;
}

const MACHINES: Record<number, string> = {
  2: 'SPARC',
  3: 'Intel 80386',
  8: 'MIPS',
  20: 'PowerPC',
  21: 'PowerPC64',
  22: 'IBM S/390',
  40: 'ARM',
  43: 'SPARC V9',
  50: 'IA-64',
  62: 'x86-64',
  183: 'AArch64',
  243: 'RISC-V',
  247: 'eBPF',
  258: 'LoongArch',
};

const OS_ABIS: Record<number, string> = { 1: 'HP-UX', 2: 'NetBSD', 3: 'GNU/Linux', 6: 'Solaris', 9: 'FreeBSD', 12: 'OpenBSD', 97: 'ARM', 255: 'standalone' };

const ET_TYPES = ['unknown', 'relocatable', 'executable', 'shared-object', 'core'] as const;
const PT_INTERP = 3;

/** Whether the bytes start with the ELF magic `7f 45 4c 46`. */
export function isElf(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46;
}

/** Parses the ELF header of `bytes` (the start of a file); undefined when it is not a valid ELF header. */
export function parseElf(bytes: Uint8Array): ElfInfo | undefined {
  if (!isElf(bytes) || bytes.length < 52) return undefined;
  const bits = bytes[4] === 1 ? 32 : bytes[4] === 2 ? 64 : undefined;
  const little = bytes[5] === 1 ? true : bytes[5] === 2 ? false : undefined;
  if (bits === undefined || little === undefined || (bits === 64 && bytes.length < 64)) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number) => view.getUint16(at, little);
  const u32 = (at: number) => view.getUint32(at, little);
  // Offsets beyond 2^53 cannot be in a buffer anyway: Number() of a u64 is safe for the comparisons below.
  const word = (at: number) => (bits === 64 ? Number(view.getBigUint64(at, little)) : u32(at));
  const eType = u16(16);
  const machineCode = u16(18);
  const info: ElfInfo = {
    bits,
    endian: little ? 'LSB' : 'MSB',
    type: ET_TYPES[eType] ?? 'unknown',
    machine: MACHINES[machineCode] ?? `machine ${machineCode}`,
    programHeadersRead: false,
  };
  const abi = bytes[7]!;
  if (abi !== 0) info.osAbi = OS_ABIS[abi] ?? `OS ABI ${abi}`;

  const phoff = word(bits === 64 ? 32 : 28);
  const phentsize = u16(bits === 64 ? 54 : 42);
  const phnum = u16(bits === 64 ? 56 : 44);
  const minEntry = bits === 64 ? 56 : 32;
  if (phnum === 0 || phentsize < minEntry || phoff + phentsize * phnum > bytes.length) return info;
  info.programHeadersRead = true;
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    if (u32(at) !== PT_INTERP) continue;
    const offset = word(bits === 64 ? at + 8 : at + 4);
    const size = word(bits === 64 ? at + 32 : at + 16);
    if (offset + size <= bytes.length && size > 0 && size < 4096) {
      const raw = bytes.subarray(offset, offset + size);
      const end = raw.indexOf(0);
      info.interpreter = new TextDecoder().decode(end === -1 ? raw : raw.subarray(0, end));
    } else {
      info.interpreter = '';
    }
    break;
  }
  if (info.type === 'shared-object' && info.interpreter !== undefined) info.type = 'pie-executable';
  return info;
}

/** One line like `file(1)` writes: `ELF 64-bit LSB pie executable, x86-64, dynamically linked, interpreter /lib64/ld-linux-x86-64.so.2`. */
export function describeElf(info: ElfInfo): string {
  const parts = [`ELF ${info.bits}-bit ${info.endian} ${info.type.replace('-', ' ')}`, info.machine];
  if (info.osAbi) parts.push(info.osAbi);
  if (info.type === 'executable' || info.type === 'pie-executable' || info.type === 'shared-object') {
    if (info.interpreter !== undefined) parts.push(`dynamically linked${info.interpreter ? `, interpreter ${info.interpreter}` : ''}`);
    else if (info.programHeadersRead && info.type === 'executable') parts.push('statically linked');
  }
  return parts.join(', ');
}
