import { isRegistryError } from '@/lib/oci/errors';
import { validateRepository } from '@/lib/oci/reference';

/**
 * Does this catalog error mean the registry offers no catalog (Docker Hub, GHCR, ECR, `_catalog` disabled or
 * denied to these credentials) rather than a failure worth retrying? 401/403/404-as-UNSUPPORTED are answers.
 */
export function isNoCatalogError(error: unknown): boolean {
  return isRegistryError(error, 'UNSUPPORTED') || isRegistryError(error, 'UNAUTHORIZED') || isRegistryError(error, 'DENIED');
}

/** What is wrong with a typed repository name (the reference grammar's message), or undefined when it is valid. */
export function repositoryNameProblem(text: string): string | undefined {
  const name = text.trim();
  if (name === '') return 'Type a repository name, e.g. library/nginx';
  try {
    validateRepository(name);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : 'not a repository name';
  }
}
