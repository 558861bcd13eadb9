/** Summaries of plans and results for the cleanup page. Pure. */
import type { CleanupPlan, ExecutionItem, KeepReason, PlanKeep } from '@/lib/cleanup/types';

/** Above this many deletions, the confirmation asks to type the number. */
export const TYPED_CONFIRMATION_ABOVE = 10;

export const REASON_LABELS: Record<KeepReason, string> = {
  protected: 'Protected',
  newest: 'Among the newest',
  recent: 'Too recent',
  'no-created': 'Creation time unknown',
  'no-rule': 'Matches no rule',
  unresolved: 'Could not be read',
  'artifact-tag': 'Signature / referrers tag',
};

export const REASON_ORDER: readonly KeepReason[] = ['protected', 'newest', 'recent', 'no-created', 'no-rule', 'unresolved', 'artifact-tag'];

/** Kept tags grouped by reason, in {@link REASON_ORDER}, empty groups left out. */
export function keepGroups(keep: readonly PlanKeep[]): { reason: KeepReason; label: string; items: PlanKeep[] }[] {
  return REASON_ORDER.map((reason) => ({ reason, label: REASON_LABELS[reason], items: keep.filter((k) => k.reason === reason) })).filter(
    (g) => g.items.length > 0,
  );
}

/** The deletions a person confirms: exactly what the preview showed. */
export function confirmedDeletions(plan: CleanupPlan): { repository: string; tag: string; digest: string }[] {
  return plan.delete.map(({ repository, tag, digest }) => ({ repository, tag, digest }));
}

/** Whether the typed confirmation matches (only needed above {@link TYPED_CONFIRMATION_ABOVE}). */
export function confirmationOk(count: number, typed: string): boolean {
  return count <= TYPED_CONFIRMATION_ABOVE || typed.trim() === String(count);
}

export interface ProgressCounts {
  done: number;
  deleted: number;
  skipped: number;
  failed: number;
}

export function progressCounts(items: readonly ExecutionItem[]): ProgressCounts {
  return {
    done: items.length,
    deleted: items.filter((i) => i.status === 'deleted').length,
    skipped: items.filter((i) => i.status === 'skipped').length,
    failed: items.filter((i) => i.status === 'failed').length,
  };
}

/** `team/app` → number of deletions, for the per-repository summary. */
export function deletionsByRepository(plan: CleanupPlan): { repository: string; delete: number; keep: number }[] {
  return plan.repositories.map((repository) => ({
    repository,
    delete: plan.delete.filter((d) => d.repository === repository).length,
    keep: plan.keep.filter((k) => k.repository === repository).length,
  }));
}
