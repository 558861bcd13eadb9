/**
 * Which highlight.js language a file is, by its name (extension or well-known base name) or its shebang.
 * Only the languages listed here are ever loaded, each in its own chunk, when a file of it is opened.
 */

/** The languages the viewer can highlight, and how to load each (highlight.js language modules). */
export const LANGUAGE_LOADERS = {
  bash: () => import('highlight.js/lib/languages/bash'),
  c: () => import('highlight.js/lib/languages/c'),
  cpp: () => import('highlight.js/lib/languages/cpp'),
  css: () => import('highlight.js/lib/languages/css'),
  dockerfile: () => import('highlight.js/lib/languages/dockerfile'),
  go: () => import('highlight.js/lib/languages/go'),
  ini: () => import('highlight.js/lib/languages/ini'),
  java: () => import('highlight.js/lib/languages/java'),
  javascript: () => import('highlight.js/lib/languages/javascript'),
  json: () => import('highlight.js/lib/languages/json'),
  makefile: () => import('highlight.js/lib/languages/makefile'),
  markdown: () => import('highlight.js/lib/languages/markdown'),
  nginx: () => import('highlight.js/lib/languages/nginx'),
  python: () => import('highlight.js/lib/languages/python'),
  rust: () => import('highlight.js/lib/languages/rust'),
  sql: () => import('highlight.js/lib/languages/sql'),
  typescript: () => import('highlight.js/lib/languages/typescript'),
  xml: () => import('highlight.js/lib/languages/xml'),
  yaml: () => import('highlight.js/lib/languages/yaml'),
} as const;

export type Language = keyof typeof LANGUAGE_LOADERS;

const BY_EXTENSION: Record<string, Language> = {
  sh: 'bash', bash: 'bash', zsh: 'bash', ksh: 'bash',
  c: 'c', h: 'c',
  cc: 'cpp', cpp: 'cpp', cxx: 'cpp', hpp: 'cpp', hh: 'cpp',
  css: 'css',
  go: 'go',
  ini: 'ini', toml: 'ini', cfg: 'ini', conf: 'ini', service: 'ini', desktop: 'ini',
  java: 'java',
  js: 'javascript', mjs: 'javascript', cjs: 'javascript', jsx: 'javascript',
  json: 'json',
  mk: 'makefile',
  md: 'markdown', markdown: 'markdown',
  py: 'python', pyi: 'python',
  rs: 'rust',
  sql: 'sql',
  ts: 'typescript', tsx: 'typescript', mts: 'typescript', cts: 'typescript',
  xml: 'xml', html: 'xml', htm: 'xml', svg: 'xml', xhtml: 'xml', plist: 'xml',
  yaml: 'yaml', yml: 'yaml',
};

const BY_NAME: Record<string, Language> = {
  dockerfile: 'dockerfile',
  containerfile: 'dockerfile',
  makefile: 'makefile',
  gnumakefile: 'makefile',
  'nginx.conf': 'nginx',
  '.bashrc': 'bash',
  '.profile': 'bash',
  '.bash_profile': 'bash',
};

const SHEBANG: [RegExp, Language][] = [
  [/^#!.*\b(ba|da|z|k)?sh\b/, 'bash'],
  [/^#!.*\bpython[0-9.]*\b/, 'python'],
  [/^#!.*\bnode\b/, 'javascript'],
];

/** The language of a file from its path and, failing that, its first line; undefined: plain text. */
export function languageOf(path: string, firstLine = ''): Language | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  const byName = BY_NAME[name];
  if (byName) return byName;
  const dot = name.lastIndexOf('.');
  if (dot > 0) {
    const byExtension = BY_EXTENSION[name.slice(dot + 1)];
    if (byExtension) return byExtension;
  }
  if (name.startsWith('dockerfile.')) return 'dockerfile';
  return SHEBANG.find(([pattern]) => pattern.test(firstLine))?.[1];
}
