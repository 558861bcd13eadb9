'use client';

import { useQuery } from '@tanstack/react-query';
import { CopyButton } from '@/components/ui/copy-button';
import { Skeleton } from '@/components/ui/skeleton';
import { registryQueries } from '@/lib/query/options';
import { pullCommands } from './pull';

export interface PullCommandsProps {
  source: string;
  repo: string;
  digest: string;
  tags?: readonly string[];
  platform?: string;
  tool?: 'docker' | 'oras';
}

/** Copyable `docker pull` commands; the host comes from the source's summary. */
export function PullCommands({ source, repo, digest, tags, platform, tool }: PullCommandsProps) {
  const sources = useQuery(registryQueries.sources());
  if (sources.isPending) return <Skeleton className="h-6 w-96" label="Loading pull commands" />;
  const host = sources.data?.sources.find((s) => s.name === source)?.host;
  const commands = pullCommands({ host, repo, digest, tags, platform, tool });
  if (!host) {
    return (
      <p data-testid="pull-commands" className="text-xs text-zinc-500 dark:text-zinc-400">
        {sources.isError
          ? 'The source list could not be loaded, so the registry host is unknown and no pull command can be given.'
          : 'No pull address: this source is not served by a registry (for example an OCI layout on disk), and a bare name would pull from Docker Hub. Set the source’s host in the configuration if a registry serves the same content.'}
      </p>
    );
  }
  return (
    <div data-testid="pull-commands">
      <ul className="flex flex-col gap-1">
        {commands.map(({ label, command }) => (
          <li key={command} className="flex min-w-0 items-center gap-2">
            <code className="min-w-0 truncate rounded bg-zinc-100 px-2 py-1 text-xs text-zinc-800 dark:bg-zinc-900 dark:text-zinc-200" title={command}>
              {command}
            </code>
            <CopyButton value={command} label={`Copy pull command (${label.toLowerCase()})`} />
          </li>
        ))}
      </ul>
    </div>
  );
}
