import clsx from 'clsx';

/** `linux/arm64/v8` as a badge; `compact` drops the `linux/` prefix (full name on hover). */
export function PlatformBadge({ platform, className, compact }: { platform: string; className?: string; compact?: boolean }) {
  const label = compact && platform.startsWith('linux/') ? platform.slice('linux/'.length) : platform;
  return (
    <span
      title={label === platform ? undefined : platform}
      className={clsx(
        'shrink-0 whitespace-nowrap',
        'inline-block rounded border border-zinc-200 bg-zinc-50 px-1.5 py-px font-mono text-[0.7rem] text-zinc-700 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-300',
        className,
      )}
    >
      {label === platform ? (
        label
      ) : (
        <>
          <span aria-hidden="true">{label}</span>
          <span className="sr-only">{platform}</span>
        </>
      )}
    </span>
  );
}

/**
 * Up to `max` badges on one line, then "+N" with the rest in a tooltip. In a narrow cell the badges are
 * clipped, never the count: "+N" sits outside the clipped part, and the whole list is in the tooltip.
 */
export function PlatformList({ platforms, max = 3, compact }: { platforms: readonly string[]; max?: number; compact?: boolean }) {
  const shown = platforms.slice(0, max);
  const rest = platforms.slice(max);
  return (
    <span className="inline-flex max-w-full min-w-0 items-center gap-1" title={platforms.length > 1 ? platforms.join(', ') : undefined}>
      <span className="inline-flex min-w-0 flex-nowrap items-center gap-1 overflow-hidden">
        {shown.map((p) => (
          <PlatformBadge key={p} platform={p} compact={compact} />
        ))}
      </span>
      {rest.length > 0 ? (
        <span data-testid="platforms-more" title={rest.join(', ')} className="shrink-0 text-xs whitespace-nowrap text-zinc-500 dark:text-zinc-400">
          +{rest.length}
        </span>
      ) : null}
    </span>
  );
}
