'use client';

import type { TagStreamState } from '@/lib/query/tag-stream';

/** "812 of 2,000 read" while tag details stream in; nothing before the tag count is known or after the end. */
export function StreamProgress({ stream }: { stream: TagStreamState | undefined }) {
  if (!stream || stream.end || stream.tags === null) return null;
  const read = Math.min(stream.rows.size, stream.tags);
  return (
    <p data-testid="tag-progress" role="status" className="text-sm text-zinc-600 dark:text-zinc-400">
      Reading tag details: {read.toLocaleString('en-US')} of {stream.tags.toLocaleString('en-US')} read
    </p>
  );
}
