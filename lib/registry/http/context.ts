import 'server-only';
import type { Capabilities } from '@/lib/registry/registry';
import type { RegistryClient } from './transport/client';
import { KeyedMutex } from '@/lib/registry/mutex';
import type { ResolvedOptions } from './options';
import type { WarningLog } from './transport/warnings';

/** What the backend learned about the registry so far (capabilities are probed lazily and cached). */
export interface LearnedState {
  catalog?: boolean;
  /** The registry has paged a list with `Link` headers: then a page without one is the last. */
  pagesWithLinks: { seen: boolean };
  write?: boolean;
  manifestDelete?: boolean;
  tagDelete?: Capabilities['tagDelete'];
  /** Per repository: does it serve the referrers API, and until when that answer is trusted (epoch ms). */
  referrersApi: Map<string, { available: boolean; until: number }>;
}

/** Shared state of one HTTP registry instance, handed to the reader, lister, writer and deleter. */
export interface HttpContext {
  client: RegistryClient;
  options: ResolvedOptions;
  learned: LearnedState;
  /** Per-key locks of this registry; tag changes of a repository go through `withRepositoryLock` (repository-lock.ts). */
  locks: KeyedMutex;
  warnings: WarningLog;
  now: () => number;
}

export function createContext(client: RegistryClient, options: ResolvedOptions, warnings: WarningLog): HttpContext {
  return { client, options, learned: { referrersApi: new Map(), pagesWithLinks: { seen: false } }, locks: new KeyedMutex(), warnings, now: Date.now };
}

/** Registry API paths. Names, tags and digests are validated before they get here, so no escaping is needed. */
export const paths = {
  catalog: () => '/v2/_catalog',
  tags: (repo: string) => `/v2/${repo}/tags/list`,
  manifest: (repo: string, reference: string) => `/v2/${repo}/manifests/${reference}`,
  blob: (repo: string, digest: string) => `/v2/${repo}/blobs/${digest}`,
  uploads: (repo: string) => `/v2/${repo}/blobs/uploads/`,
  referrers: (repo: string, digest: string) => `/v2/${repo}/referrers/${digest}`,
};
