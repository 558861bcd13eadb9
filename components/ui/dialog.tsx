'use client';

import clsx from 'clsx';
import { useEffect, useId, useRef, type ReactNode } from 'react';

export interface DialogProps {
  open: boolean;
  onClose: () => void;
  title: ReactNode;
  children: ReactNode;
  /** Buttons at the bottom right. */
  footer?: ReactNode;
  /** Set while work is in flight: Escape and the backdrop do not close the dialog. */
  busy?: boolean;
  className?: string;
}

/**
 * A modal built on the native <dialog>: the browser traps focus, restores it on close and makes the rest of
 * the page inert, so keyboard and screen-reader users get a real modal.
 */
export function Dialog({ open, onClose, title, children, footer, busy, className }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        if (!busy) onClose();
      }}
      onClick={(event) => {
        if (event.target === ref.current && !busy) onClose();
      }}
      className={clsx(
        'm-auto w-[min(40rem,calc(100vw-2rem))] rounded-xl border border-zinc-200 bg-white p-0 text-zinc-900 shadow-2xl backdrop:bg-zinc-950/50',
        'dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100',
        className,
      )}
    >
      {open ? (
        <div className="flex max-h-[85vh] flex-col">
          <h2 id={titleId} className="border-b border-zinc-200 px-5 py-3 text-base font-semibold [overflow-wrap:anywhere] dark:border-zinc-800">
            {title}
          </h2>
          <div className="overflow-y-auto px-5 py-4 text-sm [overflow-wrap:anywhere]">{children}</div>
          {footer ? (
            // Buttons wrap and never grow wider than the dialog, so a long label (a 128-character tag) keeps them all on screen.
            <div className="flex flex-wrap justify-end gap-2 border-t border-zinc-200 px-5 py-3 dark:border-zinc-800 [&>*]:max-w-full [&>*]:min-w-0">
              {footer}
            </div>
          ) : null}
        </div>
      ) : null}
    </dialog>
  );
}
