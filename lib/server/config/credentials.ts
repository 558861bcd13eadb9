/**
 * Credentials of an http source: inline, from environment variables, or from the `auths` of a Docker
 * `config.json`. Every value read is recorded as a secret (for redaction) and never put in a message.
 */
import 'server-only';
import { readFileSync } from 'node:fs';
import type { SourceKind } from '@/lib/api/types';
import type { Checker } from './context';
import type { SourceFile } from './schema';
import type { ResolvedCredentials } from './types';

type Obj = Record<string, unknown>;

function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Finds credentials for `host` in the `auths` of a Docker `config.json`. */
function dockerConfigCredentials(c: Checker, file: string, host: string, where: string): ResolvedCredentials {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file does not exist' : 'file is not readable JSON';
    c.fail(where, 'dockerConfig', reason);
  }
  const auths = isObject(parsed) && isObject(parsed.auths) ? parsed.auths : undefined;
  if (!auths) c.fail(where, 'dockerConfig', 'file has no "auths" object');
  // Keys are written by `docker login` as `host`, `https://host` or (Docker Hub) `https://host/v1/`.
  const entry = Object.entries(auths).find(([key]) => {
    const bare = key.replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '');
    return bare.toLowerCase() === host.toLowerCase();
  })?.[1];
  if (!isObject(entry)) c.fail(where, 'dockerConfig', `no entry for host ${host} in "auths"`);
  if (typeof entry.registrytoken === 'string' && entry.registrytoken) {
    return { token: c.secret(entry.registrytoken) };
  }
  let username = typeof entry.username === 'string' ? entry.username : undefined;
  let password = typeof entry.password === 'string' ? entry.password : undefined;
  if (typeof entry.auth === 'string' && entry.auth) {
    c.secret(entry.auth);
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) c.fail(where, 'dockerConfig', `the "auth" entry for host ${host} is not base64 of user:password`);
    username = decoded.slice(0, colon);
    password = decoded.slice(colon + 1);
  }
  if (!username || !password) {
    c.fail(where, 'dockerConfig', `the entry for host ${host} has no usable credentials (credential helpers and identity tokens are not supported)`);
  }
  c.secret(password);
  return { username, password };
}

/** The credentials a source's fields describe (at most one kind), or undefined for none. */
export function resolveCredentials(c: Checker, raw: SourceFile, where: string, kind: SourceKind, host: string | undefined): ResolvedCredentials | undefined {
  const inlineUser = raw.username;
  const inlinePassword = c.secret(raw.password);
  const envUser = c.fromEnv(raw.usernameEnv, where, 'usernameEnv');
  const envPassword = c.fromEnv(raw.passwordEnv, where, 'passwordEnv');
  const token = c.secret(raw.token);
  const envToken = c.fromEnv(raw.tokenEnv, where, 'tokenEnv');
  const dockerConfig = raw.dockerConfig;

  const username = inlineUser ?? envUser;
  const password = inlinePassword ?? envPassword;
  if (inlineUser !== undefined && envUser !== undefined) c.fail(where, 'usernameEnv', 'set either "username" or "usernameEnv", not both');
  if (inlinePassword !== undefined && envPassword !== undefined) c.fail(where, 'passwordEnv', 'set either "password" or "passwordEnv", not both');
  if (token !== undefined && envToken !== undefined) c.fail(where, 'tokenEnv', 'set either "token" or "tokenEnv", not both');
  const methods = [username !== undefined || password !== undefined, token !== undefined || envToken !== undefined, dockerConfig !== undefined];
  if (methods.filter(Boolean).length > 1) {
    c.fail(where, dockerConfig !== undefined ? 'dockerConfig' : 'token', 'use one kind of credentials: username/password, token, or dockerConfig');
  }
  if (methods.some(Boolean) && kind !== 'http') c.fail(where, 'kind', 'credentials are only used by http sources');
  if (username !== undefined || password !== undefined) {
    if (username === undefined) c.fail(where, 'username', 'a password needs a username (username or usernameEnv)');
    if (password === undefined) c.fail(where, 'password', 'a username needs a password (password or passwordEnv)');
    // The Basic header form, in case an upstream error ever echoes a request header.
    c.secret(Buffer.from(`${username}:${password}`).toString('base64'));
    return { username, password };
  }
  const bearer = token ?? envToken;
  if (bearer !== undefined) return { token: bearer };
  if (dockerConfig !== undefined) return dockerConfigCredentials(c, c.path(dockerConfig), host!, where);
  return undefined;
}
