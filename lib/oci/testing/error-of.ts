/** Test helper: the RegistryError a synchronous call throws (fails the test when it throws anything else or nothing). */
import { expect } from 'vitest';
import { isRegistryError } from '../errors';

export function errorOf(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (error) {
    expect(isRegistryError(error)).toBe(true);
    return error as { code: string; message: string };
  }
  throw new Error('expected a RegistryError');
}
