/** The layers of a compare: shared by digest, only in `from`, only in `to`, with their sizes and media types. */
import { DigestText } from '@/components/ui/digest';
import type { CompareResponse } from '@/lib/api/types';
import type { ImageLayer } from '@/lib/layers/types';
import { formatBytes } from '@/lib/text/bytes';

function total(layers: readonly ImageLayer[]): number {
  return layers.reduce((sum, layer) => sum + layer.size, 0);
}

function compression(mediaType: string): string {
  if (mediaType.endsWith('+zstd')) return 'zstd';
  if (mediaType.endsWith('gzip')) return 'gzip';
  if (mediaType.endsWith('.tar') || mediaType.endsWith('tar')) return 'tar';
  return mediaType;
}

function Group({ title, layers, testId }: { title: string; layers: readonly ImageLayer[]; testId: string }) {
  return (
    <div className="min-w-0" data-testid={testId}>
      <h3 className="mb-1 text-sm font-medium">
        {title} <span className="font-normal text-zinc-500 dark:text-zinc-400">({layers.length}, {formatBytes(total(layers))})</span>
      </h3>
      {layers.length === 0 ? (
        <p className="text-xs text-zinc-500 dark:text-zinc-400">none</p>
      ) : (
        <ul className="flex flex-col gap-0.5 text-sm">
          {layers.map((layer) => (
            <li key={layer.digest} className="flex items-center justify-between gap-2" data-testid="compare-layer">
              <DigestText digest={layer.digest} />
              <span className="text-xs whitespace-nowrap text-zinc-500 tabular-nums dark:text-zinc-400" title={layer.mediaType}>
                {compression(layer.mediaType)} · {formatBytes(layer.size)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function LayersDiff({ layers, fromLabel, toLabel }: { layers: CompareResponse['layers']; fromLabel: string; toLabel: string }) {
  return (
    <div className="grid grid-cols-1 gap-4 md:grid-cols-3">
      <Group title="Shared" layers={layers.shared} testId="layers-shared" />
      <Group title={`Only in ${fromLabel}`} layers={layers.onlyFrom} testId="layers-only-from" />
      <Group title={`Only in ${toLabel}`} layers={layers.onlyTo} testId="layers-only-to" />
    </div>
  );
}
