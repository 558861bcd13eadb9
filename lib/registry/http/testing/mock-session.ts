/**
 * The per-test setup of the HTTP backend's MockAgent tests: a fresh MockAgent before each test (handed to the
 * test file through `onAgent`), registries opened on it, and both closed after each test.
 */
import type { MockAgent } from 'undici';
import { afterEach, beforeEach } from 'vitest';
import { RegistryError } from '@/lib/oci/errors';
import { createHttpRegistry, type HttpRegistry, type HttpRegistryOptions } from '../index';
import { mockAgent, testOptions, type MockReply } from './mock-registry';

/** The repository most tests use. */
export const REPO = 'team/app';

/**
 * Registers the hooks; returns `open`, which creates a registry on the current test's agent (closed after
 * the test). `onAgent` receives each test's new agent before the test runs.
 */
export function mockSession(onAgent: (agent: MockAgent) => void): (options?: Partial<HttpRegistryOptions>) => HttpRegistry {
  let agent: MockAgent;
  const opened: HttpRegistry[] = [];
  beforeEach(() => {
    agent = mockAgent();
    onAgent(agent);
  });
  afterEach(async () => {
    for (const r of opened.splice(0)) await r.close();
    await agent.close();
  });
  return (options = {}) => {
    const registry = createHttpRegistry({ ...testOptions(agent), ...options });
    opened.push(registry);
    return registry;
  };
}

/** The RegistryError a call rejects with; fails the test when it resolves or rejects with anything else. */
export async function rejection(promise: Promise<unknown> | (() => Promise<unknown>)): Promise<RegistryError> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    if (error instanceof RegistryError) return error;
    throw error;
  }
  throw new Error('expected a RegistryError');
}

/** A 200 manifest answer with the given bytes and Content-Type. */
export const manifestReply = (bytes: Uint8Array, mediaType: string, headers: Record<string, string> = {}): MockReply => ({
  statusCode: 200,
  data: Buffer.from(bytes),
  responseOptions: { headers: { 'content-type': mediaType, ...headers } },
});
