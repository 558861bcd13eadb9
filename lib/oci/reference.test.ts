import { describe, expect, it } from 'vitest';
import {
  MAX_REPOSITORY_LENGTH,
  formatReference,
  isValidRepository,
  isValidTag,
  parseReference,
  validateRepository,
  validateTag,
} from './reference';
import { errorOf } from './testing/error-of';

const D = `sha256:${'b'.repeat(64)}`;


describe('repository names', () => {
  it.each(['a', 'library/alpine', 'a0/b-c/d.e/f_g/h__i', 'a---b', 'team/sub/deep/repo', 'x'.repeat(MAX_REPOSITORY_LENGTH)])('accepts %j', (name) => {
    expect(isValidRepository(name)).toBe(true);
    expect(() => validateRepository(name)).not.toThrow();
  });

  it.each([
    ['', 'repository name must not be empty'],
    ['Foo', 'repository name "Foo" must be lower case'],
    ['a/B', 'repository name "a/B" must be lower case'],
    ['a b', 'repository name "a b" contains the invalid character " "'],
    ['a:b', 'repository name "a:b" contains the invalid character ":"'],
    ['/a', 'repository name "/a" must not start or end with "/"'],
    ['a/', 'repository name "a/" must not start or end with "/"'],
    ['a//b', 'repository name "a//b" contains an empty path component ("//")'],
    ['a/-b', 'path component "-b" of repository name "a/-b" must start and end with a lower-case letter or digit'],
    ['a.', 'path component "a." of repository name "a." must start and end with a lower-case letter or digit'],
    ['a..b', 'path component "a..b" of repository name "a..b" has an invalid separator: use ".", "_", "__" or dashes between letters and digits'],
    ['a___b', 'path component "a___b" of repository name "a___b" has an invalid separator: use ".", "_", "__" or dashes between letters and digits'],
    ['a._b', 'path component "a._b" of repository name "a._b" has an invalid separator: use ".", "_", "__" or dashes between letters and digits'],
  ])('rejects %j', (name, message) => {
    expect(isValidRepository(name)).toBe(false);
    expect(errorOf(() => validateRepository(name))).toMatchObject({ code: 'NAME_INVALID', message });
  });

  it('rejects names over 255 characters', () => {
    const name = 'x'.repeat(MAX_REPOSITORY_LENGTH + 1);
    expect(errorOf(() => validateRepository(name)).message).toMatch(/is longer than 255 characters \(256\)/);
  });
});

describe('tags', () => {
  it.each(['latest', 'v1.2.3', '_x', '1', 'A-b_c.d', 'a'.repeat(128)])('accepts %j', (tag) => {
    expect(isValidTag(tag)).toBe(true);
    expect(() => validateTag(tag)).not.toThrow();
  });

  it.each([
    ['', 'tag must not be empty'],
    ['.hidden', 'tag ".hidden" must start with a letter, digit or underscore'],
    ['-x', 'tag "-x" must start with a letter, digit or underscore'],
    ['a/b', 'tag "a/b" contains the invalid character "/": only letters, digits, ".", "_" and "-" are allowed'],
    ['a:b', 'tag "a:b" contains the invalid character ":": only letters, digits, ".", "_" and "-" are allowed'],
  ])('rejects %j', (tag, message) => {
    expect(isValidTag(tag)).toBe(false);
    expect(errorOf(() => validateTag(tag))).toMatchObject({ code: 'TAG_INVALID', message });
  });

  it('rejects tags over 128 characters, saying so', () => {
    const error = errorOf(() => validateTag('a'.repeat(129)));
    expect(error.code).toBe('TAG_INVALID');
    expect(error.message).toMatch(/^tag "a+\.\.\." is longer than 128 characters \(129\)$/);
  });
});

describe('references', () => {
  it.each([
    ['alpine', { repository: 'alpine' }],
    ['library/alpine:3.20', { repository: 'library/alpine', tag: '3.20' }],
    ['team/app@' + D, { repository: 'team/app', digest: D }],
    ['registry.example.com/team/app:v1@' + D, { host: 'registry.example.com', repository: 'team/app', tag: 'v1', digest: D }],
    ['localhost/app', { host: 'localhost', repository: 'app' }],
    ['localhost:5000/app:latest', { host: 'localhost:5000', repository: 'app', tag: 'latest' }],
    ['127.0.0.1:5000/a/b', { host: '127.0.0.1:5000', repository: 'a/b' }],
    ['[::1]:5000/app:v2', { host: '[::1]:5000', repository: 'app', tag: 'v2' }],
    ['[fe80::1]/app', { host: '[fe80::1]', repository: 'app' }],
    ['example.com/app', { host: 'example.com', repository: 'app' }],
    ['docker/app', { repository: 'docker/app' }],
  ])('parses and formats %j', (value, expected) => {
    const parsed = parseReference(value);
    expect(parsed).toEqual(expected);
    expect(formatReference(parsed)).toBe(value);
  });

  it.each([
    ['', 'NAME_INVALID', /must not be empty/],
    ['Foo/bar', 'NAME_INVALID', /repository name "Foo\/bar" must be lower case/],
    ['example.com/', 'NAME_INVALID', /has no repository name/],
    ['bad_host.com/app', 'NAME_INVALID', /invalid registry host "bad_host.com"/],
    ['app:', 'TAG_INVALID', /tag must not be empty/],
    ['app:-x', 'TAG_INVALID', /must start with a letter/],
    ['app@sha256:abc', 'DIGEST_INVALID', /exactly 64/],
    ['app@', 'DIGEST_INVALID', /must not be empty/],
    [':tag', 'NAME_INVALID', /has no repository name/],
  ])('rejects %j with %s', (value, code, message) => {
    const error = errorOf(() => parseReference(value));
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  });

  it('formats references without optional parts', () => {
    expect(formatReference({ repository: 'a' })).toBe('a');
    expect(formatReference({ host: 'h:1', repository: 'a', digest: D })).toBe(`h:1/a@${D}`);
  });
});
