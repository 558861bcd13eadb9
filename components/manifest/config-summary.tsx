import type { ConfigSummary as Config } from '@/lib/api/types';
import { apiUrls } from '@/lib/routes';
import { AnnotationsList } from './annotations-list';
import { formatDate } from './format';
import { HistoryTable } from './history-table';
import { Fact, Facts, Section } from './section';

function Command({ value }: { value?: string[] }) {
  if (!value?.length) return <span className="text-zinc-500 dark:text-zinc-400">not set</span>;
  return <code className="font-mono text-xs break-all">{JSON.stringify(value)}</code>;
}

/** What the image config says: when and for which platform it was built, how it starts, env, labels, history. */
export function ConfigSummary({ source, repo, config, highlight }: { source: string; repo: string; config: Config; highlight?: string | null }) {
  const platform = [config.os, config.architecture, config.variant].filter(Boolean).join('/');
  return (
    <div className="flex flex-col gap-5" data-testid="config-summary">
      <Section id={`config-${config.digest}`} title="Config">
        <Facts>
          <Fact label="Config blob">
            <a href={apiUrls.blob(source, repo, config.digest)} className="font-mono text-xs break-all text-sky-700 underline dark:text-sky-400">
              {config.digest}
            </a>
          </Fact>
          <Fact label="Created">{formatDate(config.created)}</Fact>
          <Fact label="Platform">{platform || <span className="text-zinc-500">not recorded</span>}</Fact>
          {config.user ? <Fact label="User">{config.user}</Fact> : null}
          {config.workingDir ? <Fact label="Working dir">{config.workingDir}</Fact> : null}
          <Fact label="Entrypoint">
            <Command value={config.entrypoint} />
          </Fact>
          <Fact label="Cmd">
            <Command value={config.cmd} />
          </Fact>
          {config.exposedPorts.length ? <Fact label="Exposed ports">{config.exposedPorts.join(', ')}</Fact> : null}
        </Facts>
      </Section>
      <Section id={`env-${config.digest}`} title={`Environment (${config.env.length})`}>
        {config.env.length ? (
          <ul className="flex flex-col gap-0.5">
            {config.env.map((line, i) => (
              <li key={i} className="font-mono text-xs break-all text-zinc-800 dark:text-zinc-200">
                {line}
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-zinc-500 dark:text-zinc-400">No environment variables.</p>
        )}
      </Section>
      <Section id={`labels-${config.digest}`} title={`Labels (${Object.keys(config.labels).length})`}>
        <AnnotationsList entries={config.labels} empty="No labels." />
      </Section>
      <Section id={`history-${config.digest}`} title={`History (${config.history.length})`}>
        <HistoryTable source={source} repo={repo} history={config.history} highlight={highlight} />
      </Section>
    </div>
  );
}
