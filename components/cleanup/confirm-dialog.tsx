'use client';

import { useId, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { confirmationOk, TYPED_CONFIRMATION_ABOVE } from './plan-model';

export interface ConfirmCleanupDialogProps {
  open: boolean;
  source: string;
  count: number;
  untagged: number;
  onClose: () => void;
  onConfirm: () => void;
}

/** "Delete N tags?" — above a few tags the number has to be typed, so a big cleanup is never one stray click. */
export function ConfirmCleanupDialog({ open, source, count, untagged, onClose, onConfirm }: ConfirmCleanupDialogProps) {
  const id = useId();
  const [typed, setTyped] = useState('');
  const ok = confirmationOk(count, typed);
  const close = () => {
    setTyped('');
    onClose();
  };
  return (
    <Dialog
      open={open}
      onClose={close}
      title={`Delete ${count} ${count === 1 ? 'tag' : 'tags'} from ${source}?`}
      footer={
        <>
          <Button onClick={close}>Cancel</Button>
          <Button
            variant="danger"
            data-testid="confirm-cleanup"
            disabled={!ok}
            onClick={() => {
              setTyped('');
              onConfirm();
            }}
          >
            Delete {count} {count === 1 ? 'tag' : 'tags'}
          </Button>
        </>
      }
    >
      <form
        className="flex flex-col gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          if (ok) onConfirm();
        }}
      >
        <p>
          Exactly the tags of the preview are deleted, one at a time, each only if it still points at the digest shown. Other tags
          on the same manifests stay. {untagged > 0 ? `${untagged} manifests will have no tag left (still pullable by digest).` : ''}
        </p>
        <p className="text-xs text-zinc-600 dark:text-zinc-400">Every deletion is written to the audit log. A failure stops the run.</p>
        {count > TYPED_CONFIRMATION_ABOVE ? (
          <label htmlFor={id} className="flex flex-col gap-1 text-sm">
            <span>
              Type <strong>{count}</strong> to confirm
            </span>
            <input
              id={id}
              data-testid="confirm-count"
              autoFocus
              autoComplete="off"
              inputMode="numeric"
              className="w-32 rounded-md border border-zinc-300 bg-white px-2 py-1 dark:border-zinc-700 dark:bg-zinc-900"
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
            />
          </label>
        ) : null}
      </form>
    </Dialog>
  );
}
