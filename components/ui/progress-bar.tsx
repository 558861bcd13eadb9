import clsx from 'clsx';

/** A determinate progress bar (`value` of `max`), with an accessible label. */
export function ProgressBar({ value, max, label, failed }: { value: number; max: number; label: string; failed?: boolean }) {
  const percent = max > 0 ? Math.round((value / max) * 100) : 0;
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={max}
      aria-valuenow={value}
      className="h-2 w-full overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800"
    >
      <div
        className={clsx('h-full transition-[width]', failed ? 'bg-amber-500' : 'bg-sky-600')}
        style={{ width: `${percent}%` }}
      />
    </div>
  );
}
