'use client';

/**
 * "Compare with…" on the manifest page: pick another tag of the repository (the list completes as you type)
 * or type any digest or `SOURCE/REPO:TAG`, and open the compare page with this manifest as `from`. The
 * platform selected on the page (`?platform=`) is carried over for indexes.
 */
import { useQuery } from '@tanstack/react-query';
import { useRouter, useSearchParams } from 'next/navigation';
import { useId, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { registryQueries } from '@/lib/query/options';
import { pages } from '@/lib/routes';

function CompareWithDialog({ source, repo, from, onClose }: { source: string; repo: string; from: string; onClose: () => void }) {
  const router = useRouter();
  const platform = useSearchParams().get('platform');
  const tags = useQuery(registryQueries.tagNames(source, repo));
  const [other, setOther] = useState('');
  const listId = useId();
  const inputId = useId();
  const target = other.trim();
  const go = (event?: React.FormEvent) => {
    event?.preventDefault();
    if (!target) return;
    router.push(pages.compare(source, repo, { from, to: target, ...(platform ? { platform } : {}) }));
  };
  return (
    <Dialog
      open
      onClose={onClose}
      title={`Compare ${from.startsWith('sha256:') ? `${from.slice(0, 19)}…` : from} with…`}
      footer={
        <>
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button variant="primary" disabled={!target} onClick={() => go()}>
            Compare
          </Button>
        </>
      }
    >
      <form onSubmit={go} className="flex flex-col gap-2">
        <label htmlFor={inputId} className="text-sm font-medium">
          Other image
        </label>
        <input
          id={inputId}
          list={listId}
          autoFocus
          value={other}
          onChange={(event) => setOther(event.target.value)}
          placeholder="a tag, a digest, or SOURCE/REPO:TAG"
          className="rounded border border-zinc-300 bg-transparent px-2 py-1 font-mono text-sm dark:border-zinc-700"
        />
        <datalist id={listId}>
          {(tags.data?.names ?? []).filter((name) => name !== from).map((name) => (
            <option key={name} value={name} />
          ))}
        </datalist>
        <p className="text-xs text-zinc-500 dark:text-zinc-400">
          {tags.isPending ? 'Loading the tags of this repository…' : `${tags.data?.names.length ?? 0} tags of ${repo} to choose from; any other image by reference.`}
          {platform ? ` Platform ${platform} is compared.` : ''}
        </p>
      </form>
    </Dialog>
  );
}

export function CompareWithButton({ source, repo, from }: { source: string; repo: string; from: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button onClick={() => setOpen(true)}>Compare with…</Button>
      {open ? <CompareWithDialog source={source} repo={repo} from={from} onClose={() => setOpen(false)} /> : null}
    </>
  );
}
