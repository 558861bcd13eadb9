import { FileBrowser } from '@/components/files/file-browser';
import { ErrorState } from '@/components/ui/error-state';
import type { ManifestResponse } from '@/lib/api/types';
import { RegistryError, isErrorCode } from '@/lib/oci/errors';
import { ChildrenTable } from './children-table';
import { ConfigSummary } from './config-summary';
import { KindNotes } from './kind-note';
import { LayersTable } from './layers-table';
import { RawJson } from './raw-json';
import { Section } from './section';
import { indexEntriesId } from './section-ids';

export interface ManifestDetailsProps {
  source: string;
  repo: string;
  /** The reference the page was opened with (for `?platform=` links of an index's children). */
  reference: string;
  data: ManifestResponse;
  selectedKey?: string;
  highlight?: string | null;
}

/** Everything about one manifest below its header: children, config, layers, raw JSON. */
export function ManifestDetails({ source, repo, reference, data, selectedKey, highlight }: ManifestDetailsProps) {
  const isImage = !!data.config || ['image', 'docker-image', 'docker-schema1'].includes(data.kind);
  return (
    <div className="flex min-w-0 flex-col gap-6">
      <KindNotes data={data} />
      {data.children ? (
        <Section id={indexEntriesId(data.descriptor.digest)} title={`Manifests (${data.children.length})`}>
          <ChildrenTable source={source} repo={repo} reference={reference} items={data.children} selectedKey={selectedKey} />
        </Section>
      ) : null}
      {data.config ? <ConfigSummary source={source} repo={repo} config={data.config} highlight={highlight} /> : null}
      {data.configError ? (
        <ErrorState
          title="The config blob could not be read"
          error={new RegistryError(isErrorCode(data.configError.code) ? data.configError.code : 'UNKNOWN', data.configError.message)}
        />
      ) : null}
      {data.layers ? (
        <Section id={`layers-${data.descriptor.digest}`} title={isImage ? 'Layers' : 'Blobs'}>
          <LayersTable source={source} repo={repo} layers={data.layers} highlight={highlight} noun={isImage ? 'layer' : 'blob'} />
        </Section>
      ) : null}
      {data.layers && isImage && data.kind !== 'docker-schema1' ? (
        <Section id={`files-${data.descriptor.digest}`} title="Files">
          <FileBrowser source={source} repo={repo} digest={data.descriptor.digest} />
        </Section>
      ) : null}
      <Section id={`raw-${data.descriptor.digest}`} title="Raw JSON">
        <RawJson source={source} repo={repo} raw={data.raw} parsed={data.manifest} />
      </Section>
    </div>
  );
}
