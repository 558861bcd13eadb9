import { useState, type KeyboardEvent } from 'react';

export interface ListNavigationOptions {
  count: number;
  /** False for rows that cannot be active (group headers). */
  isItem?: (index: number) => boolean;
  onOpen?: (index: number) => void;
  /** Bring a row into view (the virtualiser renders only visible rows). */
  reveal?: (index: number) => void;
  /** Extra keys, e.g. Space to select; return true when handled. */
  onKey?: (event: KeyboardEvent, index: number) => boolean;
}

/**
 * Arrow keys, Home/End and PageUp/PageDown move an active row through a list; Enter opens it. Used with
 * `aria-activedescendant` so focus stays on the list while rows come and go in the virtualiser.
 */
export function useListNavigation({ count, isItem = () => true, onOpen, reveal, onKey }: ListNavigationOptions) {
  const [rawActive, setRawActive] = useState(-1);
  const active = rawActive < count ? rawActive : -1;

  const find = (from: number, step: 1 | -1): number => {
    for (let i = from; i >= 0 && i < count; i += step) if (isItem(i)) return i;
    return -1;
  };
  const activate = (index: number) => {
    if (index < 0) return;
    setRawActive(index);
    reveal?.(index);
  };
  const first = () => activate(find(0, 1));

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const here = active;
    if (onKey && here >= 0 && onKey(event, here)) return;
    let next = -1;
    switch (event.key) {
      case 'ArrowDown':
        next = here < 0 ? find(0, 1) : find(here + 1, 1);
        break;
      case 'ArrowUp':
        next = here < 0 ? find(0, 1) : find(here - 1, -1);
        break;
      case 'Home':
        next = find(0, 1);
        break;
      case 'End':
        next = find(count - 1, -1);
        break;
      case 'PageDown':
        next = find(Math.min(count - 1, Math.max(here, 0) + 10), -1);
        break;
      case 'PageUp':
        next = find(Math.max(0, here - 10), 1);
        break;
      case 'Enter':
        if (here >= 0 && onOpen) {
          event.preventDefault();
          onOpen(here);
        }
        return;
      default:
        return;
    }
    event.preventDefault();
    if (next >= 0) activate(next);
  };

  return { active, setActive: activate, first, onKeyDown };
}
