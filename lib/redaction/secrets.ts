/**
 * The one process-wide list of values that must never leave the server: configured secrets and their derived
 * forms (set from the configuration), secrets learnt at run time (registry tokens), and local paths. Every
 * response body, log line and audit entry passes through {@link redact}.
 *
 * The list lives on `globalThis` under `Symbol.for('porthole.redactions')`: Next.js builds the server into
 * several chunks, each with its own copy of this module, and the chunk that loads the configuration is not the
 * one that answers every request. A module-level list was empty in most chunks (issue 10, item 6).
 *
 * Deliberately no `server-only` import: the server entry (scripts/serve.ts) logs through it outside the Next.js
 * bundles. The module holds no secret in its source; values exist in memory only.
 */

/** A value to scrub. Paths are replaced only where they start a path (so `team/app` survives a path `/app`). */
export interface Redaction {
  value: string;
  replacement: string;
  path?: boolean;
}

interface Compiled {
  value: string;
  replacement: string;
  pattern?: RegExp;
}

interface Store {
  configured: Compiled[];
  /** Secrets learnt at run time (tokens from token servers), newest last, bounded. */
  learnt: string[];
  /** Both lists merged, longest value first (so a secret containing another is replaced whole). */
  all: Compiled[];
}

/** Run-time secrets kept: tokens expire within minutes (distribution: 60 s); the bound keeps redaction cheap on large answers. */
const MAX_LEARNT = 64;
/** Shorter values are not redacted: they would garble ordinary text and cannot be secret enough to matter. */
const MIN_LENGTH = 3;
const REDACTED = '[redacted]';

const KEY = Symbol.for('porthole.redactions');

function store(): Store {
  const scope = globalThis as Record<symbol, unknown>;
  let found = scope[KEY] as Store | undefined;
  if (!found) {
    found = { configured: [], learnt: [], all: [] };
    scope[KEY] = found;
  }
  return found;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The forms a secret takes in text that leaves the server: as is, inside a JSON string, percent-encoded. */
function secretForms(value: string): string[] {
  const forms = new Set([value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value)]);
  return [...forms];
}

function compile(list: readonly Redaction[]): Compiled[] {
  const out: Compiled[] = [];
  for (const r of list) {
    if (r.value.length < MIN_LENGTH) continue;
    if (r.path) {
      out.push({ ...r, pattern: new RegExp(`(?<![A-Za-z0-9._-])${escapeRegExp(r.value)}(?![A-Za-z0-9._-])`, 'g') });
      continue;
    }
    for (const form of secretForms(r.value)) out.push({ value: form, replacement: r.replacement });
  }
  return out;
}

function rebuild(s: Store): void {
  const learnt = compile(s.learnt.map((value) => ({ value, replacement: REDACTED })));
  s.all = [...s.configured, ...learnt].sort((a, b) => b.value.length - a.value.length);
}

/** Replaces the configured list (called when the configuration is loaded). Run-time secrets are kept. */
export function setRedactions(list: readonly Redaction[]): void {
  const s = store();
  s.configured = compile(list);
  rebuild(s);
}

/** Registers a secret learnt at run time (a token a token server issued), replaced by `[redacted]`. */
export function registerSecret(value: string): void {
  const s = store();
  if (value.length < MIN_LENGTH || s.learnt.includes(value)) return;
  s.learnt.push(value);
  if (s.learnt.length > MAX_LEARNT) s.learnt.splice(0, s.learnt.length - MAX_LEARNT);
  rebuild(s);
}

/** Forgets run-time secrets (tests). */
export function clearLearntSecrets(): void {
  const s = store();
  s.learnt = [];
  rebuild(s);
}

/**
 * Credentials in HTTP authorization syntax (`Basic dXNlcjpwYXNz`, `Bearer eyJ…`) whatever their value: a
 * registry or proxy that echoes request headers may echo a credential Porthole never saw as a value (a token
 * from a Docker config, a proxy's own header). 16+ token68 characters, so prose like "Basic authentication" stays.
 */
const AUTHORIZATION_VALUE = /\b(Basic|Bearer)(\s+)[A-Za-z0-9._~+/-]{16,}=*/gi;

/** Removes every registered secret (in its derived forms), credential header value and local path from a text. */
export function redact(text: string): string {
  let out = text;
  for (const r of store().all) out = r.pattern ? out.replace(r.pattern, r.replacement) : out.split(r.value).join(r.replacement);
  return out.replace(AUTHORIZATION_VALUE, `$1$2${REDACTED}`);
}
