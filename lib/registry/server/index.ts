/**
 * The `/v2` registry server (distribution-spec v1.1) over any {@link Registry}: see `./handler.ts` for the
 * entry point and `./types.ts` for what it serves and reports.
 */
export { createRegistryServer, type RegistryServer } from './handler';
export { API_VERSION_HEADER, replyError, type ErrorMapper } from './respond';
export { DEFAULT_MAX_BLOB_BYTES, type Authenticator, type ServedSource, type ServerAction, type ServerEvent, type ServerOptions } from './types';
