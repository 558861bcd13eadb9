import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, checkConfig, configFromRegistryUrl, demoConfig, loadConfig, parseConfigText } from '.';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'porthole-config-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function problem(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('checkConfig', () => {
  it('applies defaults: read-only, not served, no pushes, adaptive concurrency, tag cache 15 s', () => {
    const config = checkConfig({ sources: [{ name: 'hub', kind: 'http', url: 'https://registry.example.com:5000/' }] }, 'c.yaml', dir, {});
    expect(config.sources).toEqual([
      {
        name: 'hub',
        kind: 'http',
        url: 'https://registry.example.com:5000',
        host: 'registry.example.com:5000',
        insecure: false,
        delete: false,
        write: false,
        concurrency: 'auto',
        tagCacheSeconds: 15,
      },
    ]);
    expect(config.sources[0]!.serve).toBeUndefined();
    expect(config.allowedHosts).toEqual([]);
    expect(config.auditLog).toBeUndefined();
    expect(config.auth).toBeUndefined();
  });

  it('resolves relative paths against the config directory and reads every field', () => {
    const config = checkConfig(
      {
        auditLog: 'logs/audit.jsonl',
        tagCacheSeconds: 30,
        allowedOrigins: ['https://porthole.example.com'],
        sources: [
          { name: 'local', kind: 'layout', path: 'layouts/one', delete: true, include: ['team/*'], exclude: 'team/secret', concurrency: 3 },
          { name: 'scratch', kind: 'memory', tagCacheSeconds: 0 },
        ],
      },
      'c.yaml',
      dir,
      {},
    );
    expect(config.auditLog).toBe(join(dir, 'logs/audit.jsonl'));
    expect(config.allowedOrigins).toEqual(['https://porthole.example.com']);
    expect(config.sources[0]).toMatchObject({ path: join(dir, 'layouts/one'), delete: true, include: ['team/*'], exclude: ['team/secret'], concurrency: 3, tagCacheSeconds: 30 });
    expect(config.sources[1]).toMatchObject({ kind: 'memory', tagCacheSeconds: 0, delete: false });
  });

  it('reads credentials from the environment and records them as secrets', () => {
    const config = checkConfig(
      { sources: [{ name: 'a', url: 'http://127.0.0.1:5000', usernameEnv: 'U', passwordEnv: 'P' }, { name: 'b', url: 'https://b.example', tokenEnv: 'T' }] },
      'c.yaml',
      dir,
      { U: 'alice', P: 'pw-from-env', T: 'tok-from-env' },
    );
    expect(config.sources[0]!.credentials).toEqual({ username: 'alice', password: 'pw-from-env' });
    expect(config.sources[1]!.credentials).toEqual({ token: 'tok-from-env' });
    expect(config.secrets).toEqual(expect.arrayContaining(['pw-from-env', 'tok-from-env', Buffer.from('alice:pw-from-env').toString('base64')]));
  });

  it('reads credentials from the auths of a Docker config.json', async () => {
    const file = join(dir, 'docker.json');
    await writeFile(
      file,
      JSON.stringify({
        auths: {
          'https://other.example': { auth: Buffer.from('x:y').toString('base64') },
          'registry.example.com:5000': { auth: Buffer.from('bob:docker-secret').toString('base64') },
          'tok.example': { registrytoken: 'registry-token-value' },
        },
      }),
    );
    const config = checkConfig(
      {
        sources: [
          { name: 'a', url: 'https://registry.example.com:5000', dockerConfig: 'docker.json' },
          { name: 'b', url: 'https://tok.example', dockerConfig: file },
        ],
      },
      'c.yaml',
      dir,
      {},
    );
    expect(config.sources[0]!.credentials).toEqual({ username: 'bob', password: 'docker-secret' });
    expect(config.sources[1]!.credentials).toEqual({ token: 'registry-token-value' });
    expect(config.secrets).toContain('docker-secret');
    const missing = problem(() => checkConfig({ sources: [{ name: 'c', url: 'https://nohost.example', dockerConfig: file }] }, 'c.yaml', dir, {}));
    expect(missing.message).toContain('no entry for host nohost.example');
  });

  it('names the file, the source and the field in every error, never the secret', () => {
    const cases: [unknown, string][] = [
      [{ sources: [] }, 'field "sources"'],
      [{ sources: [{ name: 'x', kind: 'http' }] }, 'sources[0] ("x"): field "url": is required'],
      [{ sources: [{ name: 'x', kind: 'ftp', url: 'ftp://a' }] }, 'field "kind"'],
      [{ sources: [{ name: 'x', url: 'ftp://a' }] }, 'field "url": must start with http'],
      [{ sources: [{ name: 'Bad Name', kind: 'memory' }] }, 'sources[0]: field "name"'],
      [{ sources: [{ name: 'x', kind: 'memory' }, { name: 'x', kind: 'memory' }] }, 'sources[1] ("x"): field "name": is used by an earlier source'],
      [{ sources: [{ name: 'x', kind: 'memory', delete: 'yes' }] }, 'field "delete": must be true or false'],
      [{ sources: [{ name: 'x', kind: 'memory', concurency: 3 }] }, 'field "concurency": unknown field'],
      [{ sources: [{ name: 'x', kind: 'memory', concurrency: 0 }] }, 'field "concurrency": must be "auto" or an integer between 1 and 64'],
      [{ sources: [{ name: 'x', kind: 'memory', concurrency: 'fast' }] }, 'field "concurrency": must be "auto" or an integer between 1 and 64'],
      [{ sources: [{ name: 'x', url: 'http://a', maxConcurrency: 1 }] }, 'field "maxConcurrency": must be an integer between 2 and 256'],
      [{ sources: [{ name: 'x', kind: 'memory', maxConcurrency: 16 }] }, 'field "maxConcurrency": is only used by http sources'],
      [{ sources: [{ name: 'x', url: 'http://a', concurrency: 4, maxConcurrency: 16 }] }, 'field "maxConcurrency": is only used with concurrency: auto'],
      [{ sources: [{ name: 'x', url: 'http://a', usernameEnv: 'NOPE', passwordEnv: 'P' }] }, 'field "usernameEnv": environment variable NOPE is not set'],
      [{ sources: [{ name: 'x', url: 'http://a', username: 'u' }] }, 'field "password"'],
      [{ sources: [{ name: 'x', url: 'http://a', password: 'hunter2-secret', token: 'tok-secret-1234' }] }, 'field "token": use one kind of credentials'],
      [{ sources: [{ name: 'x', url: 'http://u:inline-url-secret@a' }] }, 'field "url": must not contain credentials'],
      [{ sources: [{ name: 'x', kind: 'layout', path: '/x', password: 'hunter2-secret', username: 'u' }] }, 'field "kind": credentials are only used by http'],
      [{ sources: [{ name: 'x', url: 'http://a', caFile: 'missing.pem' }] }, 'field "caFile": file does not exist'],
      [{ sources: [{ name: 'x', kind: 'memory' }], auth: { tokens: [{ name: 'ci', token: 'short' }] } }, 'auth.tokens[0]: field "token": must be at least 16'],
      [{ sources: [{ name: 'x', kind: 'memory' }], auth: {} }, 'auth: needs "tokens" or "proxyUserHeader"'],
      [{ sources: [{ name: 'x', kind: 'memory' }], allowedOrigins: ['not a url'] }, 'field "allowedOrigins"'],
      [{ sources: [{ name: 'x', kind: 'memory' }], bogus: 1 }, 'top level: field "bogus": unknown field (allowed: $schema, sources, auditLog'],
      [{ sources: ['x'] }, 'sources[0]: must be an object'],
      [{ sources: [{ name: 'x', kind: 'memory', include: ['a', ''] }] }, 'sources[0] ("x"): field "include": must be a list of non-empty strings'],
      [{ sources: [{ name: 'x', kind: 'memory' }], auth: { tokens: ['hunter2-secret'] } }, 'auth.tokens[0]: must be an object'],
      [{ sources: [{ name: 'x', kind: 'memory' }], auth: { tokens: [{ token: 'tok-secret-1234' }] } }, 'auth.tokens[0]: field "name": is required'],
      [{ sources: [{ name: 'x', url: 'http://a', timeoutSeconds: 1.5 }] }, 'field "timeoutSeconds": must be an integer between 1 and 600'],
    ];
    for (const [doc, expected] of cases) {
      const error = problem(() => checkConfig(doc, '/etc/porthole/config.yaml', dir, { P: 'env-pass' }));
      expect(error.message).toContain('/etc/porthole/config.yaml');
      expect(error.message).toContain(expected);
      for (const secret of ['hunter2-secret', 'tok-secret-1234', 'inline-url-secret', 'env-pass']) expect(error.message).not.toContain(secret);
    }
  });

  it('reads publicUrl and allowedHosts (where Porthole is reached) and refuses malformed ones', () => {
    const memory = [{ name: 'x', kind: 'memory' }];
    const plain = checkConfig({ sources: memory }, 'c.yaml', dir, {});
    expect(plain.allowedHosts).toEqual([]);
    expect(plain.publicUrl).toBeUndefined();
    const config = checkConfig({ sources: memory, publicUrl: 'https://Porthole.Example.com/', allowedHosts: ['10.0.0.5:3000', 'Intra.Example.', '[fd00::1]'] }, 'c.yaml', dir, {});
    expect(config.publicUrl).toBe('https://porthole.example.com');
    expect(config.allowedHosts).toEqual(['10.0.0.5:3000', 'intra.example', '[fd00::1]']);
    for (const [doc, expected] of [
      [{ publicUrl: 'porthole.example.com' }, 'field "publicUrl": "porthole.example.com" is not an http(s) URL'],
      [{ publicUrl: 'https://u:p@porthole.example.com' }, 'field "publicUrl"'],
      [{ publicUrl: 'ftp://porthole.example.com' }, 'field "publicUrl"'],
      [{ allowedHosts: ['http://porthole.example.com'] }, 'field "allowedHosts": "http://porthole.example.com" is not a host name or host:port'],
      [{ allowedHosts: ['*.example.com'] }, 'field "allowedHosts"'],
      [{ allowedHosts: 'a b' }, 'field "allowedHosts"'],
    ] as const) {
      expect(problem(() => checkConfig({ sources: memory, ...doc }, 'c.yaml', dir, {})).message).toContain(expected);
    }
  });

  it('accepts app auth with tokens from env and a proxy header', () => {
    const config = checkConfig(
      { sources: [{ name: 'x', kind: 'memory' }], auth: { tokens: [{ name: 'ci', tokenEnv: 'CI_TOKEN' }], proxyUserHeader: 'X-Forwarded-User' } },
      'c.yaml',
      dir,
      { CI_TOKEN: 'ci-token-0123456789' },
    );
    expect(config.auth).toEqual({ tokens: [{ name: 'ci', token: 'ci-token-0123456789' }], proxyUserHeader: 'x-forwarded-user' });
    expect(config.secrets).toContain('ci-token-0123456789');
  });
});

