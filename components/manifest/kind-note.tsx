import type { ReactNode } from 'react';
import type { ManifestResponse } from '@/lib/api/types';

function Note({ tone, children }: { tone: 'info' | 'warn'; children: ReactNode }) {
  const style =
    tone === 'warn'
      ? 'border-amber-300 bg-amber-50 text-amber-950 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-100'
      : 'border-sky-200 bg-sky-50 text-sky-950 dark:border-sky-900 dark:bg-sky-950/40 dark:text-sky-100';
  return (
    <p role="note" data-testid="manifest-note" className={`rounded-md border px-3 py-2 text-sm ${style}`}>
      {children}
    </p>
  );
}

/** Says what kind of document this is when it is not a plain image or index, and what is missing. */
export function KindNotes({ data }: { data: ManifestResponse }) {
  const notes: ReactNode[] = [];
  const mediaType = data.descriptor.mediaType || 'none';
  if (data.kind === 'unknown') {
    notes.push(
      <Note key="unknown" tone="warn">
        Porthole does not recognise this manifest (media type <code>{mediaType}</code>). What could be read is shown; the raw document is below.
      </Note>,
    );
  }
  if (data.kind === 'artifact') {
    notes.push(
      <Note key="artifact" tone="info">
        An artifact{data.artifactType ? <> of type <code>{data.artifactType}</code></> : null}, not a container image: it has no image config, and its layers are
        shown as plain blobs.
      </Note>,
    );
  }
  if (data.kind === 'attestation') {
    notes.push(
      <Note key="attestation" tone="info">
        A BuildKit attestation manifest: its layers are in-toto statements (SBOM, provenance) about an image of the same index.
      </Note>,
    );
  }
  if (data.kind === 'docker-schema1') {
    notes.push(
      <Note key="schema1" tone="warn">
        Docker schema 1 is deprecated: it has no config blob, so only its layers and raw document are shown.
      </Note>,
    );
  }
  const missing = data.children?.filter((c) => c.missing).length ?? 0;
  if (missing > 0) {
    notes.push(
      <Note key="sparse" tone="warn">
        {missing} of {data.children!.length} manifests listed by this index could not be read (a sparse index, or unknown media types).
      </Note>,
    );
  }
  if ((data.kind === 'image' || data.kind === 'docker-image') && !data.config && !data.configError) {
    notes.push(
      <Note key="noconfig" tone="warn">
        The image config is missing from the response.
      </Note>,
    );
  }
  return notes.length ? <div className="flex flex-col gap-2">{notes}</div> : null;
}
