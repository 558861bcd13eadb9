import type { DeletePlan } from '@/lib/api/types';
import { CodeText } from './code-text';
import { codeList, describeArtifactTag, describePlan, short } from './delete-plan-text';

const NOTE = 'rounded-md border px-3 py-2 text-xs';
const WARN = `${NOTE} border-amber-300 bg-amber-50 text-amber-950 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-100`;
const INFO = `${NOTE} border-zinc-200 bg-zinc-50 text-zinc-700 dark:border-zinc-700 dark:bg-zinc-800/50 dark:text-zinc-300`;

/** Every tag and manifest a manifest delete removes, and what it breaks or leaves behind (the server's plan). */
export function DeletePlanView({ plan }: { plan: DeletePlan }) {
  const referrers = plan.manifests.filter((m) => m.role === 'referrer');
  return (
    <div className="flex min-w-0 flex-col gap-3">
      <p data-testid="delete-consequence">
        <CodeText text={describePlan(plan)} />
      </p>
      {plan.tags.length > 0 ? (
        <div>
          <p className="text-xs font-medium text-zinc-600 dark:text-zinc-400">Every tag that goes</p>
          <ul data-testid="delete-plan-tags" className="mt-1 flex max-h-40 flex-col gap-1 overflow-auto">
            {plan.tags.map((tag) => (
              <li key={tag.name} data-tag={tag.name} className="flex min-w-0 flex-col text-xs">
                <code className="truncate font-mono" title={tag.name}>
                  {tag.name}
                </code>
                {tag.subjectDigest ? (
                  <span className="text-zinc-500 dark:text-zinc-400">
                    <CodeText text={describeArtifactTag(tag.name, tag.kind, tag.subjectDigest)} />
                    {tag.why === 'emptied-referrers-index' ? ' It goes because every artifact it lists is deleted.' : ''}
                  </span>
                ) : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {referrers.length > 0 ? (
        <div>
          <p className="text-xs font-medium text-zinc-600 dark:text-zinc-400">Attached artifacts deleted with it</p>
          <ul data-testid="delete-plan-manifests" className="mt-1 flex max-h-40 flex-col gap-1 overflow-auto">
            {referrers.map((m) => (
              <li key={m.digest} className="flex min-w-0 items-center gap-2 text-xs">
                <code title={m.digest}>{short(m.digest)}</code>
                <span className="truncate text-zinc-500">{m.artifactType ?? m.kind}</span>
                {m.tags.length ? <CodeText text={`tags ${codeList(m.tags)}`} /> : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {plan.referencedBy.length > 0 ? (
        <div role="note" data-testid="delete-plan-indexes" className={WARN}>
          <p className="font-medium">{plan.referencedBy.length === 1 ? 'An index lists this manifest and breaks' : 'Indexes list this manifest and break'}</p>
          <ul className="mt-1">
            {plan.referencedBy.map((index) => (
              <li key={index.digest}>
                <CodeText text={`\`${short(index.digest)}\`${index.tags.length ? ` (tags ${codeList(index.tags)})` : ''} then lists a manifest that no longer exists (pulling it fails).`} />
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {plan.notReferrers.length > 0 ? (
        <div role="note" data-testid="delete-plan-not-referrers" className={INFO}>
          <p className="font-medium">Listed as attached, but kept: their own subject is another manifest</p>
          <ul className="mt-1">
            {plan.notReferrers.map((n) => (
              <li key={n.digest}>
                <CodeText text={`\`${short(n.digest)}\`: ${n.subject ? `its subject is \`${short(n.subject)}\`` : n.reason}`} />
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {plan.leftTags.length > 0 ? (
        <div role="note" data-testid="delete-plan-left" className={INFO}>
          <p className="font-medium">Tags that stay, describing a manifest that is gone</p>
          <ul className="mt-1">
            {plan.leftTags.map((t) => (
              <li key={t.name}>
                <CodeText text={describeArtifactTag(t.name, t.kind, t.subjectDigest)} />
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
