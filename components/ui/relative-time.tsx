'use client';

import { useEffect, useState } from 'react';
import { formatAbsolute, formatRelative } from './format';

/** "3 days ago", with the absolute date and time on hover; re-renders each minute. */
export function RelativeTime({ iso, className }: { iso: string; className?: string }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(timer);
  }, []);
  const relative = formatRelative(iso, now);
  if (!relative) return <span className={className}>—</span>;
  return (
    // The server's clock, locale and time zone differ from the reader's: the browser's rendering wins.
    <time dateTime={iso} title={formatAbsolute(iso)} className={className} suppressHydrationWarning>
      {relative}
    </time>
  );
}
