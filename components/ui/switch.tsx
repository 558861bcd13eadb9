'use client';

import clsx from 'clsx';

/** An on/off switch with a visible label (role="switch"). */
export function Switch({ checked, onChange, label }: { checked: boolean; onChange: (next: boolean) => void; label: string }) {
  return (
    <button
      type="button"
      role="switch"
      aria-checked={checked}
      onClick={() => onChange(!checked)}
      className="inline-flex items-center gap-2 rounded-md px-1 py-1 text-sm text-zinc-700 dark:text-zinc-300"
    >
      <span
        className={clsx(
          'relative inline-block h-5 w-9 rounded-full transition-colors',
          checked ? 'bg-sky-700 dark:bg-sky-500' : 'bg-zinc-300 dark:bg-zinc-700',
        )}
      >
        <span
          className={clsx(
            'absolute top-0.5 left-0.5 h-4 w-4 rounded-full bg-white shadow transition-transform',
            checked && 'translate-x-4',
          )}
        />
      </span>
      {label}
    </button>
  );
}
