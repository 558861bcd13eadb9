/**
 * Porthole's configuration: which registries ("sources") to show, how to reach them, whether deleting is
 * allowed, where the audit log goes and who may delete. See docs/configuration.md for every field and
 * docs/porthole.config.schema.json for the file's JSON Schema.
 *
 * - `schema.ts`: the file format, declared once (type, unknown fields, defaults, messages, JSON Schema);
 * - `check.ts`: the rules between fields; `credentials.ts`: secrets from the file, env and Docker config;
 * - `load.ts`: where the configuration comes from (file, `REGISTRY_URL`, demo);
 * - `types.ts`: the checked configuration as the server uses it.
 */
import 'server-only';

export { checkConfig } from './check';
export { configFromRegistryUrl, dataDir, demoConfig, loadConfig, parseConfigText } from './load';
export {
  DEFAULT_CACHE_MAX_BYTES,
  DEFAULT_CONCURRENCY,
  DEFAULT_MAX_CONCURRENCY,
  DEFAULT_TAG_CACHE_SECONDS,
  FIXED_CONCURRENCY_OF_AUTO,
} from './schema';
export {
  ConfigError,
  type AuthConfig,
  type AuthToken,
  type Env,
  type LoadOptions,
  type PortholeConfig,
  type RegistryServerConfig,
  type ResolvedCredentials,
  type SourceConfig,
} from './types';
