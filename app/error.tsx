'use client';

import { ErrorState } from '@/components/ui/error-state';

/** Last-resort boundary: a page failed to render. Data errors are shown in place by each view instead. */
export default function RouteError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="mx-auto max-w-2xl py-10">
      <ErrorState error={error} title="This page failed to load" onRetry={reset} />
      {error.digest ? (
        <p className="mt-2 text-xs text-zinc-500">
          Reference for the server log: <code>{error.digest}</code>
        </p>
      ) : null}
    </div>
  );
}
