/**
 * The body of `POST /api/sources/{source}/cleanup`: a policy, plus optionally `expect`, the deletions the
 * user confirmed from a preview. With `expect`, execution deletes only planned tags that are also in it,
 * so a tag pushed between preview and confirmation is never deleted unseen. Pure.
 */
import { isDigest } from '@/lib/oci/digest';
import type { Digest } from '@/lib/oci/types';
import { parsePolicy } from './policy-schema';
import type { CleanupPolicy, PolicyFieldError } from './types';

/** A planned deletion as confirmed by a person: the tag and the digest it pointed at in the preview. */
export interface PlannedTagRef {
  repository: string;
  tag: string;
  digest: Digest;
}

export interface CleanupRequest {
  policy: CleanupPolicy;
  expect?: PlannedTagRef[];
}

export type CleanupRequestResult = { ok: true; request: CleanupRequest } | { ok: false; errors: PolicyFieldError[] };

/** Most confirmed deletions in one request. */
export const MAX_EXPECT = 100_000;

function parseExpect(value: unknown, errors: PolicyFieldError[]): PlannedTagRef[] | undefined {
  if (!Array.isArray(value)) {
    errors.push({ field: 'expect', message: 'must be an array of {repository, tag, digest}' });
    return undefined;
  }
  if (value.length > MAX_EXPECT) errors.push({ field: 'expect', message: `has more than ${MAX_EXPECT} entries` });
  const out: PlannedTagRef[] = [];
  value.forEach((item, i) => {
    const v = item as Record<string, unknown> | null;
    if (
      typeof v !== 'object' ||
      v === null ||
      typeof v.repository !== 'string' ||
      typeof v.tag !== 'string' ||
      typeof v.digest !== 'string' ||
      !isDigest(v.digest)
    ) {
      errors.push({ field: `expect[${i}]`, message: 'must be {repository, tag, digest} with a valid digest' });
      return;
    }
    out.push({ repository: v.repository, tag: v.tag, digest: v.digest });
  });
  return out;
}

/** Validates a request body; problems are reported by field like {@link parsePolicy}. */
export function parseCleanupRequest(body: unknown): CleanupRequestResult {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, errors: [{ field: '', message: 'the body must be a JSON policy object' }] };
  }
  const { expect, ...rest } = body as Record<string, unknown>;
  const errors: PolicyFieldError[] = [];
  const expected = expect === undefined ? undefined : parseExpect(expect, errors);
  const parsed = parsePolicy(rest);
  if (!parsed.ok) errors.push(...parsed.errors);
  if (!parsed.ok || errors.length > 0) return { ok: false, errors };
  return { ok: true, request: expected ? { policy: parsed.policy, expect: expected } : { policy: parsed.policy } };
}

/** Key of a planned deletion, for set membership. */
export function plannedKey(ref: PlannedTagRef): string {
  return `${ref.repository}\u0000${ref.tag}\u0000${ref.digest}`;
}
