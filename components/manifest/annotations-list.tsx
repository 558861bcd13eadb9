/** Key/value annotations (or labels) of a manifest, descriptor or config. */
export function AnnotationsList({ entries, empty = 'None' }: { entries?: Record<string, string>; empty?: string }) {
  const list = Object.entries(entries ?? {});
  if (list.length === 0) return <p className="text-sm text-zinc-500 dark:text-zinc-400">{empty}</p>;
  return (
    <dl className="grid grid-cols-[minmax(10rem,max-content)_minmax(0,1fr)] gap-x-4 gap-y-1 text-xs">
      {list.map(([key, value]) => (
        <div key={key} className="contents">
          <dt className="font-mono break-all text-zinc-500 dark:text-zinc-400">{key}</dt>
          <dd className="font-mono break-all whitespace-pre-wrap text-zinc-800 dark:text-zinc-200">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
