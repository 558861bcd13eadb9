/**
 * The one error type of Porthole: every backend, the JSON API and the UI speak distribution-spec error codes.
 * @see https://github.com/opencontainers/distribution-spec/blob/v1.1.1/spec.md#error-codes
 */

export type ErrorCode =
  | 'BLOB_UNKNOWN'
  | 'BLOB_UPLOAD_INVALID'
  | 'BLOB_UPLOAD_UNKNOWN'
  | 'DIGEST_INVALID'
  | 'MANIFEST_BLOB_UNKNOWN'
  | 'MANIFEST_INVALID'
  | 'MANIFEST_UNKNOWN'
  | 'NAME_INVALID'
  | 'NAME_UNKNOWN'
  | 'SIZE_INVALID'
  | 'UNAUTHORIZED'
  | 'DENIED'
  | 'UNSUPPORTED'
  | 'TOOMANYREQUESTS'
  // Not in the spec but emitted by distribution or needed by Porthole.
  | 'TAG_INVALID'
  | 'PAGINATION_NUMBER_INVALID'
  | 'RANGE_INVALID'
  | 'UNAVAILABLE'
  | 'TIMEOUT'
  | 'UNKNOWN';

/** HTTP status for each code. One table, used by the API routes and by backends that fabricate errors. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  BLOB_UNKNOWN: 404,
  BLOB_UPLOAD_INVALID: 400,
  BLOB_UPLOAD_UNKNOWN: 404,
  DIGEST_INVALID: 400,
  MANIFEST_BLOB_UNKNOWN: 404,
  MANIFEST_INVALID: 400,
  MANIFEST_UNKNOWN: 404,
  NAME_INVALID: 400,
  NAME_UNKNOWN: 404,
  SIZE_INVALID: 400,
  UNAUTHORIZED: 401,
  DENIED: 403,
  UNSUPPORTED: 405,
  TOOMANYREQUESTS: 429,
  TAG_INVALID: 400,
  PAGINATION_NUMBER_INVALID: 400,
  RANGE_INVALID: 416,
  UNAVAILABLE: 502,
  TIMEOUT: 504,
  UNKNOWN: 500,
};

const KNOWN_CODES = new Set(Object.keys(HTTP_STATUS));

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && KNOWN_CODES.has(value);
}

/** One entry of the spec's wire format `{"errors":[{code,message,detail}]}`. */
export interface WireError {
  code: string;
  message: string;
  detail?: unknown;
}

export interface RegistryErrorOptions {
  detail?: unknown;
  /** HTTP status to report; defaults to the code's status in {@link HTTP_STATUS}. */
  status?: number;
  cause?: unknown;
  /** Further errors the registry sent in the same response. */
  others?: WireError[];
}

// Next.js bundles each route separately, so this module (and the class) can exist several times in one
// server process; registries built by one bundle throw errors another bundle checks. A global brand keeps
// `instanceof RegistryError` true across those copies.
const REGISTRY_ERROR_BRAND = Symbol.for('porthole.RegistryError');

/**
 * An error carrying a distribution-spec code. `message` is for people; `code` is for programs.
 * Never put credentials, file paths or stack traces in `message` or `detail`: both reach the browser.
 */
export class RegistryError extends Error {
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[REGISTRY_ERROR_BRAND] === true;
  }

  override readonly name = 'RegistryError';
  readonly code: ErrorCode;
  readonly status: number;
  readonly detail?: unknown;
  readonly others?: WireError[];

  constructor(code: ErrorCode, message: string, options: RegistryErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    Object.defineProperty(this, REGISTRY_ERROR_BRAND, { value: true });
    this.code = code;
    this.status = options.status ?? HTTP_STATUS[code];
    if (options.detail !== undefined) this.detail = options.detail;
    if (options.others?.length) this.others = options.others;
  }

  toWire(): WireError {
    const wire: WireError = { code: this.code, message: this.message };
    if (this.detail !== undefined) wire.detail = this.detail;
    return wire;
  }
}

export function isRegistryError(error: unknown, code?: ErrorCode): error is RegistryError {
  return error instanceof RegistryError && (code === undefined || error.code === code);
}

/**
 * Decodes a wire error body (from a registry or from Porthole's own API) into a RegistryError.
 * Tolerates non-JSON bodies and unknown codes; `fallback` is used when the body names no code.
 */
export function fromWireErrors(status: number, body: unknown, fallback: ErrorCode = codeForStatus(status)): RegistryError {
  const errors = (body as { errors?: unknown } | null)?.errors;
  if (Array.isArray(errors) && errors.length > 0) {
    const wire = errors
      .filter((e): e is Record<string, unknown> => typeof e === 'object' && e !== null)
      .map((e) => ({
        code: typeof e.code === 'string' ? e.code : 'UNKNOWN',
        message: typeof e.message === 'string' ? e.message : '',
        detail: e.detail,
      }));
    // distribution sometimes sends UNKNOWN entries before the meaningful one (e.g. MANIFEST_BLOB_UNKNOWN).
    const first = wire.find((e) => isErrorCode(e.code) && e.code !== 'UNKNOWN') ?? wire[0];
    if (first) {
      const code = isErrorCode(first.code) ? first.code : fallback;
      return new RegistryError(code, first.message || defaultMessage(code), {
        status,
        detail: first.detail ?? undefined,
        others: wire.filter((e) => e !== first),
      });
    }
  }
  return new RegistryError(fallback, defaultMessage(fallback), { status });
}

/** The code a bare HTTP status implies when the body says nothing. */
export function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 400:
      return 'MANIFEST_INVALID';
    case 401:
      return 'UNAUTHORIZED';
    case 403:
      return 'DENIED';
    case 404:
      return 'NAME_UNKNOWN';
    case 405:
      return 'UNSUPPORTED';
    case 416:
      return 'RANGE_INVALID';
    case 429:
      return 'TOOMANYREQUESTS';
    case 502:
    case 503:
      return 'UNAVAILABLE';
    case 504:
      return 'TIMEOUT';
    default:
      return 'UNKNOWN';
  }
}

function defaultMessage(code: ErrorCode): string {
  return code.toLowerCase().replace(/_/g, ' ');
}
