import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { clearLearntSecrets, registerSecret, setRedactions } from '@/lib/redaction/secrets';
import { writeAudit } from './audit';

afterEach(() => {
  setRedactions([]);
  clearLearntSecrets();
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
