/** Breadcrumbs of a page path (source › namespace › repository › tag/digest). Pure, so it is unit-tested. */
import { shortDigest } from '@/lib/oci/digest';
import { pages, parseRepoPath } from '@/lib/routes';

export interface Crumb {
  label: string;
  href: string;
  /** Shown in full on hover (digests are shortened). */
  title?: string;
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The source name of a page path, or undefined outside `/s/<source>`. */
export function sourceOfPath(pathname: string): string | undefined {
  const segments = pathname.split('/').filter(Boolean);
  return segments[0] === 's' && segments[1] ? decode(segments[1]) : undefined;
}

export function crumbsFor(pathname: string): Crumb[] {
  const segments = pathname.split('/').filter(Boolean).map(decode);
  if (segments[0] !== 's' || !segments[1]) return [];
  const source = segments[1];
  const crumbs: Crumb[] = [{ label: source, href: pages.catalog(source) }];
  if (segments[2] === 'cleanup') {
    crumbs.push({ label: 'Cleanup', href: pages.cleanup(source) });
    return crumbs;
  }
  if (segments[2] !== 'r') return crumbs;
  const parsed = parseRepoPath(segments.slice(3));
  if (!parsed) return crumbs;
  const slash = parsed.repo.lastIndexOf('/');
  if (slash > 0) {
    const namespace = parsed.repo.slice(0, slash);
    crumbs.push({ label: namespace, href: pages.catalog(source, { q: `${namespace}/` }) });
  }
  crumbs.push({ label: parsed.repo.slice(slash + 1), href: pages.tags(source, parsed.repo), title: parsed.repo });
  const ref = parsed.reference;
  if (!ref) return crumbs;
  const isDigest = /^[a-z0-9+._-]+:[a-f0-9]{32,}$/i.test(ref);
  const label = isDigest ? `${ref.slice(0, ref.indexOf(':'))}:${shortDigest(ref)}` : ref;
  if (parsed.action === 'manifests') {
    crumbs.push({ label, href: pages.manifest(source, parsed.repo, ref), title: ref });
  } else if (parsed.action === 'referrers') {
    crumbs.push({ label, href: pages.manifest(source, parsed.repo, ref), title: ref });
    crumbs.push({ label: 'Referrers', href: pages.referrers(source, parsed.repo, ref) });
  }
  return crumbs;
}
