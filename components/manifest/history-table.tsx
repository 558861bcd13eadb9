'use client';

import { useId, useState } from 'react';
import { LayerFilesButton, LayerFilesRow } from '@/components/files/layer-files-toggle';
import type { HistoryEntry } from '@/lib/api/types';
import { shortDigest } from '@/lib/oci/digest';
import { apiUrls } from '@/lib/routes';
import { DetailRow, DetailTable, EmptyDetail } from './detail-table';
import { formatBytes, formatDate } from './format';
import { useScrollIntoView } from './use-scroll-into-view';

function HistoryRow({ source, repo, entry, index, highlighted }: { source: string; repo: string; entry: HistoryEntry; index: number; highlighted: boolean }) {
  const ref = useScrollIntoView<HTMLTableRowElement>(highlighted);
  const [showFiles, setShowFiles] = useState(false);
  const filesId = useId();
  // The history does not carry media types: a foreign layer says so when opened.
  const browsable = !!entry.layer;
  return (
    <>
    <DetailRow ref={ref} testId="history-row" highlighted={highlighted}>
      <td className="py-1.5 pr-2 align-top text-zinc-500 tabular-nums dark:text-zinc-400">{index + 1}</td>
      <td className="py-1.5 pr-2 align-top text-xs whitespace-nowrap text-zinc-600 dark:text-zinc-400">{formatDate(entry.created)}</td>
      <td className="py-1.5 pr-2 align-top">
        <code className="block font-mono text-xs break-all whitespace-pre-wrap text-zinc-800 dark:text-zinc-200">{entry.createdBy ?? '(no command recorded)'}</code>
        {entry.comment ? <span className="text-xs text-zinc-500 dark:text-zinc-400">{entry.comment}</span> : null}
      </td>
      <td className="py-1.5 align-top text-xs">
        {entry.layer ? (
          <a href={apiUrls.blob(source, repo, entry.layer.digest)} title={entry.layer.digest} className="font-mono text-sky-700 underline dark:text-sky-400">
            {shortDigest(entry.layer.digest)}
          </a>
        ) : (
          <span className="text-zinc-400 dark:text-zinc-500">{entry.emptyLayer ? 'no layer' : 'layer unknown'}</span>
        )}
        {entry.layer ? <div className="text-zinc-500 tabular-nums dark:text-zinc-400">{formatBytes(entry.layer.size)}</div> : null}
        {browsable ? <LayerFilesButton open={showFiles} onToggle={() => setShowFiles(!showFiles)} controls={filesId} label={`Files of step ${index + 1}`} /> : null}
      </td>
    </DetailRow>
    {showFiles && entry.layer ? <LayerFilesRow id={filesId} colSpan={4} source={source} repo={repo} digest={entry.layer.digest} /> : null}
    </>
  );
}

const HISTORY_COLUMNS = [{ label: '#', className: 'w-8' }, { label: 'Created', className: 'w-36' }, { label: 'Step' }, { label: 'Layer', className: 'w-28' }];

/** The build steps of an image, each with the layer it made (empty steps made none). */
export function HistoryTable({ source, repo, history, highlight }: { source: string; repo: string; history: readonly HistoryEntry[]; highlight?: string | null }) {
  if (history.length === 0) return <EmptyDetail>The config records no history.</EmptyDetail>;
  return (
    <DetailTable columns={HISTORY_COLUMNS}>
      {history.map((entry, index) => (
        <HistoryRow key={index} source={source} repo={repo} entry={entry} index={index} highlighted={!!highlight && entry.layer?.digest === highlight} />
      ))}
    </DetailTable>
  );
}
