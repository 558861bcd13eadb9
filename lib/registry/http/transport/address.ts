import 'server-only';
import { isIP } from 'node:net';

/** `[::1]` (URL.hostname form) → `::1`. */
function bare(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

function ipv4Private(address: string): boolean {
  const parts = address.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return false;
  const [a, b] = parts as [number, number, number, number];
  return (
    a === 0 || // "this network"
    a === 10 ||
    a === 127 || // loopback
    (a === 100 && b >= 64 && b <= 127) || // carrier-grade NAT
    (a === 169 && b === 254) || // link-local (cloud metadata services live here)
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168)
  );
}

function ipv6Private(address: string): boolean {
  const lower = address.toLowerCase().split('%')[0]!;
  if (lower === '::' || lower === '::1') return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (mapped) return ipv4Private(mapped[1]!);
  const hexMapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (hexMapped) {
    const high = parseInt(hexMapped[1]!, 16);
    const low = parseInt(hexMapped[2]!, 16);
    return ipv4Private(`${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`);
  }
  const first = parseInt(lower.split(':')[0] || '0', 16);
  return (
    (first & 0xfe00) === 0xfc00 || // unique local fc00::/7
    (first & 0xffc0) === 0xfe80 // link-local fe80::/10
  );
}

/** True for a loopback, private, link-local or unspecified IP address literal. */
export function isPrivateAddress(address: string): boolean {
  const a = bare(address);
  const kind = isIP(a);
  if (kind === 4) return ipv4Private(a);
  if (kind === 6) return ipv6Private(a);
  return false;
}

/**
 * True when a host name is obviously local without asking DNS: a private address literal, `localhost`, or a
 * name under `.localhost` (RFC 6761 reserves it for loopback).
 */
export function isPrivateHostLiteral(hostname: string): boolean {
  const host = bare(hostname).toLowerCase().replace(/\.$/, '');
  return host === 'localhost' || host.endsWith('.localhost') || isPrivateAddress(host);
}

/** True when `hostname` is an IP literal (no DNS involved). */
export function isIpLiteral(hostname: string): boolean {
  return isIP(bare(hostname)) !== 0;
}

/** Addresses of a host name from the system resolver (the same lookup undici's connector uses). */
export async function systemResolve(hostname: string): Promise<string[]> {
  const { lookup } = await import('node:dns/promises');
  const entries = await lookup(bare(hostname), { all: true });
  return entries.map((e) => e.address);
}
