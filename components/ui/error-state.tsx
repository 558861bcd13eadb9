import { isRegistryError } from '@/lib/oci/errors';
import { Button } from './button';

/** Code, status and message of anything thrown; RegistryErrors keep the registry's own code and message. */
export function describeError(error: unknown): { code: string; status?: number; message: string } {
  if (isRegistryError(error)) return { code: error.code, status: error.status, message: error.message };
  if (error instanceof Error) return { code: 'UNKNOWN', message: error.message || 'Unexpected error' };
  return { code: 'UNKNOWN', message: 'Unexpected error' };
}

export interface ErrorStateProps {
  error: unknown;
  title?: string;
  onRetry?: () => void;
  retrying?: boolean;
}

/** Shows the registry's error code and message, with a retry button when the caller can retry. */
export function ErrorState({ error, title = 'Could not load this', onRetry, retrying }: ErrorStateProps) {
  const { code, status, message } = describeError(error);
  return (
    <div
      role="alert"
      className="rounded-lg border border-red-300 bg-red-50 px-5 py-4 text-red-900 dark:border-red-900 dark:bg-red-950/40 dark:text-red-100"
    >
      <p className="font-medium">{title}</p>
      <p className="mt-1 text-sm">
        <code data-testid="error-code" className="rounded bg-red-100 px-1.5 py-0.5 text-xs font-semibold dark:bg-red-900/60">
          {code}
        </code>
        {status ? <span className="ml-2 text-xs text-red-700 dark:text-red-300">HTTP {status}</span> : null}
      </p>
      <p data-testid="error-message" className="mt-2 text-sm break-words">
        {message}
      </p>
      {onRetry ? (
        <Button className="mt-3" onClick={onRetry} disabled={retrying}>
          {retrying ? 'Retrying…' : 'Retry'}
        </Button>
      ) : null}
    </div>
  );
}
