/** Reading a JSON request body, bounded, with the API's error format for a missing or malformed body. */
import 'server-only';
import { RegistryError } from '@/lib/oci/errors';
import { readAll } from '@/lib/registry/read-all';

/**
 * The request's body parsed as JSON. Refuses (400 UNSUPPORTED) a request without a body — `missing` is the
 * message — and a body that is not JSON (with `detail.errors` naming the body as a whole, like a field
 * error); more than `limit` bytes is SIZE_INVALID.
 */
export async function readJsonBody(request: Request, limit: number, missing: string): Promise<unknown> {
  if (!request.body) throw new RegistryError('UNSUPPORTED', missing, { status: 400 });
  const bytes = await readAll(request.body, limit);
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
  } catch {
    throw new RegistryError('UNSUPPORTED', 'the body is not valid JSON', { status: 400, detail: { errors: [{ field: '', message: 'not valid JSON' }] } });
  }
}
