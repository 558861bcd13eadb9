/** Element ids of manifest page sections that other pages link to (`…/-/manifests/<digest>#<id>`). */

/** The "Manifests (N)" section of an index: its platform images and its attestation entries. */
export function indexEntriesId(digest: string): string {
  return `children-${digest}`;
}
