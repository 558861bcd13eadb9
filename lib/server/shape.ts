/**
 * The one place that turns registry results into the JSON API's shapes (`lib/api/types.ts`): source
 * summaries, tag rows, manifest responses with config summaries and children, referrer tree nodes.
 * Pure functions over already-fetched data; route handlers return exactly what these produce.
 */
import 'server-only';
import type {
  AttachedCounts,
  ChildManifest,
  ConfigSummary,
  HistoryEntry,
  ManifestResponse,
  ReferrerFoundBy,
  ReferrerNode,
  SourceSummary,
  TagRow,
} from '@/lib/api/types';
import { shapeBareTagRow } from '@/lib/api/bare-tag-row';
import { artifactKind, type TagKindInfo } from '@/lib/oci/artifact-kind';
import type { WireError } from '@/lib/oci/errors';
import { formatPlatform, isAttestationDescriptor, manifestReferences, type ParsedManifest } from '@/lib/oci/manifest';
import { isPlaceholderDate, knownCreated } from '@/lib/oci/created-date';
import { Annotation } from '@/lib/oci/media-types';
import type { Descriptor, ImageConfig, Manifest } from '@/lib/oci/types';
import type { ManifestContent } from '@/lib/registry/registry';
import type { SourceConfig } from './config';
import type { ManifestDetails } from './details';

/** What the API shows about a source: no credentials, no local paths. */
export function shapeSource(config: SourceConfig): SourceSummary {
  const summary: SourceSummary = { name: config.name, kind: config.kind, delete: config.delete };
  if (config.url) summary.url = config.url;
  if (config.host) summary.host = config.host;
  if (config.write) summary.write = true;
  if (config.repositories?.length) summary.repositories = [...config.repositories];
  if (!config.delete) summary.readOnlyReason = 'read-only source (the configuration does not set delete: true)';
  return summary;
}

export interface TagRowInput {
  name: string;
  info: TagKindInfo;
  descriptor?: Descriptor;
  details?: ManifestDetails;
  /** Why the tag could not be resolved (the row is still listed). */
  error?: WireError;
  sharedWith: string[];
  attached?: AttachedCounts;
  indexAttestations?: AttachedCounts;
}

export function shapeTagRow(input: TagRowInput): TagRow {
  const row = shapeBareTagRow(input.name, input.info);
  if (input.descriptor) {
    row.digest = input.descriptor.digest;
    row.mediaType = input.descriptor.mediaType || input.details?.mediaType || null;
  }
  const details = input.details;
  if (details) {
    row.manifestKind = details.kind;
    row.size = details.size;
    // Placeholder dates of reproducible builds (1970-01-01, 0001-01-01) mean "unknown" (lib/oci/created-date.ts).
    row.created = knownCreated(details.created);
    if (isPlaceholderDate(details.created)) row.createdPlaceholder = details.created!;
    row.platforms = details.platforms;
    if (details.artifactType) row.artifactType = details.artifactType;
  }
  row.sharedWith = input.sharedWith;
  if (input.attached && Object.keys(input.attached).length) row.attached = input.attached;
  if (input.indexAttestations && Object.keys(input.indexAttestations).length) row.indexAttestations = input.indexAttestations;
  const error = input.error ?? details?.error;
  if (error) row.error = error;
  return row;
}

/** Maps each non-empty history step to the layer it made (they correspond in order). */
function historyWithLayers(config: ImageConfig, layers: readonly Descriptor[]): HistoryEntry[] {
  let next = 0;
  return (config.history ?? []).map((step) => {
    const entry: HistoryEntry = { emptyLayer: step.empty_layer === true };
    if (step.created) entry.created = step.created;
    if (step.created_by) entry.createdBy = step.created_by;
    if (step.comment) entry.comment = step.comment;
    if (!entry.emptyLayer) {
      const layer = layers[next++];
      if (layer) entry.layer = { digest: layer.digest, size: layer.size };
    }
    return entry;
  });
}

function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : undefined;
}

