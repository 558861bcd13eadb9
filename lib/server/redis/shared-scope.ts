/**
 * Which sources share cached answers through Redis, and under what name. Only http sources: a layout or memory
 * source is storage of its own process. The name is a hash of the registry URL and the identity Porthole
 * uses there (user name, or a hash of the token), so that two deployments sharing a Redis never read each
 * other's answers for different registries or accounts, and no credential appears in a key.
 */
import 'server-only';
import { createHash } from 'node:crypto';
import type { SourceConfig } from '../config';

/** A short stable name of the registry and account behind `source`; undefined when it must not be shared. */
export function sharedScope(source: { config: Pick<SourceConfig, 'kind' | 'url' | 'credentials'> }): string | undefined {
  const { kind, url, credentials } = source.config;
  if (kind !== 'http' || url === undefined) return undefined;
  const who = credentials === undefined ? '' : 'username' in credentials ? `user:${credentials.username}` : `token:${createHash('sha256').update(credentials.token).digest('hex')}`;
  return createHash('sha256').update(`${url}\n${who}`).digest('hex').slice(0, 32);
}
