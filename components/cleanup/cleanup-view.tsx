'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type ReactNode } from 'react';
import { SourceInfo } from '@/components/catalog/source-info';
import { useDeletion } from '@/components/catalog/use-deletion';
import { Button } from '@/components/ui/button';
import { CopyButton } from '@/components/ui/copy-button';
import { ErrorState } from '@/components/ui/error-state';
import { parsePolicyText } from '@/lib/cleanup/policy-schema';
import type { CleanupPlan, CleanupResult, CollectedManifest, ExecutionItem, PolicyFieldError } from '@/lib/cleanup/types';
import { fromWireErrors, isRegistryError, RegistryError } from '@/lib/oci/errors';
import { registryKeys } from '@/lib/query/keys';
import { registryQueries } from '@/lib/query/options';
import { previewCleanup, runCleanup } from './cleanup-client';
import { ConfirmCleanupDialog } from './confirm-dialog';
import { confirmedDeletions } from './plan-model';
import { PolicyEditor } from './policy-editor';
import { cronCommand } from './cron-command';
import { DEFAULT_POLICY_TEXT, parseObject } from './policy-form';
import { PlanView } from './plan-view';
import { RunView } from './run-view';

/** Field errors the server reported for a policy (400 with `detail.errors`). */
function serverFieldErrors(error: unknown): PolicyFieldError[] {
  if (!isRegistryError(error) || error.status !== 400) return [];
  const detail = error.detail as { errors?: unknown } | undefined;
  return Array.isArray(detail?.errors) ? (detail.errors as PolicyFieldError[]) : [];
}

interface Run {
  total: number;
  items: ExecutionItem[];
  collected: CollectedManifest[];
  running: boolean;
  result: CleanupResult | null;
  error: unknown;
}

function Step({ n, title, children }: { n: number; title: string; children: ReactNode }) {
  return (
    <section className="flex flex-col gap-3 rounded-lg border border-zinc-200 p-4 dark:border-zinc-800" aria-labelledby={`step-${n}`}>
      <h2 id={`step-${n}`} className="text-base font-semibold">
        <span className="mr-2 inline-flex h-6 w-6 items-center justify-center rounded-full bg-zinc-200 text-xs dark:bg-zinc-800">{n}</span>
        {title}
      </h2>
      {children}
    </section>
  );
}

