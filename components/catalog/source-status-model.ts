import type { SourceStatus } from '@/lib/api/types';

/** How a source's live status reads on the sources page. */
export interface StatusView {
  /** `ok`: usable; `rejected`: up but the credentials are refused; `down`: no answer; `checking`: not known yet. */
  state: 'ok' | 'rejected' | 'down' | 'checking';
  label: string;
  /** The registry's error message, or what it can do. */
  detail?: string;
}

function features(status: SourceStatus): string {
  const parts: string[] = [];
  if (status.catalog === false) parts.push('no catalog');
  if (status.referrersApi === true) parts.push('referrers API');
  if (status.tagDelete === 'native' || status.tagDelete === 'placeholder') parts.push(`tag delete: ${status.tagDelete}`);
  return parts.join(' · ');
}

/** Turns the API's status into a label: down beats rejected beats reachable. Pure, for the badge and its tests. */
export function describeStatus(status: SourceStatus | undefined): StatusView {
  if (!status) return { state: 'checking', label: 'Checking…' };
  const error = status.error ? `${status.error.code}: ${status.error.message}` : undefined;
  if (!status.reachable) return { state: 'down', label: status.error?.code === 'TIMEOUT' ? 'Down (no answer)' : 'Down', ...(error ? { detail: error } : {}) };
  if (status.auth === 'rejected') return { state: 'rejected', label: 'Credentials rejected', ...(error ? { detail: error } : {}) };
  const latency = status.latencyMs !== null ? ` · ${status.latencyMs} ms` : '';
  const detail = features(status);
  return { state: 'ok', label: `Reachable${latency}`, ...(detail ? { detail } : {}) };
}
