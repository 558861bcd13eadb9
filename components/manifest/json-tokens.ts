/**
 * Pretty-prints a JSON document (same layout as `JSON.stringify(value, null, 2)`) into lines of tokens, and
 * marks every digest with where it leads: child manifests and subjects open a manifest page, config and
 * layer digests (and any other descriptor of a non-manifest media type) open the blob API.
 */
import { isDigest } from '@/lib/oci/digest';
import { Annotation, MANIFEST_MEDIA_TYPES } from '@/lib/oci/media-types';

export type DigestTarget = 'manifest' | 'blob';

export type JsonToken =
  | { type: 'punct' | 'key' | 'number' | 'boolean' | 'null'; text: string }
  | { type: 'string'; text: string; digest?: string; target?: DigestTarget };

export interface JsonLine {
  indent: number;
  tokens: JsonToken[];
}

type Path = readonly (string | number)[];

/** Where a digest found at `path` (inside `parent`) leads, or undefined when it is not a descriptor digest. */
export function digestTarget(path: Path, parent: unknown, value: string): DigestTarget | undefined {
  if (!isDigest(value)) return undefined;
  const key = path[path.length - 1];
  const owner = path[path.length - 2];
  // Schema 1 lists layers as `fsLayers[i].blobSum`.
  if (key === 'blobSum') return 'blob';
  // BuildKit attestation entries name the manifest they attest in this annotation.
  if (key === Annotation.DockerReferenceDigest) return 'manifest';
  if (key !== 'digest') return undefined;
  const grandOwner = path[path.length - 3];
  if (owner === 'subject' || grandOwner === 'manifests') return 'manifest';
  const mediaType = (parent as { mediaType?: unknown } | null)?.mediaType;
  if (typeof mediaType === 'string' && MANIFEST_MEDIA_TYPES.includes(mediaType)) return 'manifest';
  return 'blob';
}

function scalar(value: unknown, path: Path, parent: unknown): JsonToken {
  if (value === null || value === undefined) return { type: 'null', text: 'null' };
  if (typeof value === 'string') {
    const target = digestTarget(path, parent, value);
    return target ? { type: 'string', text: JSON.stringify(value), digest: value, target } : { type: 'string', text: JSON.stringify(value) };
  }
  if (typeof value === 'number') return { type: 'number', text: Number.isFinite(value) ? String(value) : 'null' };
  if (typeof value === 'boolean') return { type: 'boolean', text: String(value) };
  return { type: 'string', text: JSON.stringify(String(value)) };
}

/** Lines of `value` pretty-printed with two-space indentation. */
export function jsonLines(value: unknown): JsonLine[] {
  const lines: JsonLine[] = [];

  // `prefix` holds the key tokens of an object member; `suffix` is the trailing comma.
  function walk(node: unknown, path: Path, parent: unknown, indent: number, prefix: JsonToken[], comma: boolean) {
    const suffix: JsonToken[] = comma ? [{ type: 'punct', text: ',' }] : [];
    const isArray = Array.isArray(node);
    if (node === null || typeof node !== 'object') {
      lines.push({ indent, tokens: [...prefix, scalar(node, path, parent), ...suffix] });
      return;
    }
    const entries: [string | number, unknown][] = isArray
      ? (node as unknown[]).map((item, i) => [i, item])
      : Object.entries(node as Record<string, unknown>).filter(([, v]) => v !== undefined);
    const [open, close] = isArray ? ['[', ']'] : ['{', '}'];
    if (entries.length === 0) {
      lines.push({ indent, tokens: [...prefix, { type: 'punct', text: open + close }, ...suffix] });
      return;
    }
    lines.push({ indent, tokens: [...prefix, { type: 'punct', text: open }] });
    entries.forEach(([key, child], i) => {
      const keyTokens: JsonToken[] = isArray
        ? []
        : [
            { type: 'key', text: JSON.stringify(key) },
            { type: 'punct', text: ': ' },
          ];
      walk(child, [...path, key], node, indent + 1, keyTokens, i < entries.length - 1);
    });
    lines.push({ indent, tokens: [{ type: 'punct', text: close }, ...suffix] });
  }

  walk(value, [], null, 0, [], false);
  return lines;
}

/** The text of the lines, as `JSON.stringify(value, null, 2)` would print it. */
export function linesToText(lines: readonly JsonLine[]): string {
  return lines.map((line) => '  '.repeat(line.indent) + line.tokens.map((t) => t.text).join('')).join('\n');
}
