/**
 * What an ops script would do instead of a browser: `skopeo inspect` once per tag, one after another, over a
 * sample of the big repository's tags. `--no-tags` keeps skopeo from listing all 2,000 tags on every call
 * (its default), which would only make it slower. For an index skopeo reports the linux/amd64 image.
 * @see https://github.com/containers/skopeo/blob/v1.9.3/docs/skopeo-inspect.1.md
 */
import { execOk } from '@/lib/registry/testing/exec';
import { median } from './stats';

export interface SkopeoSample {
  tags: number;
  /** Wall time of each call, ms. */
  perTag: number[];
  medianPerTag: number;
  totalMs: number;
  /** Tags whose reported digest differed from the expected one. */
  wrongDigests: string[];
}

/** Every `count`-th tag of the sorted names, `count` in all (a spread over the repository). */
export function sampleTags(tags: readonly string[], count: number): string[] {
  const sorted = [...tags].sort();
  const step = Math.max(1, Math.floor(sorted.length / count));
  return sorted.filter((_, i) => i % step === 0).slice(0, count);
}

export async function skopeoInspectSample(host: string, repo: string, tags: readonly string[], expectedDigest: (tag: string) => string | undefined): Promise<SkopeoSample> {
  const perTag: number[] = [];
  const wrongDigests: string[] = [];
  const started = performance.now();
  for (const tag of tags) {
    const t = performance.now();
    const { stdout } = await execOk('skopeo', ['--insecure-policy', 'inspect', '--tls-verify=false', '--no-tags', `docker://${host}/${repo}:${tag}`]);
    perTag.push(performance.now() - t);
    const digest = (JSON.parse(stdout) as { Digest?: string }).Digest;
    if (digest !== expectedDigest(tag)) wrongDigests.push(tag);
  }
  return { tags: tags.length, perTag, medianPerTag: median(perTag), totalMs: performance.now() - started, wrongDigests };
}
