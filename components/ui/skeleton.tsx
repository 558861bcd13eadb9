import clsx from 'clsx';

/**
 * A grey placeholder bar shown while data loads; it pulses unless `still`. Many at once should be still: every
 * pulsing bar is an animation the browser composites sixty times a second, and a table of placeholders took
 * a tenth of a core while its details streamed in (docs/performance.md); the table's progress line says that
 * something is happening.
 */
export function Skeleton({ className, label, still = false }: { className?: string; label?: string; still?: boolean }) {
  return (
    <span
      aria-hidden={label ? undefined : true}
      aria-label={label}
      role={label ? 'status' : undefined}
      data-skeleton=""
      className={clsx('inline-block rounded bg-zinc-200 dark:bg-zinc-800', !still && 'animate-pulse', className ?? 'h-4 w-24')}
    />
  );
}

/** A few skeleton lines, for a list or table still loading. */
export function SkeletonRows({ rows = 6, label = 'Loading' }: { rows?: number; label?: string }) {
  return (
    <div role="status" aria-label={label} className="flex flex-col gap-3 py-2">
      {Array.from({ length: rows }, (_, i) => (
        <Skeleton key={i} className={clsx('h-5', i % 3 === 0 ? 'w-2/3' : i % 3 === 1 ? 'w-1/2' : 'w-3/5')} />
      ))}
    </div>
  );
}
