/**
 * How many tags of a tag view are in progress at once. A view of a big repository (20,000 tags) that starts
 * every tag at once holds, for each tag, its pending task, promises, closures and an abort listener on the
 * request's signal until the pool gets to it — hundreds of megabytes at the peak — while the registry pool
 * admits only a few dozen requests anyway. A window a few times wider than the largest pool keeps the pool as
 * busy as before and the memory bounded by the window. The window is worked through by `mapConcurrent`
 * (lib/registry/iter.ts: cursor workers over the list, nothing queued per item).
 */
import 'server-only';

/** Items in progress at once: above the largest registry pool (`maxConcurrency` ≤ 256), so it never starves. */
export const RESOLVE_WINDOW = 512;
