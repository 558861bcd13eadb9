import type { ReactNode } from 'react';

/** A titled block of the manifest page; `id` makes the heading its accessible name. */
export function Section({ id, title, aside, children }: { id: string; title: string; aside?: ReactNode; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="min-w-0">
      <div className="mb-2 flex items-center justify-between gap-2">
        <h2 id={id} className="text-sm font-semibold tracking-wide text-zinc-700 uppercase dark:text-zinc-300">
          {title}
        </h2>
        {aside}
      </div>
      {children}
    </section>
  );
}

/** A two-column list of facts ("Digest", "Size"…). */
export function Facts({ children }: { children: ReactNode }) {
  return <dl className="grid grid-cols-[9rem_minmax(0,1fr)] gap-x-4 gap-y-1.5 text-sm">{children}</dl>;
}

export function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="contents">
      <dt className="text-zinc-500 dark:text-zinc-400">{label}</dt>
      <dd className="min-w-0 break-words">{children}</dd>
    </div>
  );
}
