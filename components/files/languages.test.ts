import { describe, expect, it } from 'vitest';
import { LANGUAGE_LOADERS, languageOf } from './languages';

describe('languageOf', () => {
  it('goes by extension, case-insensitively', () => {
    expect(languageOf('app/main.py')).toBe('python');
    expect(languageOf('srv/Server.GO')).toBe('go');
    expect(languageOf('etc/app/config.yml')).toBe('yaml');
    expect(languageOf('usr/share/index.html')).toBe('xml');
  });

  it('knows base names without extension', () => {
    expect(languageOf('src/Dockerfile')).toBe('dockerfile');
    expect(languageOf('src/Dockerfile.prod')).toBe('dockerfile');
    expect(languageOf('etc/nginx/nginx.conf')).toBe('nginx');
    expect(languageOf('root/.bashrc')).toBe('bash');
  });

  it('falls back to the shebang', () => {
    expect(languageOf('usr/bin/entrypoint', '#!/bin/sh')).toBe('bash');
    expect(languageOf('usr/local/bin/tool', '#!/usr/bin/env python3')).toBe('python');
    expect(languageOf('usr/bin/run', '#!/usr/bin/env node')).toBe('javascript');
  });

  it('answers undefined for plain text and hidden files without extension', () => {
    expect(languageOf('etc/os-release', 'PRETTY_NAME="Debian"')).toBeUndefined();
    expect(languageOf('.gitignore')).toBeUndefined();
  });

  it('loads every language it names', async () => {
    for (const load of Object.values(LANGUAGE_LOADERS)) expect(typeof (await load()).default).toBe('function');
  });
});
