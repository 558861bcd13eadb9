'use client';

import { useEffect, useState } from 'react';
import { applyThemeChoice, readThemeChoice, THEME_CHOICES, type ThemeChoice } from '@/components/shell/theme-script';
import { MonitorIcon, MoonIcon, SunIcon } from './icons';

const LABELS: Record<ThemeChoice, string> = { system: 'System theme', light: 'Light theme', dark: 'Dark theme' };

/** Cycles system → light → dark; the choice is kept in localStorage and applied before paint by the layout. */
export function ThemeToggle() {
  // The server cannot know the stored choice; render "system" until mounted.
  const [choice, setChoice] = useState<ThemeChoice>('system');
  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- localStorage is only readable after mount
    setChoice(readThemeChoice());
  }, []);
  useEffect(() => {
    if (choice !== 'system') return;
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    const follow = () => applyThemeChoice('system');
    media.addEventListener('change', follow);
    return () => media.removeEventListener('change', follow);
  }, [choice]);
  const next = THEME_CHOICES[(THEME_CHOICES.indexOf(choice) + 1) % THEME_CHOICES.length] ?? 'system';
  const Icon = choice === 'dark' ? MoonIcon : choice === 'light' ? SunIcon : MonitorIcon;
  return (
    <button
      type="button"
      data-testid="theme-toggle"
      data-theme-choice={choice}
      title={`${LABELS[choice]} (switch to ${LABELS[next].toLowerCase()})`}
      aria-label={`${LABELS[choice]}; switch to ${LABELS[next].toLowerCase()}`}
      onClick={() => {
        applyThemeChoice(next);
        setChoice(next);
      }}
      className="inline-flex h-8 w-8 items-center justify-center rounded-md text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"
    >
      <Icon />
    </button>
  );
}
