/**
 * Writing audit entries the way every state-changing path needs: the time added, the configured log (stdout when
 * that write fails, without failing the call: the registry may already have acted), the outcome derived from
 * the error, and a mark on errors already recorded so that an outer layer (the route handler) does not record
 * the same attempt twice.
 */
import 'server-only';
import { RegistryError } from '@/lib/oci/errors';
import { auditError, writeAudit, type AuditEntry, type AuditResult } from './audit';
import { logError } from './respond';
import { getConfig } from './sources';

/** Where an attempt failed: checking its input (before any registry request), or doing it. */
export type AuditStage = 'input' | 'action';

// A global symbol: the route bundle and the service may be different chunks with different module copies.
const AUDITED = Symbol.for('porthole.audit.recorded');

/** Appends `entry` (with the current time) to the configured audit log; falls back to stdout on failure. */
export async function recordAudit(entry: Omit<AuditEntry, 'time'>): Promise<void> {
  const config = await getConfig();
  const full = { time: new Date().toISOString(), ...entry };
  try {
    await writeAudit(config.auditLog, full);
  } catch (error) {
    logError('audit log write failed', error);
    await writeAudit(undefined, full);
  }
}

/** `denied` for authentication and permission refusals, `refused` for bad input, otherwise `error`. */
export function auditOutcome(error: unknown, stage: AuditStage): Exclude<AuditResult, 'ok'> {
  if (error instanceof RegistryError && (error.code === 'DENIED' || error.code === 'UNAUTHORIZED')) return 'denied';
  return stage === 'input' ? 'refused' : 'error';
}

/** Records a failed attempt and marks the error as recorded. */
export async function recordFailure(entry: Omit<AuditEntry, 'time' | 'result' | 'error'>, error: unknown, stage: AuditStage): Promise<void> {
  await recordAudit({ ...entry, result: auditOutcome(error, stage), error: auditError(error) });
  if (error !== null && typeof error === 'object') Object.defineProperty(error, AUDITED, { value: true, configurable: true });
}

/** Was this error already recorded by {@link recordFailure}? */
export function wasAudited(error: unknown): boolean {
  return error !== null && typeof error === 'object' && (error as Record<symbol, unknown>)[AUDITED] === true;
}
