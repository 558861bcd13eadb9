/**
 * Runs skopeo 1.9.3 (an independent registry client) against harness registries: plain HTTP on loopback,
 * so TLS verification is always off; credentials from the {@link RunningRegistry} when it has auth.
 * @see https://github.com/containers/skopeo/blob/v1.9.3/docs/skopeo-copy.1.md
 */
import { execOk, type ExecResult } from './exec';
import type { Credentials, RunningRegistry } from './registry-server';

export { writeOciLayout, type LayoutImage, type LayoutImageSpec, type LayoutResult } from './build-layout';

export const SKOPEO_BINARY = 'skopeo';

// `--insecure-policy` skips /etc/containers/policy.json; the harness only talks to its own registries.
const GLOBAL_ARGS = ['--insecure-policy'];

function credsArg(flag: string, creds: Credentials | undefined): string[] {
  return creds ? [flag, `${creds.username}:${creds.password}`] : [];
}

/** `docker://HOST/REPO[:TAG]` (`@digest` when `ref` is a digest; bare repository, e.g. for list-tags, without `ref`). */
export function dockerRef(registry: Pick<RunningRegistry, 'host'>, repo: string, ref?: string): string {
  const suffix = ref === undefined ? '' : ref.includes(':') ? `@${ref}` : `:${ref}`;
  return `docker://${registry.host}/${repo}${suffix}`;
}

export interface CopyOptions {
  /** `--all`: copy every image of an index. */
  all?: boolean;
  /** `--format`: `v2s2` converts to Docker schema2 (and Docker manifest lists), `oci` to OCI. */
  format?: 'v2s2' | 'oci' | 'v2s1';
  srcCreds?: Credentials;
  destCreds?: Credentials;
  preserveDigests?: boolean;
  extraArgs?: string[];
}

/** `skopeo copy SRC DEST`; rejects with skopeo's stderr on failure. */
export function skopeoCopy(src: string, dest: string, options: CopyOptions = {}): Promise<ExecResult> {
  const args = [...GLOBAL_ARGS, 'copy', '--quiet', '--src-tls-verify=false', '--dest-tls-verify=false'];
  if (options.all) args.push('--all');
  if (options.format) args.push('--format', options.format);
  if (options.preserveDigests) args.push('--preserve-digests');
  args.push(...credsArg('--src-creds', options.srcCreds), ...credsArg('--dest-creds', options.destCreds));
  args.push(...(options.extraArgs ?? []), src, dest);
  return execOk(SKOPEO_BINARY, args, { timeoutMs: 120_000 });
}

/** Pushes `oci:LAYOUT:TAG` to `REGISTRY/REPO:DEST_TAG` with the registry's credentials. */
export function pushLayoutImage(
  registry: RunningRegistry,
  layoutDir: string,
  tag: string,
  repo: string,
  options: CopyOptions & { destTag?: string } = {},
): Promise<ExecResult> {
  return skopeoCopy(`oci:${layoutDir}:${tag}`, dockerRef(registry, repo, options.destTag ?? tag), {
    destCreds: registry.credentials,
    ...options,
  });
}

export interface InspectOptions {
  /** `--raw`: the manifest exactly as served. */
  raw?: boolean;
  /** `--config`: the image config (with `--raw`, exactly as stored). */
  config?: boolean;
  creds?: Credentials;
}

/** `skopeo inspect` parsed as JSON. */
export async function skopeoInspect(ref: string, options: InspectOptions = {}): Promise<unknown> {
  const args = [...GLOBAL_ARGS, 'inspect', '--tls-verify=false'];
  if (options.raw) args.push('--raw');
  if (options.config) args.push('--config');
  args.push(...credsArg('--creds', options.creds), ref);
  const { stdout } = await execOk(SKOPEO_BINARY, args);
  return JSON.parse(stdout) as unknown;
}

/** `skopeo list-tags` (tags in the registry's order). */
export async function skopeoListTags(ref: string, creds?: Credentials): Promise<string[]> {
  const args = [...GLOBAL_ARGS, 'list-tags', '--tls-verify=false', ...credsArg('--creds', creds), ref];
  const { stdout } = await execOk(SKOPEO_BINARY, args);
  return (JSON.parse(stdout) as { Tags?: string[] | null }).Tags ?? [];
}

/** `skopeo delete` (by tag: distribution resolves and deletes the digest, taking every tag on it). */
export async function skopeoDelete(ref: string, creds?: Credentials): Promise<void> {
  await execOk(SKOPEO_BINARY, [...GLOBAL_ARGS, 'delete', '--tls-verify=false', ...credsArg('--creds', creds), ref]);
}

/** `skopeo inspect --raw` as served, exact text (to compare a manifest byte for byte). */
export async function skopeoRawManifest(ref: string, creds?: Credentials): Promise<string> {
  const { stdout } = await execOk(SKOPEO_BINARY, [...GLOBAL_ARGS, 'inspect', '--tls-verify=false', '--raw', ...credsArg('--creds', creds), ref]);
  return stdout;
}
