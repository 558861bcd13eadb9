'use client';

import { useEffect, useState } from 'react';
import { isPlaceholderDate } from '@/lib/oci/created-date';
import { formatAbsolute, formatRelative } from './format';

/**
 * "3 days ago", with the absolute date and time on hover; re-renders each minute. A reproducible build's
 * placeholder time (1970-01-01, 0001-01-01: lib/oci/created-date.ts) shows as "unknown", saying why.
 */
export function RelativeTime({ iso, className }: { iso: string; className?: string }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(timer);
  }, []);
  if (isPlaceholderDate(iso)) {
    return (
      <span data-testid="created-placeholder" title={`The image says ${iso}: a fixed time written by reproducible builds (ko, nix, Bazel), not its build time`} className={className}>
        unknown
      </span>
    );
  }
  const relative = formatRelative(iso, now);
  if (!relative) return <span className={className}>—</span>;
  return (
    // The server's clock, locale and time zone differ from the reader's: the browser's rendering wins.
    <time dateTime={iso} title={formatAbsolute(iso)} className={className} suppressHydrationWarning>
      {relative}
    </time>
  );
}
