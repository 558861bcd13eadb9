/**
 * The one reader of command-line flags for Porthole's commands (`npm run cleanup`, `npm run copy`). Pure.
 * Value flags take `--name value` or `--name=value` (an empty value, or a following `--flag`, is "needs a
 * value"); boolean flags stand alone; `--help`/`-h` anywhere asks for the usage.
 */

export interface FlagSpec {
  /** Flags that take a value; each may be given several times (all values are kept, in order). */
  values: readonly string[];
  /** Flags that stand alone. */
  booleans: readonly string[];
  /** Whether bare words are operands (else they are unknown arguments). */
  operands?: boolean;
}

export interface ReadFlags {
  values: ReadonlyMap<string, readonly string[]>;
  booleans: ReadonlySet<string>;
  operands: readonly string[];
}

/**
 * Reads `argv` (without node and the script) against `spec`; `fail` builds the command's usage error from a
 * message naming the problem (thrown at once). Returns 'help' when asked for.
 */
export function readFlags(argv: readonly string[], spec: FlagSpec, fail: (message: string) => Error): ReadFlags | 'help' {
  const valueFlags = new Set(spec.values);
  const booleanFlags = new Set(spec.booleans);
  const values = new Map<string, string[]>();
  const booleans = new Set<string>();
  const operands: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i]!;
    if (raw === '--help' || raw === '-h') return 'help';
    const eq = raw.indexOf('=');
    const name = raw.startsWith('--') && eq > 0 ? raw.slice(0, eq) : raw;
    if (valueFlags.has(name)) {
      const value = eq > 0 && raw.startsWith('--') ? raw.slice(eq + 1) : argv[++i];
      if (value === undefined || value === '' || (eq < 0 && value.startsWith('--'))) throw fail(`${name} needs a value`);
      values.set(name, [...(values.get(name) ?? []), value]);
    } else if (booleanFlags.has(raw)) {
      booleans.add(raw);
    } else if (spec.operands && !raw.startsWith('-')) {
      operands.push(raw);
    } else {
      throw fail(`unknown ${spec.operands ? 'option' : 'argument'} ${JSON.stringify(raw)}`);
    }
  }
  return { values, booleans, operands };
}

/** The last value given for `flag`, if any (a flag given twice: the later one wins). */
export function lastValue(flags: ReadFlags, flag: string): string | undefined {
  return flags.values.get(flag)?.at(-1);
}
