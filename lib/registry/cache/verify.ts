/**
 * The verification of bytes read back from a content store tier (`tieredStore`'s `verify`): bytes under a
 * `manifest/` or `blob/` key must hash to the key's digest; derived content (`toc/`) is accepted as it is
 * (its writer frames it with its own checksum); a key outside the grammar is never served.
 */
import 'server-only';
import { matchesDigest } from '../hash';
import { parseKey, VERIFIED_NAMESPACES } from './keys';

export function verifyContent(key: string, bytes: Uint8Array): boolean {
  const parsed = parseKey(key);
  if (!parsed) return false;
  if (!(VERIFIED_NAMESPACES as readonly string[]).includes(parsed.namespace)) return true;
  return matchesDigest(bytes, parsed.digest);
}
