/**
 * The hosts Porthole may be reached at for requests that change registries: loopback names by default
 * (`localhost`, `127.0.0.1`, `[::1]`, any port), plus the host of `publicUrl` and the `allowedHosts` entries.
 *
 * Why: a DNS-rebinding page at `http://evil.example:3391` whose name resolves to 127.0.0.1 is, to the browser,
 * same-origin with itself: it sends `Host: evil.example:3391`, `Origin: http://evil.example:3391` and
 * `Sec-Fetch-Site: same-origin`. Comparing Origin with Host cannot tell; only a list of names the operator
 * actually uses can. `X-Forwarded-Host` is never consulted: any client can send it.
 */
import 'server-only';
import type { PortholeConfig } from './config';

/** Names a local Porthole is reached at without configuration. */
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

interface HostPattern {
  name: string;
  /** Undefined: any port. */
  port?: string;
}

/** `host[:port]` → name (lower-case, no trailing dot) and port; undefined when it is not a host. */
export function splitHost(value: string): HostPattern | undefined {
  const match = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::([0-9]{1,5}))?$/i.exec(value.trim());
  if (!match) return undefined;
  const name = match[1]!.toLowerCase().replace(/\.$/, '');
  return match[2] === undefined ? { name } : { name, port: match[2] };
}

function defaultPort(protocol: string): string {
  return protocol === 'https:' ? '443' : '80';
}
/** The patterns of a configuration: loopback (any port), `publicUrl`'s host and port, `allowedHosts`. */
export function allowedHostPatterns(config: Pick<PortholeConfig, 'publicUrl' | 'allowedHosts'>): HostPattern[] {
  const patterns: HostPattern[] = LOOPBACK_NAMES.map((name) => ({ name }));
  if (config.publicUrl) {
    const url = new URL(config.publicUrl);
    patterns.push({ name: url.hostname.toLowerCase(), port: url.port || defaultPort(url.protocol) });
  }
  for (const entry of config.allowedHosts) {
    const pattern = splitHost(entry);
    if (pattern) patterns.push(pattern);
  }
  return patterns;
}

/**
 * True when `host` (a `Host` header value, or an Origin's host) is allowed. A host without a port stands for a
 * default port (80 or 443: behind a TLS-terminating proxy the scheme is not known here).
 */
export function isAllowedHost(host: string, patterns: readonly HostPattern[]): boolean {
  const parsed = splitHost(host);
  if (!parsed) return false;
  return patterns.some(
    (p) => p.name === parsed.name && (p.port === undefined || (parsed.port === undefined ? p.port === '80' || p.port === '443' : p.port === parsed.port)),
  );
}
