import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RegistryError } from '@/lib/oci/errors';
import { clearLearntSecrets, registerSecret, setRedactions } from '@/lib/redaction/secrets';
import { AUDIT_TEXT_LIMIT, safeAuditText, writeAudit } from './audit';
import { auditOutcome } from './audit-record';

afterEach(() => {
  setRedactions([]);
  clearLearntSecrets();
});

describe('safeAuditText', () => {
  it('replaces control characters, line separators and bidi overrides, keeps ordinary text', () => {
    expect(safeAuditText('team/app:v1.2_rc-3')).toBe('team/app:v1.2_rc-3');
    expect(safeAuditText('a\nb\r\tc\u0000d\u007fe\u009bf')).toBe('a\ufffdb\ufffd\ufffdc\ufffdd\ufffde\ufffdf');
    expect(safeAuditText('x\u2028y\u202ez\u2066')).toBe('x\ufffdy\ufffdz\ufffd');
    expect(safeAuditText('ünïcödé ✓')).toBe('ünïcödé ✓');
  });

  it('cuts long values and says how much was cut (by characters, not UTF-16 units)', () => {
    expect(safeAuditText('a'.repeat(AUDIT_TEXT_LIMIT))).toBe('a'.repeat(AUDIT_TEXT_LIMIT));
    expect(safeAuditText('a'.repeat(AUDIT_TEXT_LIMIT + 10))).toBe(`${'a'.repeat(AUDIT_TEXT_LIMIT)}…[+10]`);
    expect(safeAuditText('😀'.repeat(AUDIT_TEXT_LIMIT + 1))).toBe(`${'😀'.repeat(AUDIT_TEXT_LIMIT)}…[+1]`);
  });
});

describe('writeAudit', () => {
  it('writes every string of an entry safely, nested ones included, one line per entry', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'porthole-audit-'));
    try {
      const file = join(dir, 'audit.jsonl');
      await writeAudit(file, {
        time: 't',
        action: 'delete-tag',
        user: 'eve\n{"forged":true}',
        source: 's',
        repository: 'r',
        tag: 'x'.repeat(1000),
        result: 'refused',
        error: { code: 'TAG_INVALID', message: 'bad\u001b[2J' },
        remainingTags: ['a\rb'],
      });
      const lines = (await readFile(file, 'utf8')).split('\n').filter(Boolean);
      expect(lines).toHaveLength(1);
      const entry = JSON.parse(lines[0]!) as Record<string, unknown>;
      expect(entry.user).toBe('eve\ufffd{"forged":true}');
      expect(entry.tag).toBe(`${'x'.repeat(AUDIT_TEXT_LIMIT)}…[+${1000 - AUDIT_TEXT_LIMIT}]`);
      expect(entry.error).toEqual({ code: 'TAG_INVALID', message: 'bad\ufffd[2J' });
      expect(entry.remainingTags).toEqual(['a\ufffdb']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('auditOutcome', () => {
  it('denied for auth and permission refusals, refused for bad input, error for failed attempts', () => {
    expect(auditOutcome(new RegistryError('DENIED', 'read-only'), 'action')).toBe('denied');
    expect(auditOutcome(new RegistryError('UNAUTHORIZED', 'no user'), 'input')).toBe('denied');
    expect(auditOutcome(new RegistryError('TAG_INVALID', 'bad'), 'input')).toBe('refused');
    expect(auditOutcome(new RegistryError('MANIFEST_UNKNOWN', 'gone'), 'action')).toBe('error');
    expect(auditOutcome(new Error('bug'), 'action')).toBe('error');
  });
});

describe('audit writer', () => {
  it('redacts configured secrets, learnt tokens and credential values from every line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'porthole-audit-'));
    try {
      setRedactions([{ value: 's3cret-xyz-pass', replacement: '[redacted]' }]);
      registerSecret('issued-token-0123456789');
      const path = join(dir, 'audit.log');
      await writeAudit(path, {
        time: '2026-01-01T00:00:00.000Z',
        action: 'delete-tag',
        user: 'anonymous',
        source: 's3cret-xyz-pass', // raw user input: a password pasted as a source name
        repository: 'team/app',
        tag: 'v1',
        result: 'error',
        error: { code: 'DENIED', message: 'registry said: Basic bWFsbG9yeTpldmlsLXBhc3MtMTIz, token issued-token-0123456789' },
      });
      const line = await readFile(path, 'utf8');
      expect(JSON.parse(line)).toMatchObject({ source: '[redacted]', tag: 'v1' });
      for (const secret of ['s3cret-xyz-pass', 'bWFsbG9yeTpldmlsLXBhc3MtMTIz', 'issued-token-0123456789']) expect(line).not.toContain(secret);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