/** The Cleanup page of a source: edit a policy, preview the plan, confirm, watch it run, read the results. */
export function CleanupView({ source }: { source: string }) {
  const queryClient = useQueryClient();
  const { data: sources } = useQuery(registryQueries.sources());
  const summary = sources?.sources.find((s) => s.name === source);
  const deletion = useDeletion(summary);
  const refused = deletion?.allowed === false;
  const readOnly = summary !== undefined && (!summary.delete || refused);

  const [text, setText] = useState(DEFAULT_POLICY_TEXT);
  const parsed = parsePolicyText(text);
  const [previewed, setPreviewed] = useState<{ text: string; plan: CleanupPlan } | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [run, setRun] = useState<Run | null>(null);
  const abort = useRef<AbortController | null>(null);

  const preview = useMutation({
    mutationFn: (policyText: string) => previewCleanup(source, parseObject(policyText) ?? {}),
    onSuccess: (plan, policyText) => {
      setPreviewed({ text: policyText, plan });
      setRun(null);
    },
  });
  const stale = previewed !== null && previewed.text !== text;
  const errors = parsed.ok ? serverFieldErrors(preview.error) : parsed.errors;
  const running = run?.running ?? false;

  const execute = async () => {
    if (!previewed) return;
    setConfirming(false);
    const controller = new AbortController();
    abort.current = controller;
    const state: Run = { total: previewed.plan.delete.length, items: [], collected: [], running: true, result: null, error: null };
    setRun(state);
    const update = (patch: Partial<Run>) => {
      Object.assign(state, patch);
      setRun({ ...state });
    };
    try {
      await runCleanup(
        source,
        parseObject(previewed.text) ?? {},
        confirmedDeletions(previewed.plan),
        (event) => {
          if (event.type === 'item') update({ total: event.total, items: [...state.items, event.item] });
          else if (event.type === 'collect') update({ collected: [...state.collected, event.item] });
          else if (event.type === 'result') update({ result: event.result });
          else if (event.type === 'error') update({ error: fromWireErrors(500, { errors: [event.error] }) });
        },
        controller.signal,
      );
      if (!state.result && !state.error) {
        update({ error: new RegistryError('UNAVAILABLE', 'The connection ended before the cleanup reported its result; the audit log has every deletion.') });
      }
    } catch (error) {
      const stopped = (error as Error).name === 'AbortError';
      update({
        error: stopped
          ? new RegistryError('UNAVAILABLE', 'Stopped at your request: the tags listed above were processed, nothing after them. The audit log has every deletion.')
          : error,
      });
    } finally {
      update({ running: false });
      await queryClient.invalidateQueries({ queryKey: registryKeys.source(source) });
    }
  };

  const cli = cronCommand(source);

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-col gap-1">
        <h1 className="text-xl font-semibold">Cleanup</h1>
        {summary ? <SourceInfo source={summary} /> : null}
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Retention rules for <code>{source}</code>: preview exactly which tags go and which stay, then apply the plan. Protected tags
          and tags no rule matches are never deleted.
        </p>
      </div>

      {readOnly ? (
        <div role="alert" data-testid="cleanup-read-only" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950/40 dark:text-amber-100">
          {refused ? (
            <>This source cannot be cleaned up: {deletion.reason}. Nothing is planned that could not be run.</>
          ) : (
            <>
              This source is read-only, so it cannot be cleaned up. Set <code>delete: true</code> on it in the Porthole configuration to
              enable deleting.
            </>
          )}
        </div>
      ) : null}

      <Step n={1} title="Policy">
        <PolicyEditor text={text} onChange={setText} errors={errors} disabled={running} />
        <div className="flex flex-wrap items-center gap-2">
          <Button
            variant="primary"
            data-testid="preview-cleanup"
            disabled={!parsed.ok || readOnly || preview.isPending || running}
            onClick={() => preview.mutate(text)}
          >
            {preview.isPending ? 'Planning…' : previewed ? 'Preview again' : 'Preview plan'}
          </Button>
          <Button onClick={() => setText(DEFAULT_POLICY_TEXT)} disabled={running}>
            Reset to example
          </Button>
          <span className="ml-auto inline-flex items-center gap-1 text-xs text-zinc-600 dark:text-zinc-400">
            From cron (applies the policy saved as policy.json): <code data-testid="cron-command">{cli}</code>
            <CopyButton value={cli} label="Copy the command" />
          </span>
        </div>
        {preview.error && errors.length === 0 ? <ErrorState error={preview.error} title="Could not plan this policy" /> : null}
      </Step>

      {previewed ? (
        <Step n={2} title="Preview">
          {stale ? (
            <p data-testid="plan-stale" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950/40 dark:text-amber-100">
              The policy changed since this preview. Preview again before deleting.
            </p>
          ) : null}
          <PlanView plan={previewed.plan} />
          <div>
            <Button
              variant="danger"
              data-testid="execute-cleanup"
              disabled={stale || readOnly || running || previewed.plan.delete.length === 0 || Boolean(run?.result)}
              onClick={() => setConfirming(true)}
            >
              Delete {previewed.plan.delete.length} {previewed.plan.delete.length === 1 ? 'tag' : 'tags'}…
            </Button>
          </div>
          <ConfirmCleanupDialog
            open={confirming}
            source={source}
            count={previewed.plan.delete.length}
            untagged={previewed.plan.untagged.length}
            onClose={() => setConfirming(false)}
            onConfirm={() => void execute()}
          />
        </Step>
      ) : null}

      {run ? (
        <Step n={3} title={run.running ? 'Running' : 'Results'}>
          <RunView total={run.total} items={run.items} collected={run.collected} running={run.running} result={run.result} />
          {run.running ? (
            <div>
              <Button onClick={() => abort.current?.abort()}>Stop after the current tag</Button>
            </div>
          ) : null}
          {run.error ? <ErrorState error={run.error} title="The cleanup did not finish" /> : null}
          {!run.running && run.result ? (
            <div>
              <Button onClick={() => preview.mutate(text)} disabled={!parsed.ok}>
                Preview again
              </Button>
            </div>
          ) : null}
        </Step>
      ) : null}
    </div>
  );
}
