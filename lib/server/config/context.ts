/**
 * The state of checking one configuration document: its file (for messages and relative paths), the
 * environment, and the secrets met so far (for redaction). Every problem goes through {@link Checker.fail},
 * so every message has the same form: `Invalid Porthole configuration in FILE: WHERE: field "F": PROBLEM`.
 */
import 'server-only';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import type { z } from 'zod';
import { SOURCE_NAME } from './schema';
import { ConfigError, type Env } from './types';

export class Checker {
  readonly secrets: string[] = [];
  constructor(
    readonly file: string,
    readonly baseDir: string,
    readonly env: Env,
  ) {}

  fail(where: string, field: string | undefined, problem: string): never {
    const at = field ? `${where}: field "${field}"` : where;
    throw new ConfigError(`Invalid Porthole configuration in ${this.file}: ${at}: ${problem}`, this.file, field);
  }

  /**
   * Fails with a schema issue, placed like the hand-written checks: the object it is in (`top level`,
   * `sources[1] ("web")`, `auth.tokens[0]`) and the field. `raw` is the document, to name the source.
   * Messages come from the schema; zod's own text is never shown, as it could quote a value.
   */
  failIssue(issue: z.core.$ZodIssue, raw: unknown): never {
    const path = issue.path.filter((key): key is string | number => typeof key !== 'symbol');
    let objectPath: (string | number)[];
    let field: string | undefined;
    if (issue.code === 'unrecognized_keys') {
      objectPath = path;
      field = issue.keys[0];
    } else if (typeof path[path.length - 1] === 'number' && issue.code === 'invalid_type' && issue.expected === 'object') {
      // A list item that is not an object (`sources[2]: must be an object`).
      objectPath = path;
    } else {
      // The field is the last name in the path; list positions after it belong to the field (`include[2]`).
      let last = path.length - 1;
      while (last >= 0 && typeof path[last] === 'number') last--;
      objectPath = last >= 0 ? path.slice(0, last) : [];
      field = last >= 0 ? (path[last] as string) : undefined;
    }
    this.fail(describeWhere(objectPath, raw, field), field, issue.message);
  }

  /** A secret from the environment (the name is checked by the schema): the variable must be set; its value is recorded for redaction. */
  fromEnv(name: string | undefined, where: string, field: string): string | undefined {
    if (name === undefined) return undefined;
    const value = this.env[name];
    if (value === undefined || value === '') this.fail(where, field, `environment variable ${name} is not set`);
    return this.secret(value);
  }

  /** Records a secret value for redaction and returns it. */
  secret<T extends string | undefined>(value: T): T {
    if (value) this.secrets.push(value);
    return value;
  }

  /** An absolute path: `~` is the home directory, relative paths are relative to the file's directory. */
  path(value: string): string {
    const expanded = value === '~' ? homedir() : value.startsWith('~/') ? join(homedir(), value.slice(2)) : value;
    return isAbsolute(expanded) ? expanded : resolve(this.baseDir, expanded);
  }
}

/** `top level`, `sources[1] ("web")`, `auth`, `auth.tokens[0]` for an object path in the document. */
export function describeWhere(path: readonly (string | number)[], raw: unknown, field?: string): string {
  if (path.length === 0) return 'top level';
  let where = '';
  for (const key of path) where += typeof key === 'number' ? `[${key}]` : where ? `.${key}` : key;
  // A source is named once its name is known to be good (so a bad name is not echoed back).
  if (path.length === 2 && path[0] === 'sources' && field !== 'name') {
    const name = sourceName(raw, path[1] as number);
    if (name !== undefined) where += ` ("${name}")`;
  }
  return where;
}

function sourceName(raw: unknown, index: number): string | undefined {
  const sources = (raw as { sources?: unknown } | null)?.sources;
  const name = Array.isArray(sources) ? (sources[index] as { name?: unknown } | null)?.name : undefined;
  return typeof name === 'string' && SOURCE_NAME.test(name) ? name : undefined;
}