/** The summary of an image config: what runs, how it was built, and which layer each build step made. */
export function shapeConfig(descriptor: Descriptor, config: ImageConfig, layers: readonly Descriptor[]): ConfigSummary {
  const run = config.config ?? {};
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(run.Labels ?? {})) if (typeof value === 'string') labels[key] = value;
  const summary: ConfigSummary = {
    digest: descriptor.digest,
    mediaType: descriptor.mediaType,
    env: stringList(run.Env) ?? [],
    labels,
    exposedPorts: Object.keys(run.ExposedPorts ?? {}),
    history: historyWithLayers(config, layers),
  };
  if (typeof config.created === 'string') summary.created = config.created;
  if (typeof config.os === 'string') summary.os = config.os;
  if (typeof config.architecture === 'string') summary.architecture = config.architecture;
  if (typeof config.variant === 'string') summary.variant = config.variant;
  if (typeof run.User === 'string' && run.User) summary.user = run.User;
  if (typeof run.WorkingDir === 'string' && run.WorkingDir) summary.workingDir = run.WorkingDir;
  const entrypoint = stringList(run.Entrypoint);
  const cmd = stringList(run.Cmd);
  if (entrypoint) summary.entrypoint = entrypoint;
  if (cmd) summary.cmd = cmd;
  return summary;
}

/** An index entry: its platform (null without one), whether it is an attestation, and why it is missing. */
export function shapeChild(descriptor: Descriptor, missing?: WireError): ChildManifest {
  const platform = formatPlatform(descriptor.platform);
  const child: ChildManifest = { descriptor, platform: platform || null, attestation: isAttestationDescriptor(descriptor) };
  if (missing) child.missing = missing;
  return child;
}

export interface ManifestInput {
  content: ManifestContent;
  /** Absent when the bytes did not parse: the response then carries what is there (raw text, JSON if any). */
  parsed?: ParsedManifest;
  children?: ChildManifest[];
  config?: ConfigSummary;
  configError?: WireError;
  tags?: string[];
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

export function shapeManifest(input: ManifestInput): ManifestResponse {
  const raw = new TextDecoder('utf-8', { fatal: false }).decode(input.content.bytes);
  const { parsed } = input;
  const response: ManifestResponse = {
    descriptor: input.content.descriptor,
    raw,
    manifest: parsed ? parsed.manifest : tryJson(raw),
    kind: parsed?.kind ?? 'unknown',
  };
  if (parsed?.artifactType) response.artifactType = parsed.artifactType;
  if (parsed?.annotations) response.annotations = parsed.annotations;
  if (input.tags) response.tags = input.tags;
  if (input.children) response.children = input.children;
  if (input.config) response.config = input.config;
  if (input.configError) response.configError = input.configError;
  if (parsed) {
    const layers = manifestLayers(parsed.manifest);
    if (layers) response.layers = layers;
    if (parsed.subject) response.subject = parsed.subject;
  }
  return response;
}

/** An image-like manifest's layers (schema1: its `fsLayers`, size -1 since schema1 records none). */
function manifestLayers(manifest: Manifest): Descriptor[] | undefined {
  if ('layers' in manifest && Array.isArray(manifest.layers)) return manifest.layers;
  if (manifest.schemaVersion === 1) return manifestReferences(manifest).blobs;
  return undefined;
}

export interface ReferrerInput {
  descriptor: Descriptor;
  foundBy: ReferrerFoundBy;
  referrers: ReferrerNode[];
  truncated?: 'depth' | 'cycle';
}

export function shapeReferrerNode(input: ReferrerInput): ReferrerNode {
  const { descriptor } = input;
  const node: ReferrerNode = {
    digest: descriptor.digest,
    mediaType: descriptor.mediaType,
    size: descriptor.size,
    kind: artifactKind(descriptor.artifactType, descriptor.annotations),
    foundBy: input.foundBy,
    referrers: input.referrers,
  };
  if (descriptor.artifactType) node.artifactType = descriptor.artifactType;
  if (descriptor.annotations && Object.keys(descriptor.annotations).length) node.annotations = descriptor.annotations;
  const created = descriptor.annotations?.[Annotation.Created];
  if (created) node.created = created;
  if (input.truncated) node.truncated = input.truncated;
  return node;
}
