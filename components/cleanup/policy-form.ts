/**
 * The small form over a policy's common fields, kept in step with the JSON text (the text is the source of
 * truth: the form reads it when it parses, and writes it back keeping every other field). Pure.
 */

export interface RuleFields {
  match: string;
  keepNewest: string;
  olderThanDays: string;
}

export interface PolicyFields {
  /** One repository or pattern per line. */
  repositories: string;
  rules: RuleFields[];
  /** One protection regex per line. */
  protect: string;
}

export const DEFAULT_POLICY = {
  repositories: ['**'],
  rules: [{ match: '^ci-', keepNewest: 5, olderThanDays: 30 }],
  protect: ['^latest$', '^v\\d+\\.\\d+\\.\\d+$'],
};

export const DEFAULT_POLICY_TEXT = JSON.stringify(DEFAULT_POLICY, null, 2);

export const EMPTY_RULE: RuleFields = { match: '', keepNewest: '', olderThanDays: '' };

type Json = Record<string, unknown>;

/** The JSON object in `text`, or null when it is not a JSON object. */
export function parseObject(text: string): Json | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : null;
  } catch {
    return null;
  }
}

const lines = (value: unknown): string =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string').join('\n') : '';

const field = (value: unknown): string => (typeof value === 'number' || typeof value === 'string' ? String(value) : '');

/** The form's view of a policy object. */
export function fieldsFromPolicy(policy: Json): PolicyFields {
  const rules = Array.isArray(policy.rules) ? policy.rules : [];
  return {
    repositories: lines(policy.repositories),
    protect: lines(policy.protect),
    rules: rules.map((r) => {
      const rule = (typeof r === 'object' && r !== null ? r : {}) as Json;
      return { match: field(rule.match), keepNewest: field(rule.keepNewest), olderThanDays: field(rule.olderThanDays) };
    }),
  };
}

const splitLines = (text: string): string[] =>
  text
    .split(/[\n,]/)
    .map((l) => l.trim())
    .filter((l) => l !== '');

/** A number when the text is one; the text itself otherwise, so that validation names the field. */
function numberOrText(text: string): number | string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const n = Number(trimmed);
  return Number.isFinite(n) ? n : trimmed;
}

/** Writes the form's fields into `base` (other fields, such as `now`, are kept) and returns the new object. */
export function policyWithFields(base: Json, fields: PolicyFields): Json {
  const rules = fields.rules.map((r) => {
    // Keep unknown rule fields out: the form edits exactly these three.
    const rule: Json = { match: r.match };
    const keep = numberOrText(r.keepNewest);
    const days = numberOrText(r.olderThanDays);
    if (keep !== undefined) rule.keepNewest = keep;
    if (days !== undefined) rule.olderThanDays = days;
    return rule;
  });
  const next: Json = { ...base, repositories: splitLines(fields.repositories), rules };
  const protect = fields.protect
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  if (protect.length > 0) next.protect = protect;
  else delete next.protect;
  return next;
}

/** The JSON text for the form's fields on top of `text` (or the defaults when `text` is not an object). */
export function textWithFields(text: string, fields: PolicyFields): string {
  return JSON.stringify(policyWithFields(parseObject(text) ?? {}, fields), null, 2);
}
