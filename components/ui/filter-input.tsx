'use client';

import { useRef, type KeyboardEvent } from 'react';
import { SearchIcon } from './icons';
import { Kbd } from './kbd';
import { useSlashFocus } from './use-slash-focus';

export interface FilterInputProps {
  value: string;
  onChange: (value: string) => void;
  /** Accessible name, e.g. "Filter repositories". */
  label: string;
  placeholder?: string;
  /** Arrow down moves from the filter into the list. */
  onArrowDown?: () => void;
  onEnter?: () => void;
}

/** The search box of a list; `/` focuses it from anywhere, Escape clears it. */
export function FilterInput({ value, onChange, label, placeholder, onArrowDown, onEnter }: FilterInputProps) {
  const ref = useRef<HTMLInputElement>(null);
  useSlashFocus(ref);
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' && onArrowDown) {
      event.preventDefault();
      onArrowDown();
    } else if (event.key === 'Enter' && onEnter) {
      event.preventDefault();
      onEnter();
    } else if (event.key === 'Escape' && value) {
      event.preventDefault();
      onChange('');
    }
  };
  return (
    <div className="relative w-full max-w-md">
      <SearchIcon className="pointer-events-none absolute top-1/2 left-2.5 -translate-y-1/2 text-zinc-400" />
      <input
        ref={ref}
        type="search"
        aria-label={label}
        placeholder={placeholder ?? label}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        onKeyDown={onKeyDown}
        spellCheck={false}
        autoComplete="off"
        className="h-9 w-full rounded-md border border-zinc-300 bg-white pr-10 pl-8 text-sm placeholder:text-zinc-400 dark:border-zinc-700 dark:bg-zinc-900"
      />
      <span className="pointer-events-none absolute top-1/2 right-2 -translate-y-1/2">
        <Kbd>/</Kbd>
      </span>
    </div>
  );
}
