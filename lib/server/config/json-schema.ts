/**
 * The JSON Schema of the configuration file, generated from `schema.ts` and published at
 * `docs/porthole.config.schema.json` (written by `npm run config-schema`; `json-schema.test.ts` fails when the
 * published file is stale). Editors use it to complete and check `porthole.config.yaml`.
 */
import 'server-only';
import { z } from 'zod';
import { configFileSchema } from './schema';

/** Where the schema is published, relative to the repository root. */
export const CONFIG_SCHEMA_FILE = 'docs/porthole.config.schema.json';

/** The schema as JSON text, exactly as published (two-space indent, final newline). */
export function configJsonSchemaText(): string {
  // `input`: what a person writes (defaults optional, one string allowed where a list is meant).
  const schema = z.toJSONSchema(configFileSchema, { io: 'input', target: 'draft-2020-12' });
  const document = { ...schema, title: 'Porthole configuration (porthole.config.yaml / .json)' };
  return `${JSON.stringify(document, null, 2)}\n`;
}