describe('parseConfigText', () => {
  it('accepts a $schema field for editors and ignores it', () => {
    const json = parseConfigText('{"$schema":"./docs/porthole.config.schema.json","sources":[{"name":"b","kind":"memory"}]}', 'p.json', dir, {});
    expect(json.sources.map((s) => s.name)).toEqual(['b']);
    expect(json).not.toHaveProperty('$schema');
  });

  it('parses YAML and JSON by extension', () => {
    const yaml = parseConfigText('sources:\n  - name: a\n    kind: memory\n    delete: true\n', 'p.yaml', dir, {});
    expect(yaml.sources[0]).toMatchObject({ name: 'a', delete: true });
    const json = parseConfigText('{"sources":[{"name":"b","kind":"memory"}]}', 'p.json', dir, {});
    expect(json.sources[0]!.name).toBe('b');
  });

  it('reports syntax errors with the file and position but without the offending line', () => {
    const error = problem(() => parseConfigText('sources:\n  - name: a\n    password: "leaked-secret\n', 'p.yaml', dir, {}));
    expect(error.message).toContain('p.yaml');
    expect(error.message).not.toContain('leaked-secret');
  });
});

describe('loadConfig', () => {
  it('uses PORTHOLE_CONFIG, then a default file, then REGISTRY_URL, then the demo', async () => {
    const cwd = await mkdtemp(join(dir, 'cwd-'));
    expect(loadConfig({ cwd, env: {} })).toMatchObject({ origin: 'demo', sources: [{ name: 'demo', kind: 'layout', delete: true, path: join(cwd, 'data', 'demo') }] });
    expect(loadConfig({ cwd, env: { PORTHOLE_DATA_DIR: '/srv/porthole' } }).sources[0]!.path).toBe('/srv/porthole/demo');

    const fromUrl = loadConfig({ cwd, env: { REGISTRY_URL: 'http://127.0.0.1:5000', REGISTRY_USERNAME: 'u', REGISTRY_PASSWORD: 'url-pass', REGISTRY_DELETE: 'true' } });
    expect(fromUrl.sources[0]).toMatchObject({ name: 'registry', kind: 'http', url: 'http://127.0.0.1:5000', delete: true, credentials: { username: 'u', password: 'url-pass' } });

    await writeFile(join(cwd, 'porthole.config.json'), JSON.stringify({ sources: [{ name: 'json', kind: 'memory' }] }));
    expect(loadConfig({ cwd, env: { REGISTRY_URL: 'http://ignored' } }).sources[0]!.name).toBe('json');

    await writeFile(join(cwd, 'custom.yml'), 'sources:\n  - name: custom\n    kind: memory\n');
    expect(loadConfig({ cwd, env: { PORTHOLE_CONFIG: 'custom.yml' } }).sources[0]!.name).toBe('custom');

    const missing = problem(() => loadConfig({ cwd, env: { PORTHOLE_CONFIG: 'nope.yaml' } }));
    expect(missing.message).toContain('nope.yaml');
  });

  it('builds the REGISTRY_URL source through the same checks', () => {
    const error = problem(() => configFromRegistryUrl({ REGISTRY_URL: 'not-a-url' }, dir));
    expect(error.message).toContain('field "url"');
    expect(demoConfig({ cwd: '/app', env: {} }).sources[0]!.path).toBe('/app/data/demo');
  });
});
