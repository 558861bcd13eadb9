// `npm run config-schema`: writes the configuration file's JSON Schema (docs/porthole.config.schema.json)
// from its one declaration in lib/server/config/schema.ts. A unit test fails when the file is stale.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_SCHEMA_FILE, configJsonSchemaText } from '@/lib/server/config/json-schema';

const target = join(import.meta.dirname, '..', CONFIG_SCHEMA_FILE);
writeFileSync(target, configJsonSchemaText());
console.log(`wrote ${CONFIG_SCHEMA_FILE}`);
