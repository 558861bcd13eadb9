/**
 * "Manifest tracks" (after Quay's tag list): tags that share a digest get a coloured dot, and a vertical line
 * joins the dots of one digest across the rows between them. Lanes are assigned greedily so that
 * overlapping digests get separate columns. Pure.
 */

export const MAX_LANES = 6;
export const TRACK_COLORS = 8;

export interface TrackSegment {
  lane: number;
  color: number;
  /** The line enters from the row above. */
  up: boolean;
  /** The line continues to the row below. */
  down: boolean;
}

export interface RowTrack {
  /** The dot of this row's own digest, when other tags share it. */
  dot?: { lane: number; color: number };
  segments: TrackSegment[];
}

export interface Tracks {
  lanes: number;
  rows: RowTrack[];
}

export interface TrackInput {
  digest: string | null;
  /** Number of other tags on the digest (in the whole repository, shown or not). */
  shared: number;
}

/** Stable colour per digest: the same digest keeps its colour when filtering changes the rows. */
export function colorOf(digest: string): number {
  let hash = 0;
  for (let i = digest.length - 12; i < digest.length; i++) hash = (hash * 31 + digest.charCodeAt(Math.max(i, 0))) >>> 0;
  return hash % TRACK_COLORS;
}

export function computeTracks(rows: readonly TrackInput[]): Tracks {
  const spans = new Map<string, { first: number; last: number }>();
  rows.forEach((row, index) => {
    if (!row.digest || row.shared === 0) return;
    const span = spans.get(row.digest);
    if (span) span.last = index;
    else spans.set(row.digest, { first: index, last: index });
  });

  // Greedy interval colouring in order of first appearance.
  const laneEnds: number[] = [];
  const laneOf = new Map<string, number>();
  for (const [digest, span] of [...spans].sort((a, b) => a[1].first - b[1].first)) {
    let lane = laneEnds.findIndex((end) => end < span.first);
    if (lane === -1) lane = laneEnds.length < MAX_LANES ? laneEnds.length : MAX_LANES;
    if (lane < MAX_LANES) laneEnds[lane] = span.last;
    laneOf.set(digest, lane);
  }

  const result: RowTrack[] = rows.map(() => ({ segments: [] }));
  for (const [digest, span] of spans) {
    const lane = laneOf.get(digest) ?? MAX_LANES;
    const color = colorOf(digest);
    if (lane < MAX_LANES && span.last > span.first) {
      for (let i = span.first; i <= span.last; i++) {
        result[i]?.segments.push({ lane, color, up: i > span.first, down: i < span.last });
      }
    }
  }
  rows.forEach((row, index) => {
    if (row.digest && row.shared > 0) {
      const target = result[index];
      if (target) target.dot = { lane: laneOf.get(row.digest) ?? MAX_LANES, color: colorOf(row.digest) };
    }
  });
  const usedLanes = laneOf.size === 0 ? 0 : Math.min(MAX_LANES + 1, Math.max(...laneOf.values()) + 1);
  return { lanes: usedLanes, rows: result };
}
