/**
 * Images for the file browser tests, pushed to the `registry` source:
 *
 * - `files/tour:v1`: two gzip layers made by GNU tar — text files of several languages and encodings, a real
 *   ELF executable (this machine's `/usr/bin/true`), binary data, a file over 1 MiB, symlinks (to a file, to
 *   a directory, dangling), a file the second layer overrides and one it whites out; a history with an empty
 *   step so that history steps and layers do not line up one to one.
 * - `files/big:v1`: one gzip layer of {@link BIG_FILES} empty files in 1,100 directories (tar headers written
 *   here: GNU tar would need 100,000 files on disk first), with one {@link NEEDLE} to filter for.
 */
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { gnuTar } from '@/lib/layers/testing/gnu-tar';
import { tarData, tarHeader } from '@/lib/layers/testing/tar-header';
import { MediaType } from '@/lib/oci/media-types';
import { blob, manifestOf, type Built } from '@/lib/registry/testing/build';
import { digestOf } from '@/lib/registry/testing/digest';
import { pushBuiltRaw } from '@/lib/registry/testing/push-layout-raw';
import type { RunningRegistry } from '@/lib/registry/testing/registry-server';
import { BIG_FILES, LARGE_TEXT_BYTES, NEEDLE } from './files-data';

type Target = Pick<RunningRegistry, 'url' | 'auth' | 'credentials'>;


const MAIN_PY = `#!/usr/bin/env python3
"""The tour's entry point."""
import sys


def main() -> int:
    print("hello from the tour")
    return 0


if __name__ == "__main__":
    sys.exit(main())
`;

const SERVER_GO = `package main

import "fmt"

func main() {
\tfmt.Println("tour server")
}
`;

/** An image of gzip layers (bottom first) with a config naming `history`. */
function imageOf(layers: Uint8Array[], tars: Uint8Array[], history: Record<string, unknown>[]): Built {
  const layerBlobs = layers.map((bytes) => blob(bytes, MediaType.OciLayerGzip));
  const config = blob(
    JSON.stringify({
      created: '2026-03-01T10:00:00Z',
      architecture: 'amd64',
      os: 'linux',
      config: { Cmd: ['/app/main.py'] },
      rootfs: { type: 'layers', diff_ids: tars.map((tar) => digestOf(tar)) },
      history,
    }),
    MediaType.OciConfig,
  );
  const json = { schemaVersion: 2, mediaType: MediaType.OciManifest, config: config.descriptor, layers: layerBlobs.map((b) => b.descriptor) };
  return { manifest: manifestOf(json, MediaType.OciManifest), blobs: [config, ...layerBlobs], children: [] };
}

async function tourLayers(): Promise<{ tars: Buffer[] }> {
  const root = await mkdtemp(join(tmpdir(), 'porthole-e2e-files-'));
  try {
    const one = join(root, 'one');
    const two = join(root, 'two');
    const p = (base: string, path: string) => join(base, path);
    for (const dir of ['etc', 'app', 'usr/bin', 'usr/lib', 'data', 'big']) await mkdir(p(one, dir), { recursive: true });
    await writeFile(p(one, 'etc/os-release'), 'ID=tour\nVERSION_ID=1\n');
    await writeFile(p(one, 'app/main.py'), MAIN_PY, { mode: 0o755 });
    await writeFile(p(one, 'app/config.json'), '{"name": "tour", "port": 8080, "debug": false}\n');
    await writeFile(p(one, 'app/notes-latin1.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0x63, 0x72, 0xe8, 0x6d, 0x65, 0x0a])); // "café crème"
    await writeFile(p(one, 'usr/bin/tool'), await readFile('/usr/bin/true'), { mode: 0o755 });
    await writeFile(p(one, 'usr/lib/libdemo.so.1'), 'LIBDEMO\n');
    await symlink('libdemo.so.1', p(one, 'usr/lib/libdemo.so'));
    await symlink('usr/bin', p(one, 'bin'));
    await symlink('/missing/file', p(one, 'etc/dangling'));
    await writeFile(p(one, 'data/blob.bin'), Buffer.from([0, 1, 2, 3, 0, 0xff, 0xfe, 0, 7, 8]));
    await writeFile(p(one, 'data/old.txt'), 'to be whited out\n');
    await writeFile(p(one, 'big/large.txt'), `${'0123456789abcdef'.repeat(63)}line\n`.repeat(LARGE_TEXT_BYTES / 1013).padEnd(LARGE_TEXT_BYTES, '.'));
    for (const dir of ['etc', 'app', 'data']) await mkdir(p(two, dir), { recursive: true });
    await writeFile(p(two, 'etc/os-release'), 'ID=tour\nVERSION_ID=2\n');
    await writeFile(p(two, 'app/server.go'), SERVER_GO);
    await writeFile(p(two, 'data/.wh.old.txt'), '');
    return { tars: [await gnuTar(one), await gnuTar(two)] };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/**
 * A ustar header for an empty file or a directory, from a template whose name is blank: the checksum is the
 * template's plus the name's bytes (the test helper's `tarHeader` does it all per call, too slow 100,000 times).
 */
function fastHeaders(): (name: string, type: '0' | '5') => Buffer {
  const templates = new Map<string, { block: Buffer; sum: number }>();
  for (const type of ['0', '5'] as const) {
    const block = Buffer.from(tarHeader({ name: '', type, mode: type === '5' ? 0o755 : 0o644 }));
    block.fill(0x20, 148, 156);
    templates.set(type, { block, sum: block.reduce((a, b) => a + b, 0) });
  }
  return (name, type) => {
    const { block, sum } = templates.get(type)!;
    const out = Buffer.from(block);
    const length = out.write(name, 0, 100, 'latin1');
    let total = sum;
    for (let i = 0; i < length; i++) total += out[i]!;
    out.write(`${total.toString(8).padStart(6, '0')}\0 `, 148, 8, 'latin1');
    return out;
  };
}

/** The 100,000-file layer as a tar stream: directories, then their files, then the needle. */
function bigTar(): Uint8Array {
  const header = fastHeaders();
  const parts: Uint8Array[] = [];
  let files = 0;
  for (let d = 0; d < 100; d++) {
    const top = `d${String(d).padStart(3, '0')}`;
    parts.push(header(`${top}/`, '5'));
    for (let s = 0; s < 10; s++) {
      parts.push(header(`${top}/s${s}/`, '5'));
      for (let f = 0; f < 100 && files < BIG_FILES - 1; f++, files++) parts.push(header(`${top}/s${s}/f${String(f).padStart(2, '0')}.txt`, '0'));
    }
  }
  const needle = 'found the needle\n';
  parts.push(tarHeader({ name: NEEDLE, type: '0', size: needle.length }), tarData(needle));
  parts.push(new Uint8Array(1024));
  return Buffer.concat(parts);
}

export async function seedFiles(target: Target): Promise<void> {
  const { tars } = await tourLayers();
  const tour = imageOf(
    tars.map((tar) => gzipSync(tar)),
    tars,
    [
      { created: '2026-03-01T09:00:00Z', created_by: 'COPY rootfs/ /' },
      { created: '2026-03-01T09:30:00Z', created_by: 'ENV APP=tour', empty_layer: true },
      { created: '2026-03-01T10:00:00Z', created_by: 'COPY update/ /' },
    ],
  );
  await pushBuiltRaw(target, 'files/tour', tour, ['v1']);
  const tar = bigTar();
  await pushBuiltRaw(target, 'files/big', imageOf([gzipSync(tar, { level: 1 })], [tar], [{ created: '2026-03-01T09:00:00Z', created_by: 'COPY many/ /' }]), ['v1']);
}
