'use client';

import { useRouter } from 'next/navigation';
import { pages } from '@/lib/routes';
import { DEPTH_CHOICES } from './depth';

/** How many levels of referrers-of-referrers to show; kept in `?depth=` so the view is linkable. */
export function DepthControl({ source, repo, digest, depth }: { source: string; repo: string; digest: string; depth: number }) {
  const router = useRouter();
  const choices = DEPTH_CHOICES.includes(depth) ? DEPTH_CHOICES : [...DEPTH_CHOICES, depth].sort((a, b) => a - b);
  return (
    <label className="inline-flex items-center gap-2 text-sm">
      <span className="text-zinc-600 dark:text-zinc-400">Depth</span>
      <select
        data-testid="depth-select"
        value={depth}
        onChange={(event) => router.replace(pages.referrers(source, repo, digest, { depth: Number(event.target.value) }), { scroll: false })}
        className="h-8 rounded-md border border-zinc-300 bg-white px-2 text-sm dark:border-zinc-700 dark:bg-zinc-900"
      >
        {choices.map((n) => (
          <option key={n} value={n}>
            {n} level{n === 1 ? '' : 's'}
          </option>
        ))}
      </select>
    </label>
  );
}
