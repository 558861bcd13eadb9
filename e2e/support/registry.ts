/**
 * Direct checks against the harness registries (not through Porthole), so a test can see what really
 * happened in the registry after acting in the browser.
 */
import type { StackState } from './state';

const ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

/** The tags of `repo` in the registry, sorted (distribution 2.8.2 answers `tags: null` when none are left). */
export async function registryTags(registryUrl: string, repo: string): Promise<string[]> {
  const res = await fetch(`${registryUrl}/v2/${repo}/tags/list`);
  if (res.status === 404) return [];
  if (!res.ok) throw new Error(`tags/list ${repo}: ${res.status}`);
  const body = (await res.json()) as { tags: string[] | null };
  return (body.tags ?? []).sort();
}

/** The digest `reference` resolves to, or null when the registry does not know it (Basic `credentials` if given). */
export async function registryDigest(registryUrl: string, repo: string, reference: string, credentials?: { username: string; password: string }): Promise<string | null> {
  const headers: Record<string, string> = { accept: ACCEPT };
  if (credentials) headers.authorization = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
  const res = await fetch(`${registryUrl}/v2/${repo}/manifests/${reference}`, { method: 'HEAD', headers });
  if (res.status === 404) return null;
  if (!res.ok) throw new Error(`HEAD ${repo}:${reference}: ${res.status}`);
  return res.headers.get('docker-content-digest');
}

/** Stops (`halt`) or starts again the registry behind the `offline` source. */
export async function offlineRegistry(stack: StackState, action: 'halt' | 'start'): Promise<void> {
  const res = await fetch(`${stack.controlUrl}/offline/${action}`, { method: 'POST' });
  if (res.status !== 204) throw new Error(`offline ${action}: ${res.status} ${await res.text()}`);
}

/** Points `tag` of `repo` at the manifest `digest` (already in the repository), directly in the registry. */
export async function retagInRegistry(registryUrl: string, repo: string, digest: string, tag: string): Promise<void> {
  const got = await fetch(`${registryUrl}/v2/${repo}/manifests/${digest}`, { headers: { accept: ACCEPT } });
  if (!got.ok) throw new Error(`GET ${repo}@${digest}: ${got.status}`);
  const bytes = new Uint8Array(await got.arrayBuffer());
  const put = await fetch(`${registryUrl}/v2/${repo}/manifests/${tag}`, { method: 'PUT', headers: { 'content-type': got.headers.get('content-type') ?? '' }, body: bytes });
  if (put.status !== 201) throw new Error(`PUT ${repo}:${tag}: ${put.status} ${await put.text()}`);
}
