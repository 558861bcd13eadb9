'use client';

/** The two references of a compare (and the platform of an index), editable: submitting opens their compare page. */
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { pages } from '@/lib/routes';

const INPUT = 'min-w-0 rounded border border-zinc-300 bg-transparent px-2 py-1 font-mono text-sm dark:border-zinc-700';

export function CompareForm({ source, repo, from = '', to = '', platform = '' }: { source: string; repo: string; from?: string; to?: string; platform?: string }) {
  const router = useRouter();
  const [values, setValues] = useState({ from, to, platform });
  const set = (key: keyof typeof values) => (event: React.ChangeEvent<HTMLInputElement>) => setValues({ ...values, [key]: event.target.value });
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const next = { from: values.from.trim(), to: values.to.trim(), platform: values.platform.trim() };
    if (!next.from || !next.to) return;
    router.push(pages.compare(source, repo, { from: next.from, to: next.to, ...(next.platform ? { platform: next.platform } : {}) }));
  };
  return (
    <form onSubmit={submit} className="flex flex-wrap items-end gap-2 text-sm" aria-label="Images to compare">
      <label className="flex flex-col gap-0.5">
        <span className="text-xs text-zinc-500 dark:text-zinc-400">From</span>
        <input className={INPUT} value={values.from} onChange={set('from')} placeholder="tag, digest or SOURCE/REPO:TAG" required />
      </label>
      <label className="flex flex-col gap-0.5">
        <span className="text-xs text-zinc-500 dark:text-zinc-400">To</span>
        <input className={INPUT} value={values.to} onChange={set('to')} placeholder="tag, digest or SOURCE/REPO:TAG" required />
      </label>
      <label className="flex flex-col gap-0.5">
        <span className="text-xs text-zinc-500 dark:text-zinc-400">Platform (indexes)</span>
        <input className={INPUT} value={values.platform} onChange={set('platform')} placeholder="linux/amd64" />
      </label>
      <Button type="submit" size="sm">Compare</Button>
      {from && to ? (
        <Button size="sm" variant="ghost" onClick={() => router.push(pages.compare(source, repo, { from: to, to: from, ...(platform ? { platform } : {}) }))}>
          Swap
        </Button>
      ) : null}
    </form>
  );
}
