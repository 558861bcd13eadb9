/**
 * Grammar of repository names, tags, digests and full references `[host[:port]/]name[:tag][@digest]`.
 * No implicit default registry: a reference without a host has `host: undefined`.
 * @see https://github.com/opencontainers/distribution-spec/blob/v1.1.1/spec.md#pulling-manifests
 */
import { parseDigest } from './digest';
import { RegistryError } from './errors';
import type { Digest } from './types';

export interface Reference {
  /** Registry host with optional port, when the reference names one (has a `.` or `:`, or is `localhost`). */
  host?: string;
  repository: string;
  tag?: string;
  digest?: Digest;
}

/** Repository names longer than this are refused (many clients cap `host/name` at 255). */
export const MAX_REPOSITORY_LENGTH = 255;
/** Tags are at most 128 characters (distribution-spec `[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}`). */
export const MAX_TAG_LENGTH = 128;

const COMPONENT = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/;
const TAG = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;
/** DNS-ish host name components, an optional port, or a bracketed IPv6 literal (as Docker's reference grammar). */
const HOST = /^(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?$/;

/** Shortens untrusted input for an error message. */
function quote(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
}

function nameInvalid(message: string): RegistryError {
  return new RegistryError('NAME_INVALID', message);
}

/** The reason a repository name is invalid, or undefined when it is valid. */
function repositoryProblem(name: string): string | undefined {
  if (typeof name !== 'string' || name === '') return 'repository name must not be empty';
  // Checked for every registry request: the quoted name is built only for a message.
  if (name.length > MAX_REPOSITORY_LENGTH) {
    return `repository name ${quote(name)} is longer than ${MAX_REPOSITORY_LENGTH} characters (${name.length})`;
  }
  if (name !== name.toLowerCase()) return `repository name ${quote(name)} must be lower case`;
  const bad = /[^a-z0-9._\-/]/.exec(name);
  if (bad) return `repository name ${quote(name)} contains the invalid character ${quote(bad[0])}`;
  if (name.startsWith('/') || name.endsWith('/')) return `repository name ${quote(name)} must not start or end with "/"`;
  for (const component of name.split('/')) {
    if (component === '') return `repository name ${quote(name)} contains an empty path component ("//")`;
    if (COMPONENT.test(component)) continue;
    if (!/^[a-z0-9]/.test(component) || !/[a-z0-9]$/.test(component)) {
      return `path component ${quote(component)} of repository name ${quote(name)} must start and end with a lower-case letter or digit`;
    }
    return `path component ${quote(component)} of repository name ${quote(name)} has an invalid separator: use ".", "_", "__" or dashes between letters and digits`;
  }
  return undefined;
}

function tagProblem(tag: string): string | undefined {
  if (typeof tag !== 'string' || tag === '') return 'tag must not be empty';
  const q = quote(tag);
  if (tag.length > MAX_TAG_LENGTH) return `tag ${q} is longer than ${MAX_TAG_LENGTH} characters (${tag.length})`;
  if (!/^[a-zA-Z0-9_]/.test(tag)) return `tag ${q} must start with a letter, digit or underscore`;
  const bad = /[^a-zA-Z0-9._-]/.exec(tag);
  if (bad) return `tag ${q} contains the invalid character ${quote(bad[0])}: only letters, digits, ".", "_" and "-" are allowed`;
  return TAG.test(tag) ? undefined : `tag ${q} is invalid`;
}

export function isValidRepository(name: string): boolean {
  return repositoryProblem(name) === undefined;
}

export function isValidTag(tag: string): boolean {
  return tagProblem(tag) === undefined;
}

/** Throws RegistryError NAME_INVALID with a message saying what is wrong (empty, upper case, bad component…). */
export function validateRepository(name: string): void {
  const problem = repositoryProblem(name);
  if (problem) throw nameInvalid(problem);
}

/** Throws RegistryError TAG_INVALID with a message saying what is wrong (too long, bad first char…). */
export function validateTag(tag: string): void {
  const problem = tagProblem(tag);
  if (problem) throw new RegistryError('TAG_INVALID', problem);
}

/** True when the first path component of a reference names a registry host rather than a repository part. */
function looksLikeHost(component: string): boolean {
  return component.includes('.') || component.includes(':') || component === 'localhost';
}

/** Parses `[host[:port]/]name[:tag][@digest]`. Throws NAME_INVALID / TAG_INVALID / DIGEST_INVALID naming the part. */
export function parseReference(value: string): Reference {
  if (typeof value !== 'string' || value.trim() === '') throw nameInvalid('reference must not be empty');
  let rest = value;
  const reference: Reference = { repository: '' };

  const at = rest.indexOf('@');
  if (at >= 0) {
    const digest = rest.slice(at + 1);
    parseDigest(digest);
    reference.digest = digest;
    rest = rest.slice(0, at);
  }

  const slash = rest.indexOf('/');
  if (slash > 0 && looksLikeHost(rest.slice(0, slash))) {
    const host = rest.slice(0, slash);
    if (!HOST.test(host)) throw nameInvalid(`reference ${quote(value)} has an invalid registry host ${quote(host)}`);
    reference.host = host;
    rest = rest.slice(slash + 1);
  }

  // A tag follows the last ':' after the last '/' (a ':' before it would have made that part the host).
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    const tag = rest.slice(colon + 1);
    validateTag(tag);
    reference.tag = tag;
    rest = rest.slice(0, colon);
  }

  if (rest === '') throw nameInvalid(`reference ${quote(value)} has no repository name`);
  validateRepository(rest);
  reference.repository = rest;
  return reference;
}

/** Formats a reference back to `host/name:tag@digest`. */
export function formatReference(reference: Reference): string {
  let out = reference.host ? `${reference.host}/${reference.repository}` : reference.repository;
  if (reference.tag) out += `:${reference.tag}`;
  if (reference.digest) out += `@${reference.digest}`;
  return out;
}
