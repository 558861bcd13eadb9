'use client';

import { Handle, type Node, type NodeProps, Position } from '@xyflow/react';
import clsx from 'clsx';
import { formatBytes, formatDate } from '@/components/manifest/format';
import { shortDigest } from '@/lib/oci/digest';
import { KIND_LABEL, KIND_STYLE } from './artifact-kinds';
import type { GraphNodeModel } from './graph-model';

// A type alias (not an interface) so that it satisfies React Flow's `Record<string, unknown>` data constraint.
export type ReferrerNodeData = { model: GraphNodeModel; subjectLabel?: string };
export type ReferrerFlowNode = Node<ReferrerNodeData, 'referrer'>;

function annotationsTitle(annotations?: Record<string, string>): string | undefined {
  const list = Object.entries(annotations ?? {});
  return list.length ? list.map(([k, v]) => `${k}: ${v}`).join('\n') : undefined;
}

/** A card in the referrer graph: kind, artifact type, digest, date, and whether the walk stopped here. */
export function ReferrerNodeCard({ data, selected }: NodeProps<ReferrerFlowNode>) {
  const { referrer, kind, digest } = data.model;
  const annotationCount = Object.keys(referrer?.annotations ?? {}).length;
  const more = referrer?.truncated === 'depth' ? 'more beyond depth' : referrer?.truncated === 'cycle' ? 'cycle: seen above' : null;
  return (
    <div
      data-testid="graph-node"
      data-kind={kind}
      data-digest={digest}
      title={annotationsTitle(referrer?.annotations)}
      className={clsx(
        'flex h-[100px] w-[260px] cursor-pointer flex-col gap-0.5 overflow-hidden rounded-lg border-2 bg-white px-2.5 py-1.5 text-left shadow-sm dark:bg-zinc-900',
        KIND_STYLE[kind].border,
        selected && 'ring-2 ring-sky-500',
      )}
    >
      <Handle type="target" position={Position.Left} isConnectable={false} className="bg-zinc-400!" />
      <div className="flex items-center gap-1.5">
        <span className={clsx('rounded px-1.5 py-px text-[0.7rem] font-semibold', KIND_STYLE[kind].chip)}>{KIND_LABEL[kind]}</span>
        {referrer?.foundBy && referrer.foundBy !== 'api' ? <span className="text-[0.65rem] text-zinc-500">via {referrer.foundBy}</span> : null}
        {more ? <span className="ml-auto text-[0.65rem] font-medium text-amber-700 dark:text-amber-300">{more}</span> : null}
      </div>
      <div className="truncate font-mono text-[0.7rem] text-zinc-700 dark:text-zinc-300">
        {kind === 'subject' ? (data.subjectLabel ?? 'the manifest these refer to') : (referrer?.artifactType ?? referrer?.mediaType ?? 'no artifact type')}
      </div>
      <div className="font-mono text-[0.7rem] text-zinc-500 dark:text-zinc-400">{shortDigest(digest, 16)}</div>
      <div className="flex gap-2 text-[0.65rem] text-zinc-500 dark:text-zinc-400">
        {referrer ? <span>{formatBytes(referrer.size)}</span> : null}
        {referrer?.created ? <span>{formatDate(referrer.created)}</span> : null}
        {annotationCount ? <span>{annotationCount} annotation{annotationCount === 1 ? '' : 's'}</span> : null}
      </div>
      <Handle type="source" position={Position.Right} isConnectable={false} className="bg-zinc-400!" />
    </div>
  );
}
