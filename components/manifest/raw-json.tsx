'use client';

import clsx from 'clsx';
import { PageLink } from '@/components/ui/page-link';
import { useMemo, useState } from 'react';
import { CopyButton } from '@/components/ui/copy-button';
import { apiUrls, pages } from '@/lib/routes';
import { type JsonToken, jsonLines } from './json-tokens';

const TOKEN_CLASS: Record<JsonToken['type'], string> = {
  punct: 'text-zinc-500 dark:text-zinc-500',
  key: 'text-indigo-800 dark:text-indigo-300',
  string: 'text-emerald-800 dark:text-emerald-300',
  number: 'text-amber-800 dark:text-amber-300',
  boolean: 'text-amber-800 dark:text-amber-300',
  null: 'text-zinc-500',
};

function parse(raw: string, parsed: unknown): { ok: true; value: unknown } | { ok: false } {
  if (parsed !== undefined && parsed !== null) return { ok: true, value: parsed };
  try {
    return { ok: true, value: JSON.parse(raw) };
  } catch {
    return { ok: false };
  }
}

function Token({ token, source, repo }: { token: JsonToken; source: string; repo: string }) {
  if (token.type === 'string' && token.digest) {
    const className = 'text-sky-700 underline decoration-sky-700/40 hover:decoration-sky-700 dark:text-sky-400 dark:decoration-sky-400/40';
    // Keep the quotes outside the link so the link text is exactly the digest.
    return (
      <span className={TOKEN_CLASS.string}>
        &quot;
        {token.target === 'manifest' ? (
          <PageLink href={pages.manifest(source, repo, token.digest)} className={className} data-digest-link="manifest">
            {token.digest}
          </PageLink>
        ) : (
          <a href={apiUrls.blob(source, repo, token.digest)} className={className} data-digest-link="blob">
            {token.digest}
          </a>
        )}
        &quot;
      </span>
    );
  }
  return <span className={TOKEN_CLASS[token.type]}>{token.text}</span>;
}

/** The manifest as JSON, pretty-printed with every digest a link, or the exact bytes the registry served. */
export function RawJson({ source, repo, raw, parsed }: { source: string; repo: string; raw: string; parsed?: unknown }) {
  const [exact, setExact] = useState(false);
  const doc = useMemo(() => parse(raw, parsed), [raw, parsed]);
  const lines = useMemo(() => (doc.ok ? jsonLines(doc.value) : []), [doc]);
  const showExact = exact || !doc.ok;
  return (
    <div data-testid="raw-json">
      <div className="mb-2 flex items-center gap-2 text-xs">
        <div role="group" aria-label="JSON view" className="inline-flex rounded-md border border-zinc-300 dark:border-zinc-700">
          {[false, true].map((value) => (
            <button
              key={String(value)}
              type="button"
              aria-pressed={showExact === value}
              disabled={value === false && !doc.ok}
              onClick={() => setExact(value)}
              className={clsx('px-2 py-1 first:rounded-l-md last:rounded-r-md disabled:opacity-50', showExact === value ? 'bg-zinc-200 font-medium dark:bg-zinc-700' : 'hover:bg-zinc-100 dark:hover:bg-zinc-800')}
            >
              {value ? 'Exact bytes' : 'Pretty, with links'}
            </button>
          ))}
        </div>
        <CopyButton value={raw} label="Copy the manifest as served" />
        {doc.ok ? null : <span className="text-red-700 dark:text-red-300">The body is not valid JSON; shown as served.</span>}
      </div>
      <pre className="max-h-[32rem] overflow-auto rounded-md border border-zinc-200 bg-zinc-50 p-3 font-mono text-xs leading-5 dark:border-zinc-800 dark:bg-zinc-900">
        {showExact ? (
          <code className="break-all whitespace-pre-wrap">{raw}</code>
        ) : (
          <code>
            {lines.map((line, i) => (
              // Hanging indent: a wrapped long value continues under its own line, not at the margin.
              <div key={i} style={{ paddingLeft: `${line.indent * 2 + 2}ch`, textIndent: '-2ch' }} className="break-all whitespace-pre-wrap">
                {line.tokens.map((token, j) => (
                  <Token key={j} token={token} source={source} repo={repo} />
                ))}
              </div>
            ))}
          </code>
        )}
      </pre>
    </div>
  );
}
