import { afterEach, describe, expect, it } from 'vitest';
import { installConsoleRedaction } from './console';
import { setRedactions } from './secrets';

afterEach(() => setRedactions([]));

describe('console redaction', () => {
  it('redacts whatever the framework logs: messages, objects and Error stacks', () => {
    const lines: string[] = [];
    const sink = { log: (...a: unknown[]) => lines.push(a.join(' ')), info: () => {}, warn: () => {}, error: (...a: unknown[]) => lines.push(a.join(' ')), debug: () => {}, trace: () => {} };
    installConsoleRedaction(sink);
    installConsoleRedaction(sink); // idempotent: wrapped once
    setRedactions([
      { value: process.cwd(), replacement: '.', path: true },
      { value: 'evil-pass-123', replacement: '[redacted]' },
    ]);
    sink.error(new Error('registry said evil-pass-123'));
    sink.log('%s at %o', 'failed', { password: 'evil-pass-123' });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('console.test.ts'); // the stack is kept…
    for (const line of lines) {
      expect(line).not.toContain(process.cwd()); // …without local paths
      expect(line).not.toContain('evil-pass-123');
    }
  });
});
