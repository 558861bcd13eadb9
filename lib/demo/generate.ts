/**
 * The demo registry's content: a deterministic generator that writes realistic repositories through the
 * {@link RegistryWriter} interface, so any writable backend (memory, OCI layout, a real registry) can hold it.
 * Same version, same bytes: a seeded PRNG and a fixed timeline (2026) replace `Math.random` and the clock.
 */
import 'server-only';
import type { RegistryWriter } from '@/lib/registry/registry';
import { DemoBuilder } from './builder';
import { createPrng } from './prng';
import { generatePlatformApi } from './repo-platform-api';
import { generateEtlWorker } from './repo-etl-worker';
import { generateCiBuilds, generateClassifier, generateHelmChart, generateLegacyApp, generatePlatformWeb, generateToolsCli } from './repos';

/**
 * Bump when the generated content changes: `ensureDemoLayout` regenerates a demo directory whose marker
 * names another version.
 */
export const DEMO_GENERATOR_VERSION = 2;

export interface DemoSummary {
  /** Every tag written, `repo:tag` → manifest digest, sorted by key. */
  tags: Map<string, string>;
  manifests: number;
  blobs: number;
}

/** Writes the whole demo into `registry` (expected empty). */
export async function generateDemo(registry: RegistryWriter): Promise<DemoSummary> {
  const builder = new DemoBuilder(registry, createPrng(`porthole-demo/v${DEMO_GENERATOR_VERSION}`));
  // Repositories are independent (each draws from its own PRNG fork), so they are written concurrently.
  await Promise.all([
    generatePlatformApi(builder),
    generatePlatformWeb(builder),
    generateToolsCli(builder),
    generateEtlWorker(builder),
    generateLegacyApp(builder),
    generateClassifier(builder),
    generateHelmChart(builder),
    generateCiBuilds(builder),
  ]);
  const tags = new Map([...builder.tags].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { tags, manifests: builder.manifestCount, blobs: builder.blobCount };
}
