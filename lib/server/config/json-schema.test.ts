import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_SCHEMA_FILE, configJsonSchemaText } from './json-schema';

const root = join(import.meta.dirname, '..', '..', '..');

describe('the published JSON Schema of the configuration file', () => {
  it('is current (regenerate with `npm run config-schema`)', () => {
    expect(readFileSync(join(root, CONFIG_SCHEMA_FILE), 'utf8')).toBe(configJsonSchemaText());
  });

  it('describes the file: strict objects, required fields, defaults', () => {
    const schema = JSON.parse(configJsonSchemaText());
    expect(schema.required).toEqual(['sources']);
    expect(schema.additionalProperties).toBe(false);
    const source = schema.properties.sources.items;
    expect(source.additionalProperties).toBe(false);
    expect(source.required).toEqual(['name']);
    expect(source.properties.concurrency).toMatchObject({ default: 'auto', anyOf: [{ const: 'auto' }, { type: 'integer', minimum: 1, maximum: 64 }] });
    expect(source.properties.maxConcurrency).toMatchObject({ type: 'integer', minimum: 2, maximum: 256 });
    expect(source.properties.kind.enum).toEqual(['http', 'layout', 'memory', 'unify']);
    expect(source.properties.include.anyOf).toHaveLength(2);
  });
});
