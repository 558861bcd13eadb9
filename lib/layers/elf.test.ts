import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { describeElf, isElf, parseElf } from './elf';

/** A hand-made ELF header (and optional program headers + interpreter string) in the given layout. */
function elf(options: { bits: 32 | 64; little: boolean; type: number; machine: number; abi?: number; interp?: string; phnum?: number }): Uint8Array {
  const { bits, little } = options;
  const ehsize = bits === 64 ? 64 : 52;
  const phentsize = bits === 64 ? 56 : 32;
  const phnum = options.phnum ?? (options.interp !== undefined ? 2 : 1);
  const interpAt = ehsize + phentsize * phnum;
  const interp = new TextEncoder().encode(`${options.interp ?? ''}\0`);
  const bytes = new Uint8Array(interpAt + interp.length);
  const view = new DataView(bytes.buffer);
  bytes.set([0x7f, 0x45, 0x4c, 0x46, bits === 64 ? 2 : 1, little ? 1 : 2, 1, options.abi ?? 0]);
  view.setUint16(16, options.type, little);
  view.setUint16(18, options.machine, little);
  if (bits === 64) {
    view.setBigUint64(32, BigInt(ehsize), little);
    view.setUint16(54, phentsize, little);
    view.setUint16(56, phnum, little);
  } else {
    view.setUint32(28, ehsize, little);
    view.setUint16(42, phentsize, little);
    view.setUint16(44, phnum, little);
  }
  for (let i = 0; i < phnum; i++) {
    const at = ehsize + i * phentsize;
    const isInterp = options.interp !== undefined && i === 1;
    view.setUint32(at, isInterp ? 3 : 1, little); // PT_INTERP or PT_LOAD
    if (!isInterp) continue;
    if (bits === 64) {
      view.setBigUint64(at + 8, BigInt(interpAt), little);
      view.setBigUint64(at + 32, BigInt(interp.length), little);
    } else {
      view.setUint32(at + 4, interpAt, little);
      view.setUint32(at + 16, interp.length, little);
    }
  }
  bytes.set(interp, interpAt);
  return bytes;
}

describe('parseElf', () => {
  it('reads a real PIE executable of this machine (/usr/bin/true)', async () => {
    const head = new Uint8Array(await readFile('/usr/bin/true')).subarray(0, 4096);
    const info = parseElf(head)!;
    expect(info).toMatchObject({ bits: 64, endian: 'LSB', type: 'pie-executable', machine: 'x86-64', interpreter: '/lib64/ld-linux-x86-64.so.2', programHeadersRead: true });
    expect(describeElf(info)).toBe('ELF 64-bit LSB pie executable, x86-64, dynamically linked, interpreter /lib64/ld-linux-x86-64.so.2');
  });

  it('tells a shared object (DYN without an interpreter) from a PIE', () => {
    const info = parseElf(elf({ bits: 64, little: true, type: 3, machine: 183 }))!;
    expect(info.type).toBe('shared-object');
    expect(describeElf(info)).toBe('ELF 64-bit LSB shared object, AArch64');
  });

  it('reads big-endian 32-bit headers and names the OS ABI', () => {
    const info = parseElf(elf({ bits: 32, little: false, type: 2, machine: 8, abi: 3, interp: '/lib/ld.so.1' }))!;
    expect(info).toMatchObject({ bits: 32, endian: 'MSB', type: 'executable', machine: 'MIPS', osAbi: 'GNU/Linux', interpreter: '/lib/ld.so.1' });
    expect(describeElf(info)).toBe('ELF 32-bit MSB executable, MIPS, GNU/Linux, dynamically linked, interpreter /lib/ld.so.1');
  });

  it('says statically linked for an executable whose program headers have no interpreter', () => {
    const info = parseElf(elf({ bits: 64, little: true, type: 2, machine: 243 }))!;
    expect(describeElf(info)).toBe('ELF 64-bit LSB executable, RISC-V, statically linked');
  });

  it('says nothing about linking when the program headers are not within the bytes', () => {
    const full = elf({ bits: 64, little: true, type: 2, machine: 62, interp: '/lib/ld' });
    const info = parseElf(full.subarray(0, 64))!;
    expect(info.programHeadersRead).toBe(false);
    expect(describeElf(info)).toBe('ELF 64-bit LSB executable, x86-64');
  });

  it('names unknown machines by number and relocatable/core types', () => {
    expect(describeElf(parseElf(elf({ bits: 64, little: true, type: 1, machine: 9999, phnum: 0 }))!)).toBe('ELF 64-bit LSB relocatable, machine 9999');
    expect(parseElf(elf({ bits: 64, little: true, type: 4, machine: 62 }))!.type).toBe('core');
  });

  it('rejects what is not an ELF header', () => {
    expect(isElf(new TextEncoder().encode('#!/bin/sh\n'))).toBe(false);
    expect(parseElf(new TextEncoder().encode('#!/bin/sh\necho hello world, this is long enough to be checked\n'))).toBeUndefined();
    const bad = elf({ bits: 64, little: true, type: 2, machine: 62 });
    bad[4] = 7; // no such class
    expect(parseElf(bad)).toBeUndefined();
    expect(parseElf(elf({ bits: 64, little: true, type: 2, machine: 62 }).subarray(0, 40))).toBeUndefined();
  });
});
