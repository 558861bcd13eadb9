'use client';

import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { registryQueries } from '@/lib/query/options';
import { CopyDialog } from './copy-dialog';

/** "Copy to…" on a manifest; shown only when some source allows writing. */
export function CopyToButton(props: { source: string; repo: string; digest: string; shownTag?: string }) {
  const sources = useQuery(registryQueries.sources());
  const [open, setOpen] = useState(false);
  const targets = sources.data?.sources.filter((s) => s.write === true) ?? [];
  if (targets.length === 0) return null;
  return (
    <>
      <Button onClick={() => setOpen(true)}>Copy to…</Button>
      {open ? (
        <CopyDialog
          open
          onClose={() => setOpen(false)}
          targets={targets}
          source={props.source}
          repo={props.repo}
          items={[{ reference: `@${props.digest}`, label: `${props.digest.slice(0, 19)}…`, ...(props.shownTag ? { tag: props.shownTag } : {}) }]}
        />
      ) : null}
    </>
  );
}
