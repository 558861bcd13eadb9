'use client';

import { useId, useState } from 'react';
import { hasLayerFiles, LayerFilesButton, LayerFilesRow } from '@/components/files/layer-files-toggle';
import { Annotation } from '@/lib/oci/media-types';
import type { Descriptor } from '@/lib/oci/types';
import { apiUrls } from '@/lib/routes';
import { DetailRow, DetailTable, EmptyDetail } from './detail-table';
import { formatBytes, shortMediaType } from './format';
import { useScrollIntoView } from './use-scroll-into-view';

function LayerRow({ source, repo, layer, index, highlighted, files }: { source: string; repo: string; layer: Descriptor; index: number; highlighted: boolean; files: boolean }) {
  const ref = useScrollIntoView<HTMLTableRowElement>(highlighted);
  const title = layer.annotations?.[Annotation.Title];
  const [showFiles, setShowFiles] = useState(false);
  const filesId = useId();
  const browsable = files && hasLayerFiles(layer.mediaType);
  return (
    <>
    <DetailRow ref={ref} testId="layer-row" highlighted={highlighted}>
      <td className="py-1.5 pr-2 align-top text-zinc-500 tabular-nums dark:text-zinc-400">{index + 1}</td>
      <td className="py-1.5 pr-2 align-top">
        <a href={apiUrls.blob(source, repo, layer.digest)} className="font-mono text-xs break-all text-sky-700 underline dark:text-sky-400" title="Download this blob">
          {layer.digest}
        </a>
        {title ? <div className="text-xs text-zinc-600 dark:text-zinc-400">{title}</div> : null}
        {layer.urls?.length ? <div className="text-xs text-zinc-500">foreign layer: {layer.urls.join(', ')}</div> : null}
        {browsable ? <LayerFilesButton open={showFiles} onToggle={() => setShowFiles(!showFiles)} controls={filesId} label={`Files of layer ${index + 1}`} /> : null}
      </td>
      <td className="py-1.5 pr-2 align-top font-mono text-xs break-all text-zinc-600 dark:text-zinc-400">{shortMediaType(layer.mediaType)}</td>
      <td className="py-1.5 text-right align-top whitespace-nowrap tabular-nums">{formatBytes(layer.size)}</td>
    </DetailRow>
    {showFiles ? <LayerFilesRow id={filesId} colSpan={4} source={source} repo={repo} digest={layer.digest} /> : null}
    </>
  );
}

const LAYER_COLUMNS = [{ label: '#', className: 'w-8' }, { label: 'Digest' }, { label: 'Media type', className: 'w-44' }, { label: 'Size', className: 'w-20 text-right' }];

/** Layers (or an artifact's blobs) with sizes and download links; the total at the bottom. */
export function LayersTable({ source, repo, layers, highlight, noun = 'layer' }: { source: string; repo: string; layers: readonly Descriptor[]; highlight?: string | null; noun?: 'layer' | 'blob' }) {
  if (layers.length === 0) return <EmptyDetail>This manifest has no {noun}s.</EmptyDetail>;
  const total = layers.reduce((sum, l) => sum + (Number.isFinite(l.size) ? l.size : 0), 0);
  const footer = (
    <tr className="border-t border-zinc-300 font-medium dark:border-zinc-700">
      <td colSpan={3} className="py-1.5">
        {`${layers.length} ${noun}${layers.length === 1 ? '' : 's'}`}
      </td>
      <td className="py-1.5 text-right whitespace-nowrap tabular-nums">{formatBytes(total)}</td>
    </tr>
  );
  return (
    <DetailTable columns={LAYER_COLUMNS} footer={footer}>
      {layers.map((layer, index) => (
        <LayerRow key={`${index}:${layer.digest}`} source={source} repo={repo} layer={layer} index={index} highlighted={highlight === layer.digest} files={noun === 'layer'} />
      ))}
    </DetailTable>
  );
}
