import clsx from 'clsx';
import { shortDigest } from '@/lib/oci/digest';
import { CopyButton } from './copy-button';

/** A digest in short form (full on hover) with a copy button for the full value. */
export function DigestText({ digest, copy = true, className }: { digest: string; copy?: boolean; className?: string }) {
  return (
    <span className={clsx('inline-flex items-center gap-0.5', className)}>
      <code title={digest} className="font-mono text-xs text-zinc-700 dark:text-zinc-300">
        {shortDigest(digest)}
      </code>
      {copy ? <CopyButton value={digest} label={`Copy digest ${digest}`} /> : null}
    </span>
  );
}
