'use client';

/**
 * Text with syntax highlighting by highlight.js, loaded on first use: its core and the one language needed
 * come as their own chunks, so pages that never open a file do not carry them. The text shows plain until
 * the highlighter is there, and stays plain above {@link HIGHLIGHT_LIMIT} characters (highlighting a whole
 * megabyte would freeze the page for seconds). highlight.js escapes the text it wraps in its `<span>`s.
 */
import { useEffect, useState } from 'react';
import { LANGUAGE_LOADERS, type Language } from './languages';

/** Longest text that is highlighted. */
export const HIGHLIGHT_LIMIT = 256 * 1024;

async function highlight(text: string, language: Language): Promise<string> {
  const hljs = (await import('highlight.js/lib/core')).default;
  if (!hljs.getLanguage(language)) hljs.registerLanguage(language, (await LANGUAGE_LOADERS[language]()).default);
  return hljs.highlight(text, { language, ignoreIllegals: true }).value;
}

export function HighlightedCode({ text, language }: { text: string; language?: Language }) {
  const [done, setDone] = useState<{ text: string; language: Language; html: string } | null>(null);
  const wanted = language && text.length <= HIGHLIGHT_LIMIT ? language : undefined;
  useEffect(() => {
    if (!wanted) return;
    let live = true;
    highlight(text, wanted).then(
      (html) => {
        if (live) setDone({ text, language: wanted, html });
      },
      () => undefined, // stays plain text
    );
    return () => {
      live = false;
    };
  }, [text, wanted]);
  const html = done && done.text === text && done.language === wanted ? done.html : undefined;
  const className = 'hljs block min-w-max p-3 font-mono text-xs leading-5';
  return (
    <pre className="overflow-auto" data-testid="file-text" data-language={wanted} data-highlighted={html ? 'true' : undefined}>
      {html !== undefined ? <code className={className} dangerouslySetInnerHTML={{ __html: html }} /> : <code className={className}>{text}</code>}
    </pre>
  );
}
