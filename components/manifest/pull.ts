/**
 * Pull commands for a manifest: `docker pull` for images, `oras pull` for artifacts (docker cannot pull
 * those). Sources without a registry host (OCI layouts, in-memory data) get none: a bare `repo:tag` would
 * make docker pull from Docker Hub, not from this source.
 */

export interface PullCommand {
  label: string;
  command: string;
}

export interface PullInput {
  host?: string;
  repo: string;
  digest: string;
  tags?: readonly string[];
  /** `os/arch[/variant]` of a selected platform: tag pulls get `--platform`. */
  platform?: string;
  /** `oras` for artifacts that are not images. Default `docker`. */
  tool?: 'docker' | 'oras';
}

/** Pull by digest first (immutable), then one command per tag; none without a registry host. */
export function pullCommands({ host, repo, digest, tags = [], platform, tool = 'docker' }: PullInput): PullCommand[] {
  if (!host) return [];
  const name = `${host}/${repo}`;
  const commands: PullCommand[] = [{ label: 'By digest', command: `${tool} pull ${name}@${digest}` }];
  const flag = platform ? `--platform ${platform} ` : '';
  for (const tag of tags) commands.push({ label: `Tag ${tag}`, command: `${tool} pull ${flag}${name}:${tag}` });
  return commands;
}
