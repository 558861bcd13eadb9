import { describe, expect, it } from 'vitest';
import { pullCommands } from './pull';

const digest = `sha256:${'1'.repeat(64)}`;

describe('pullCommands', () => {
  it('prefixes the host and adds one command per tag', () => {
    expect(pullCommands({ host: '127.0.0.1:5000', repo: 'team/app', digest, tags: ['v1', 'latest'] })).toEqual([
      { label: 'By digest', command: `docker pull 127.0.0.1:5000/team/app@${digest}` },
      { label: 'Tag v1', command: 'docker pull 127.0.0.1:5000/team/app:v1' },
      { label: 'Tag latest', command: 'docker pull 127.0.0.1:5000/team/app:latest' },
    ]);
  });

  it('adds --platform to tag pulls', () => {
    expect(pullCommands({ host: 'h:1', repo: 'app', digest, tags: ['v1'], platform: 'linux/arm64' })).toEqual([
      { label: 'By digest', command: `docker pull h:1/app@${digest}` },
      { label: 'Tag v1', command: 'docker pull --platform linux/arm64 h:1/app:v1' },
    ]);
  });

  it('offers nothing without a registry host: a bare name would pull from Docker Hub', () => {
    expect(pullCommands({ repo: 'tools/cli', digest, tags: ['v1.2.0'] })).toEqual([]);
  });

  it('uses oras for artifacts', () => {
    expect(pullCommands({ host: 'h:1', repo: 'a', digest, tags: ['sbom'], tool: 'oras' }).map((c) => c.command)).toEqual([
      `oras pull h:1/a@${digest}`,
      'oras pull h:1/a:sbom',
    ]);
  });
});
