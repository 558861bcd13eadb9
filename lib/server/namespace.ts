/**
 * The configured sources as one {@link Namespace}: full references `SOURCE/REPO[:TAG][@DIGEST]` or
 * `HOST/REPO[:TAG][@DIGEST]` resolve to a source's registry. A source answers for the hosts `/open` matches
 * ({@link sourceHosts}): its `host` (an http source's default is its URL's `host[:port]`), and a layout or
 * memory source also for its name. Every source is also reachable by its name as the first component.
 */
import 'server-only';
import { Namespace, type NamespaceEntry } from '@/lib/registry/namespace';
import { getSources, type Source } from './sources';

/** The registry hosts a source answers for in pull references (lower-case; the same matching as `/open`). */
export function sourceHosts(source: Pick<Source, 'name' | 'config'>): string[] {
  const hosts: string[] = [];
  if (source.config.host) hosts.push(source.config.host.toLowerCase());
  if (source.config.kind !== 'http') hosts.push(source.name);
  return hosts;
}

/** A namespace entry per configured source, in configuration order (the first matching host wins). */
export function namespaceOf(sources: readonly Source[]): Namespace {
  const entries: NamespaceEntry[] = sources.map((source) => ({ name: source.name, hosts: sourceHosts(source), registry: source.registry }));
  return new Namespace(entries);
}

/** The namespace of the configured sources (loads the configuration on first use). */
export async function getNamespace(): Promise<Namespace> {
  return namespaceOf(await getSources());
}
