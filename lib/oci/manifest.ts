/**
 * Parsing and classification of manifests, what they refer to, platforms and the referrers fallback tag.
 * @see https://github.com/opencontainers/image-spec/blob/v1.1.1/manifest.md
 * @see https://github.com/opencontainers/image-spec/blob/v1.1.1/image-index.md
 */
import { parseDigest } from './digest';
import { RegistryError } from './errors';
import { Annotation, IMAGE_CONFIG_MEDIA_TYPES, MANIFEST_MEDIA_TYPES, MediaType, baseMediaType } from './media-types';
import type { Descriptor, Digest, DockerSchema1Manifest, ImageConfig, ImageIndex, ImageManifest, Manifest, Platform } from './types';

/** What a manifest is, for people and for the UI. */
export type ManifestKind =
  | 'image' // OCI image manifest with an image config
  | 'index' // OCI image index
  | 'artifact' // OCI manifest/index with artifactType, or a manifest whose config is not an image config
  | 'attestation' // BuildKit attestation manifest (in-toto layers or marked by its parent's descriptor)
  | 'docker-image' // Docker schema2
  | 'docker-list' // Docker manifest list
  | 'docker-schema1' // Docker schema1 (signed or not)
  | 'unknown';

export interface ParsedManifest {
  /** The effective media type: the body's `mediaType`, else the given content type, else duck-typed. */
  mediaType: string;
  kind: ManifestKind;
  manifest: Manifest;
  /** The manifest's artifactType, else (for an image manifest) its config media type when not an image config. */
  artifactType?: string;
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

const SCHEMA1_TYPES: readonly string[] = [MediaType.DockerSchema1, MediaType.DockerSchema1Signed];
const INDEX_TYPES: readonly string[] = [MediaType.OciIndex, MediaType.DockerManifestList];
const IMAGE_TYPES: readonly string[] = [MediaType.OciManifest, MediaType.DockerManifest];

/**
 * Content types that say nothing about the manifest (sent by static file servers and some proxies); they are
 * treated as absent instead of as a mismatch.
 */
const GENERIC_CONTENT_TYPES: readonly string[] = ['application/json', 'application/octet-stream', 'text/plain', 'binary/octet-stream'];

function manifestInvalid(message: string): RegistryError {
  return new RegistryError('MANIFEST_INVALID', message);
}

function decodeJson(bytes: Uint8Array, what: string): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw manifestInvalid(`${what} is not valid UTF-8`);
  }
  if (text.trim() === '') throw manifestInvalid(`${what} is empty`);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw manifestInvalid(`${what} is not valid JSON: ${error instanceof Error ? error.message : 'parse error'}`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks a descriptor's required fields; `path` names it in the message (e.g. `layers[2]`). */
function checkDescriptor(value: unknown, path: string): void {
  if (!isObject(value)) throw manifestInvalid(`${path} must be a descriptor object`);
  if (typeof value.mediaType !== 'string' || value.mediaType === '') throw manifestInvalid(`${path}.mediaType must be a non-empty string`);
  if (typeof value.digest !== 'string') throw manifestInvalid(`${path}.digest must be a string`);
  try {
    parseDigest(value.digest);
  } catch (error) {
    throw manifestInvalid(`${path}.digest is invalid: ${(error as Error).message}`);
  }
  if (typeof value.size !== 'number' || !Number.isSafeInteger(value.size) || value.size < 0) {
    throw manifestInvalid(`${path}.size must be a non-negative integer`);
  }
  if (value.annotations !== undefined) checkAnnotations(value.annotations, `${path}.annotations`);
}

function checkAnnotations(value: unknown, path: string): void {
  if (!isObject(value) || Object.values(value).some((v) => typeof v !== 'string')) {
    throw manifestInvalid(`${path} must be an object of strings`);
  }
}

function checkDescriptorList(value: unknown, path: string): void {
  if (!Array.isArray(value)) throw manifestInvalid(`${path} must be an array`);
  value.forEach((entry, i) => checkDescriptor(entry, `${path}[${i}]`));
}

/** The media type the document's shape implies, when it has no `mediaType` and no useful content type. */
function duckType(doc: Record<string, unknown>): string {
  if (doc.schemaVersion === 1) return Array.isArray(doc.signatures) ? MediaType.DockerSchema1Signed : MediaType.DockerSchema1;
  if (doc.manifests !== undefined) return MediaType.OciIndex;
  if (doc.config !== undefined && doc.layers !== undefined) return MediaType.OciManifest;
  throw manifestInvalid('cannot tell the manifest type: no mediaType, and neither "manifests" nor "config" and "layers"');
}

/** Checks the document against the structure its media type requires. */
function checkShape(doc: Record<string, unknown>, mediaType: string): void {
  if (SCHEMA1_TYPES.includes(mediaType)) {
    if (doc.schemaVersion !== 1) throw manifestInvalid(`${mediaType} must have schemaVersion 1`);
    if (!Array.isArray(doc.fsLayers)) throw manifestInvalid('schema1 manifest must have an fsLayers array');
    doc.fsLayers.forEach((layer, i) => {
      if (!isObject(layer) || typeof layer.blobSum !== 'string') throw manifestInvalid(`fsLayers[${i}].blobSum must be a string`);
      try {
        parseDigest(layer.blobSum);
      } catch (error) {
        throw manifestInvalid(`fsLayers[${i}].blobSum is invalid: ${(error as Error).message}`);
      }
    });
    return;
  }
  const known = INDEX_TYPES.includes(mediaType) || IMAGE_TYPES.includes(mediaType);
  if (known && doc.schemaVersion !== 2) throw manifestInvalid(`${mediaType} must have schemaVersion 2`);
  if (INDEX_TYPES.includes(mediaType)) {
    if (doc.manifests === undefined) throw manifestInvalid(`${mediaType} must have a "manifests" array`);
    checkDescriptorList(doc.manifests, 'manifests');
  } else if (IMAGE_TYPES.includes(mediaType)) {
    if (doc.config === undefined) throw manifestInvalid(`${mediaType} must have a "config" descriptor`);
    checkDescriptor(doc.config, 'config');
    if (doc.layers === undefined) throw manifestInvalid(`${mediaType} must have a "layers" array`);
    checkDescriptorList(doc.layers, 'layers');
  }
  if (doc.subject !== undefined) checkDescriptor(doc.subject, 'subject');
  if (doc.annotations !== undefined) checkAnnotations(doc.annotations, 'annotations');
  if (doc.artifactType !== undefined && typeof doc.artifactType !== 'string') throw manifestInvalid('artifactType must be a string');
}

/**
 * Parses manifest bytes. `contentType` (parameters ignored) is checked against the body's `mediaType` when
 * both are present; without `mediaType` the type is duck-typed (`manifests` → index, `layers`+`config` →
 * image, `schemaVersion: 1` → schema1). Throws RegistryError MANIFEST_INVALID naming what is wrong.
 *
 * Generic content types (`application/json`, `application/octet-stream`) count as absent. An unknown but
 * explicit media type parses with kind `unknown`.
 * @see https://github.com/opencontainers/distribution-spec/blob/v1.1.1/spec.md#pulling-manifests
 */
export function parseManifest(bytes: Uint8Array, contentType?: string): ParsedManifest {
  const doc = decodeJson(bytes, 'manifest');
  if (!isObject(doc)) throw manifestInvalid('manifest must be a JSON object');
  if (doc.mediaType !== undefined && (typeof doc.mediaType !== 'string' || doc.mediaType === '')) {
    throw manifestInvalid('manifest mediaType must be a non-empty string');
  }
  // The image-spec forbids documents that could be read both ways (a manifest with "manifests" or an index
  // with "layers"), since the type would depend on who reads it.
  if (doc.manifests !== undefined && (doc.layers !== undefined || doc.config !== undefined)) {
    throw manifestInvalid('manifest is ambiguous: it has both "manifests" and "config"/"layers"');
  }
  const bodyType = typeof doc.mediaType === 'string' ? baseMediaType(doc.mediaType) : '';
  let headerType = baseMediaType(contentType);
  if (GENERIC_CONTENT_TYPES.includes(headerType)) headerType = '';
  if (bodyType && headerType && bodyType !== headerType) {
    throw manifestInvalid(`manifest mediaType "${bodyType}" does not match content type "${headerType}"`);
  }
  const mediaType = bodyType || headerType || duckType(doc);
  checkShape(doc, mediaType);

  const manifest = doc as unknown as Manifest;
  const parsed: ParsedManifest = { mediaType, kind: classifyManifest(manifest, mediaType), manifest };
  const artifactType = manifestArtifactType(manifest);
  if (artifactType) parsed.artifactType = artifactType;
  if ('subject' in manifest && manifest.subject) parsed.subject = manifest.subject;
  if ('annotations' in manifest && manifest.annotations) parsed.annotations = manifest.annotations;
  return parsed;
}

/** A manifest's artifactType, else (image manifests) its config media type when that is not an image config. */
function manifestArtifactType(manifest: Manifest): string | undefined {
  if ('artifactType' in manifest && typeof manifest.artifactType === 'string' && manifest.artifactType) return manifest.artifactType;
  if ('config' in manifest && manifest.config && !IMAGE_CONFIG_MEDIA_TYPES.includes(manifest.config.mediaType)) {
    return manifest.config.mediaType;
  }
  return undefined;
}

/** Classifies a parsed manifest; `descriptor` (from a parent index) may mark it as an attestation. */
export function classifyManifest(manifest: Manifest, mediaType: string, descriptor?: Descriptor): ManifestKind {
  let type = baseMediaType(mediaType);
  if (!type) {
    try {
      type = duckType(manifest as unknown as Record<string, unknown>);
    } catch {
      return 'unknown';
    }
  }
  if (SCHEMA1_TYPES.includes(type)) return 'docker-schema1';
  if (type === MediaType.DockerManifestList) return 'docker-list';
  if (type === MediaType.DockerManifest) return 'docker-image';
  if (type === MediaType.OciIndex) {
    const index = manifest as ImageIndex;
    return typeof index.artifactType === 'string' && index.artifactType ? 'artifact' : 'index';
  }
  if (type === MediaType.OciManifest) {
    const image = manifest as ImageManifest;
    if (descriptor && isAttestationDescriptor(descriptor)) return 'attestation';
    if (typeof image.artifactType === 'string' && image.artifactType) return 'artifact';
    // BuildKit attestation manifests carry an image config and in-toto statements as layers.
    const layers = Array.isArray(image.layers) ? image.layers : [];
    if (layers.length > 0 && layers.every((layer) => baseMediaType(layer.mediaType) === MediaType.InTotoLayer)) return 'attestation';
    if (!image.config || !IMAGE_CONFIG_MEDIA_TYPES.includes(image.config.mediaType)) return 'artifact';
    return 'image';
  }
  return 'unknown';
}

/** What a manifest refers to: blobs (config + layers, or schema1 fsLayers), child manifests, and its subject. */
export interface ManifestReferences {
  blobs: Descriptor[];
  manifests: Descriptor[];
  subject?: Descriptor;
}

/**
 * What a manifest refers to. Index entries whose media type is not a manifest type (BuildKit's cache export
 * lists layers and its cache config in `manifests[]`) go to `blobs`. Schema1 layers are deduplicated and,
 * since schema1 records no sizes, have `size: -1`.
 */
export function manifestReferences(manifest: Manifest): ManifestReferences {
  const refs: ManifestReferences = { blobs: [], manifests: [] };
  if (manifest.schemaVersion === 1) {
    const seen = new Set<string>();
    for (const layer of (manifest as DockerSchema1Manifest).fsLayers ?? []) {
      if (seen.has(layer.blobSum)) continue;
      seen.add(layer.blobSum);
      refs.blobs.push({ mediaType: MediaType.DockerLayerGzip, digest: layer.blobSum, size: -1 });
    }
    return refs;
  }
  if ('manifests' in manifest && Array.isArray(manifest.manifests)) {
    for (const entry of manifest.manifests) {
      (MANIFEST_MEDIA_TYPES.includes(baseMediaType(entry.mediaType)) ? refs.manifests : refs.blobs).push(entry);
    }
  }
  if ('config' in manifest && manifest.config) refs.blobs.push(manifest.config);
  if ('layers' in manifest && Array.isArray(manifest.layers)) refs.blobs.push(...manifest.layers);
  if ('subject' in manifest && manifest.subject) refs.subject = manifest.subject;
  return refs;
}

/** True for an index entry that is a BuildKit attestation (`vnd.docker.reference.type` or unknown/unknown platform). */
export function isAttestationDescriptor(descriptor: Descriptor): boolean {
  if (descriptor.annotations?.[Annotation.DockerReferenceType] !== undefined) return true;
  return descriptor.platform?.os === 'unknown' && descriptor.platform?.architecture === 'unknown';
}

/** `os/arch[/variant]`, e.g. `linux/arm/v7`; '' for no platform. */
export function formatPlatform(platform: Platform | undefined): string {
  if (!platform) return '';
  return [platform.os, platform.architecture, platform.variant].filter((part) => part).join('/');
}

/**
 * The referrers fallback tag for a digest: `<alg>-<encoded>`, truncated to 32/64 chars, bad chars replaced by `-`.
 * @see https://github.com/opencontainers/distribution-spec/blob/v1.1.1/spec.md#referrers-tag-schema
 */
export function referrersFallbackTag(digest: Digest): string {
  const { algorithm, encoded } = parseDigest(digest);
  const clean = (value: string) => value.replace(/[^a-zA-Z0-9._-]/g, '-');
  return `${clean(algorithm).slice(0, 32)}-${clean(encoded).slice(0, 64)}`;
}

/** Parses an image config blob. Throws MANIFEST_INVALID (bad JSON). */
export function parseImageConfig(bytes: Uint8Array): ImageConfig {
  const doc = decodeJson(bytes, 'image config');
  if (!isObject(doc)) throw manifestInvalid('image config must be a JSON object');
  return doc as ImageConfig;
}
