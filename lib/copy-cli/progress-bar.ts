/**
 * The one-line progress display of `npm run copy` on a terminal. Pure: the caller writes the line after a
 * carriage return.
 */
import type { CopyEvent } from '@/lib/registry/copy/types';
import { formatBytes } from '@/lib/text/bytes';

const WIDTH = 24;

/** `[#########...............]  38%  1.2 MiB / 3.1 MiB  4/11 items` for a progress event. */
export function progressLine(event: Extract<CopyEvent, { type: 'progress' }>): string {
  const fraction = event.bytesTotal > 0 ? Math.min(1, event.bytesDone / event.bytesTotal) : event.itemsTotal > 0 ? event.itemsDone / event.itemsTotal : 1;
  const filled = Math.round(fraction * WIDTH);
  const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
  return `[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${percent}  ${formatBytes(event.bytesDone)} / ${formatBytes(event.bytesTotal)}  ${event.itemsDone}/${event.itemsTotal} items`;
}
