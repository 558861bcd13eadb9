import clsx from 'clsx';
import type { ReactNode, Ref } from 'react';

/** A column of a manifest detail table: its heading and the heading cell's classes (width, alignment). */
export interface DetailColumn {
  label: string;
  className?: string;
}

/** What a detail table says when it has no rows. */
export function EmptyDetail({ children }: { children: ReactNode }) {
  return <p className="text-sm text-zinc-500 dark:text-zinc-400">{children}</p>;
}

/** The frame the manifest page's tables share (children, layers, history): fixed layout, small muted headings. */
export function DetailTable({ columns, children, footer, testId }: { columns: readonly DetailColumn[]; children: ReactNode; footer?: ReactNode; testId?: string }) {
  return (
    <table className="w-full table-fixed text-sm" data-testid={testId}>
      <thead>
        <tr className="text-left text-xs text-zinc-500 dark:text-zinc-400">
          {columns.map((column) => (
            <th key={column.label} scope="col" className={clsx(column.className, 'pb-1 font-medium')}>
              {column.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>{children}</tbody>
      {footer ? <tfoot>{footer}</tfoot> : null}
    </table>
  );
}

/** A body row with a line above it, marked when it is the one the URL points at (scrolled into view by `ref`). */
export function DetailRow({ ref, highlighted, testId, marked, children }: { ref?: Ref<HTMLTableRowElement>; highlighted?: boolean; testId?: string; marked?: string; children: ReactNode }) {
  return (
    <tr
      ref={ref}
      data-testid={testId}
      data-highlighted={highlighted || undefined}
      className={clsx('border-t border-zinc-200 dark:border-zinc-800', highlighted && (marked ?? 'bg-amber-50 dark:bg-amber-950/40'))}
    >
      {children}
    </tr>
  );
}
