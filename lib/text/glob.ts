/**
 * The one repository pattern language, used by source `include`/`exclude` (`lib/registry/filter/select.ts`)
 * and cleanup policies (`repositories`, `lib/cleanup/policy.ts`). Pure. Patterns match whole names:
 *
 * - `*` matches any characters except `/` (within one path component): `team/*` matches `team/app`, not
 *   `team/app/sub` or `team`;
 * - `**` matches any characters including `/`: `team/**` matches `team/app` and `team/app/sub`, `**` every
 *   repository;
 * - a `**` path component followed by `/` matches zero or more whole components: `**` + `/cache` matches
 *   `cache` and `a/b/cache` (not `a/bcache`); `a/` + `**` + `/b` matches `a/b` and `a/x/y/b`;
 * - `?` matches one character except `/`; everything else matches itself.
 *
 * Documented for users in docs/configuration.md (sources) and referred to from docs/cleanup.md.
 */

/**
 * The anchored regular-expression source of one repository pattern (see the module comment). Its syntax is
 * common to JavaScript and RE2, so cleanup policies compile it with their linear-time engine.
 */
export function repositoryGlobSource(pattern: string): string {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*' && pattern[i + 1] === '*') {
      const atStart = i === 0 || pattern[i - 1] === '/';
      if (atStart && pattern[i + 2] === '/') {
        source += '(?:.*/)?';
        i += 2;
      } else {
        source += '.*';
        i += 1;
      }
    } else if (c === '*') {
      source += '[^/]*';
    } else if (c === '?') {
      source += '[^/]';
    } else {
      source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return `^${source}$`;
}

/** Compiles one repository pattern (see the module comment) to an anchored regular expression. */
export function compileRepositoryGlob(pattern: string): RegExp {
  return new RegExp(repositoryGlobSource(pattern));
}
