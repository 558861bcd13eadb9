import clsx from 'clsx';
import type { RowTrack } from './manifest-tracks';

export const LANE_WIDTH = 12;

const COLORS = [
  'bg-sky-500',
  'bg-fuchsia-500',
  'bg-emerald-500',
  'bg-amber-500',
  'bg-rose-500',
  'bg-indigo-500',
  'bg-teal-500',
  'bg-orange-500',
] as const;

export interface TrackCellProps {
  track: RowTrack | undefined;
  lanes: number;
  /** Tags on this row's digest in the whole repository (itself included). */
  sharing: number;
  onSelect: () => void;
}

/** The manifest-track column of one row: lines through the row, and a dot when its digest is shared. */
export function TrackCell({ track, lanes, sharing, onSelect }: TrackCellProps) {
  return (
    <div role="cell" className="relative h-full" style={{ width: lanes * LANE_WIDTH }}>
      {track?.segments.map((segment) => (
        <span
          key={`${segment.lane}`}
          aria-hidden="true"
          className={clsx('absolute w-0.5', COLORS[segment.color])}
          style={{
            left: segment.lane * LANE_WIDTH + LANE_WIDTH / 2 - 1,
            top: segment.up ? 0 : '50%',
            bottom: segment.down ? 0 : '50%',
          }}
        />
      ))}
      {track?.dot ? (
        <button
          type="button"
          data-testid="manifest-track"
          title={`${sharing} tags share this manifest (click selects them)`}
          aria-label={`${sharing} tags share this manifest; select them`}
          onClick={(event) => {
            event.stopPropagation();
            onSelect();
          }}
          className={clsx(
            'absolute top-1/2 h-2.5 w-2.5 -translate-y-1/2 rounded-full ring-2 ring-white hover:scale-125 dark:ring-zinc-950',
            COLORS[track.dot.color],
          )}
          style={{ left: track.dot.lane * LANE_WIDTH + LANE_WIDTH / 2 - 5 }}
        />
      ) : null}
    </div>
  );
}
