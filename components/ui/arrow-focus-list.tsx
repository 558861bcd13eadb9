'use client';

import type { KeyboardEvent, ReactNode } from 'react';

/** Arrow keys (and Home/End) move focus between the `[data-nav-item]` elements inside; Enter follows links natively. */
export function ArrowFocusList({ children, className }: { children: ReactNode; className?: string }) {
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const keys = ['ArrowDown', 'ArrowUp', 'Home', 'End'];
    if (!keys.includes(event.key)) return;
    const items = [...event.currentTarget.querySelectorAll<HTMLElement>('[data-nav-item]')];
    if (items.length === 0) return;
    const here = items.indexOf(document.activeElement as HTMLElement);
    const next =
      event.key === 'Home' ? 0 : event.key === 'End' ? items.length - 1 : event.key === 'ArrowDown' ? Math.min(items.length - 1, here + 1) : Math.max(0, here - 1);
    event.preventDefault();
    items[next]?.focus();
  };
  return (
    <div className={className} onKeyDown={onKeyDown}>
      {children}
    </div>
  );
}
