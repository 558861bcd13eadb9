'use client';

/**
 * The views of a repository page other than its tag table, each loaded as its own chunk when its page is
 * opened. The repository page renders one view of four; imported directly, every page of a repository
 * shipped all four (the referrer graph's layout engine, the compare view's diff, the manifest tree):
 * 390 KB of script the tag table does not use, parsed before it hydrates. Still server-rendered (`ssr`).
 */
import dynamic from 'next/dynamic';

export const CompareView = dynamic(() => import('@/components/compare/compare-view').then((m) => m.CompareView));
export const ManifestView = dynamic(() => import('@/components/manifest/manifest-view').then((m) => m.ManifestView));
export const ReferrerGraphView = dynamic(() => import('@/components/referrers/referrer-graph-view').then((m) => m.ReferrerGraphView));
