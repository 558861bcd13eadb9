'use client';

import { PageLink } from '@/components/ui/page-link';
import { useRouter } from 'next/navigation';
import { useEffect, useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { describeError } from '@/components/ui/error-state';
import { pages } from '@/lib/routes';
import { repositoryNameProblem } from './no-catalog-model';
import { readRecent, rememberRecent } from './recent-repositories';

function RepoLinks({ source, names, testId }: { source: string; names: readonly string[]; testId: string }) {
  return (
    <ul className="flex flex-wrap gap-2" data-testid={testId}>
      {names.map((name) => (
        <li key={name}>
          <PageLink
            href={pages.tags(source, name)}
            onClick={() => rememberRecent(source, name)}
            className="rounded border border-zinc-200 px-2 py-1 font-mono text-sm hover:border-sky-400 dark:border-zinc-800"
          >
            {name}
          </PageLink>
        </li>
      ))}
    </ul>
  );
}

/**
 * The catalog page of a registry that does not list its repositories (Docker Hub, GHCR, ECR, `_catalog`
 * disabled or denied): says so, opens a repository by name (validated; Enter opens it), lists the
 * repositories of the `repositories:` setting and those recently opened in this browser.
 */
export function NoCatalog({ source, configured, error }: { source: string; configured: readonly string[]; error: unknown }) {
  const router = useRouter();
  const [name, setName] = useState('');
  const [problem, setProblem] = useState<string>();
  const [recent, setRecent] = useState<string[]>([]);
  // localStorage exists only in the browser, after hydration.
  // eslint-disable-next-line react-hooks/set-state-in-effect -- localStorage is only readable after mount
  useEffect(() => setRecent(readRecent(source)), [source]);
  const { code, message } = describeError(error);

  const open = (event: FormEvent) => {
    event.preventDefault();
    const found = repositoryNameProblem(name);
    setProblem(found);
    if (found) return;
    rememberRecent(source, name.trim());
    router.push(pages.tags(source, name.trim()));
  };

  return (
    <section data-testid="no-catalog" className="flex flex-col gap-4 rounded-lg border border-zinc-200 p-4 dark:border-zinc-800">
      <div className="flex flex-col gap-1">
        <h2 className="text-base font-semibold">This registry does not list its repositories</h2>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          It has no catalog, or does not let these credentials read it (<code>{code}</code>: {message}). Registries such as
          Docker Hub, GHCR and ECR work like this. Open a repository by its name instead.
        </p>
      </div>
      <form onSubmit={open} className="flex flex-wrap items-start gap-2" noValidate>
        <div className="flex min-w-64 flex-1 flex-col gap-1">
          <label htmlFor="open-repository" className="text-sm font-medium">
            Repository name
          </label>
          <input
            id="open-repository"
            value={name}
            onChange={(event) => setName(event.target.value)}
            placeholder="e.g. library/nginx"
            autoComplete="off"
            spellCheck={false}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? 'open-repository-problem' : undefined}
            className="rounded border border-zinc-300 bg-white px-2 py-1.5 font-mono text-sm dark:border-zinc-700 dark:bg-zinc-900"
          />
          {problem ? (
            <p id="open-repository-problem" role="alert" className="text-xs text-red-700 dark:text-red-400">
              {problem}
            </p>
          ) : null}
        </div>
        <Button type="submit" className="mt-6">
          Open
        </Button>
      </form>
      {configured.length > 0 ? (
        <div className="flex flex-col gap-2">
          <h3 className="text-sm font-medium">Configured repositories</h3>
          <RepoLinks source={source} names={configured} testId="configured-repositories" />
        </div>
      ) : null}
      {recent.length > 0 ? (
        <div className="flex flex-col gap-2">
          <h3 className="text-sm font-medium">Recently opened here</h3>
          <RepoLinks source={source} names={recent} testId="recent-repositories" />
        </div>
      ) : null}
    </section>
  );
}
