/**
 * PAX extended header records: `LENGTH KEY=VALUE\n`, LENGTH counting the whole record in bytes.
 * @see https://pubs.opengroup.org/onlinepubs/9699919799/utilities/pax.html#tag_20_92_13_03
 */
import { layerError } from '../errors';

const decoder = new TextDecoder('utf-8');

/** The records in order (keys may repeat: GNU sparse 0.0 writes `GNU.sparse.offset`/`numbytes` pairs). */
export function parsePaxRecords(data: Uint8Array): [string, string][] {
  const records: [string, string][] = [];
  let pos = 0;
  while (pos < data.length) {
    if (data[pos] === 0) break; // padding after the last record
    let space = pos;
    while (space < data.length && data[space] !== 0x20) space++;
    const length = Number(decoder.decode(data.subarray(pos, space)));
    if (!Number.isInteger(length) || length <= space - pos + 1 || pos + length > data.length || data[pos + length - 1] !== 0x0a) {
      throw layerError('not-a-tarball', 'a PAX extended header is malformed');
    }
    const record = data.subarray(space + 1, pos + length - 1);
    const equals = record.indexOf(0x3d);
    if (equals <= 0) throw layerError('not-a-tarball', 'a PAX extended header record has no key');
    records.push([decoder.decode(record.subarray(0, equals)), decoder.decode(record.subarray(equals + 1))]);
    pos += length;
  }
  return records;
}
