/**
 * Plain-text rendering of plans and results for the CLI (and its logs in cron jobs): aligned tables, sizes
 * in binary units (the pages' formatter, `lib/text/bytes.ts`), ages in days. Pure.
 */
import { reclaimScope } from './reclaim-text';
import { shortDigest } from '@/lib/oci/digest';
import { createdMs } from '@/lib/tags/order';
import { formatBytes } from '@/lib/text/bytes';
import { DAY_MS } from './planner';
import type { CleanupPlan, CleanupResult } from './types';

/** Columns padded to their widest cell; an empty table is just the header. */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

function age(created: string | null, now: number): string {
  const ms = createdMs(created);
  if (ms === null) return '-';
  return `${Math.floor((now - ms) / DAY_MS)}d`;
}

const short = (digest: string | null) => (digest ? `${digest.slice(0, digest.indexOf(':') + 1)}${shortDigest(digest)}` : '-');

/** The whole plan: deletions, kept tags with reasons, untagged manifests, referrers, space. */
export function formatPlan(plan: CleanupPlan): string {
  const now = Date.parse(plan.now);
  const out: string[] = [];
  out.push(`Cleanup plan for source "${plan.source}" at ${plan.now} — ${plan.repositories.length} repositories matched`);
  out.push('');
  out.push(`DELETE (${plan.delete.length} tags)`);
  out.push(
    formatTable(
      ['REPOSITORY', 'TAG', 'DIGEST', 'CREATED', 'AGE', 'RULES'],
      plan.delete.map((d) => [d.repository, d.tag, short(d.digest), d.created ?? '-', age(d.created, now), d.rules.map((r) => `rules[${r}]`).join(',')]),
    ),
  );
  out.push('');
  out.push(`KEEP (${plan.keep.length} tags)`);
  out.push(formatTable(['REPOSITORY', 'TAG', 'REASON', 'WHY'], plan.keep.map((k) => [k.repository, k.tag, k.reason, k.detail])));
  if (plan.untagged.length > 0) {
    out.push('');
    out.push(`LEFT WITHOUT TAGS (${plan.untagged.length} manifests; still pullable by digest until garbage collection)`);
    out.push(formatTable(['REPOSITORY', 'DIGEST', 'TAGS REMOVED'], plan.untagged.map((u) => [u.repository, u.digest, u.tags.join(', ')])));
  }
  if (plan.referrers.length > 0) {
    out.push('');
    out.push(`REFERRERS AFFECTED (${plan.referrers.length}; attached to manifests left without tags)`);
    out.push(
      formatTable(
        ['REPOSITORY', 'SUBJECT', 'VIA', 'REFERRER', 'ARTIFACT TYPE'],
        plan.referrers.map((r) => [r.repository, short(r.subject), r.via, r.tag ?? short(r.digest ?? null), r.artifactType ?? '-']),
      ),
    );
  }
  out.push('');
  out.push(
    `Reclaimable after garbage collection: ${formatBytes(plan.reclaimableBytes)} in ${plan.reclaim.blobs} blobs and manifests` +
      (plan.reclaim.exact ? '' : ' (estimate: some manifests could not be read)'),
  );
  out.push(`  ${reclaimScope(plan.reclaim)}`);
  for (const w of [...plan.reclaim.warnings, ...plan.warnings]) out.push(`warning: ${w}`);
  for (const e of plan.errors) out.push(`error: ${e.repository}: ${e.error.code}: ${e.error.message} (nothing planned there)`);
  return out.join('\n');
}

/** Per-item results, totals, and how the space is reclaimed. */
export function formatResult(result: CleanupResult): string {
  const out: string[] = [];
  out.push(`RESULTS (${result.items.length})`);
  out.push(
    formatTable(
      ['REPOSITORY', 'TAG', 'STATUS', 'DETAIL'],
      result.items.map((i) => [i.repository, i.tag, i.status, i.status === 'deleted' ? (i.method ?? '') : (i.reason ?? '')]),
    ),
  );
  if (result.collected.length > 0) {
    out.push('');
    out.push(`MANIFESTS LEFT WITHOUT TAGS, COLLECTED (${result.collected.length})`);
    out.push(formatTable(['REPOSITORY', 'DIGEST', 'STATUS', 'DETAIL'], result.collected.map((c) => [c.repository, c.digest, c.status, c.reason ?? ''])));
  }
  out.push('');
  out.push(`${result.deleted} deleted, ${result.skipped} skipped, ${result.failed} failed${result.stopped ? ' — stopped after a failure' : ''}`);
  out.push('');
  out.push(result.gc.message);
  for (const command of result.gc.commands) out.push(`  ${command}`);
  return out.join('\n');
}
