import 'server-only';

/** One `WWW-Authenticate` challenge: the scheme (lower case) and its parameters (names lower case). */
export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

const TOKEN_END = new Set([' ', '\t', ',', '=', '"']);

/**
 * Parses `WWW-Authenticate` values into challenges (RFC 9110 §11.6.1). One header line may hold several
 * challenges separated by commas, and undici/`Headers.get` join repeated headers with `, `, so commas are only
 * challenge separators outside quoted strings and where a new scheme starts (a token not followed by `=`).
 * Quoted strings may contain commas, spaces and `\"` escapes (distribution quotes `scope="a b"`).
 */
export function parseChallenges(values: string | string[]): Challenge[] {
  const challenges: Challenge[] = [];
  for (const value of Array.isArray(values) ? values : [values]) parseInto(value, challenges);
  return challenges;
}

function parseInto(input: string, out: Challenge[]): void {
  let pos = 0;
  let current: Challenge | undefined;
  const skip = (chars: string) => {
    while (pos < input.length && chars.includes(input[pos]!)) pos++;
  };
  const readToken = () => {
    const start = pos;
    while (pos < input.length && !TOKEN_END.has(input[pos]!)) pos++;
    return input.slice(start, pos);
  };
  const readQuoted = () => {
    pos++; // opening quote
    let text = '';
    while (pos < input.length && input[pos] !== '"') {
      if (input[pos] === '\\' && pos + 1 < input.length) pos++;
      text += input[pos];
      pos++;
    }
    pos++; // closing quote (or end of input for an unterminated string)
    return text;
  };

  while (pos < input.length) {
    skip(' \t,');
    if (pos >= input.length) break;
    if (input[pos] === '"' || input[pos] === '=') {
      // Garbage where a name should be: skip it rather than loop forever.
      if (input[pos] === '"') readQuoted();
      else pos++;
      continue;
    }
    const token = readToken();
    skip(' \t');
    if (input[pos] === '=' && current) {
      const equals = pos;
      pos++;
      skip(' \t');
      if (pos >= input.length || input[pos] === ',' || input[pos] === '=') {
        // token68 (e.g. `Negotiate abc==`): keep it whole, padding included.
        while (input[pos] === '=') pos++;
        current.params.token68 = token + input.slice(equals, pos).replace(/[ \t]/g, '');
        continue;
      }
      current.params[token.toLowerCase()] = input[pos] === '"' ? readQuoted() : readToken();
    } else {
      current = { scheme: token.toLowerCase(), params: {} };
      out.push(current);
    }
  }
}
