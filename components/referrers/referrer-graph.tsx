'use client';

import { Background, Controls, type Edge, MarkerType, type NodeMouseHandler, ReactFlow } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useRouter } from 'next/navigation';
import { type KeyboardEvent, useMemo } from 'react';
import type { ReferrerNode } from '@/lib/api/types';
import { pages } from '@/lib/routes';
import { KIND_LABEL } from './artifact-kinds';
import { NODE_HEIGHT, NODE_WIDTH, referrerGraph } from './graph-model';
import { type ReferrerFlowNode, ReferrerNodeCard } from './referrer-node';
import { useHtmlDark } from './use-html-dark';

const nodeTypes = { referrer: ReferrerNodeCard };

export interface ReferrerGraphProps {
  source: string;
  repo: string;
  subject: string;
  subjectLabel?: string;
  referrers: readonly ReferrerNode[];
}

/** Pan-and-zoom graph of a subject and its referrers; clicking a node (or Enter on it) opens its manifest. */
export function ReferrerGraph({ source, repo, subject, subjectLabel, referrers }: ReferrerGraphProps) {
  const router = useRouter();
  const dark = useHtmlDark();
  const { nodes, edges, height } = useMemo(() => {
    const model = referrerGraph(subject, referrers);
    const flowNodes: ReferrerFlowNode[] = model.nodes.map((node) => ({
      id: node.id,
      type: 'referrer',
      position: node.position,
      width: NODE_WIDTH,
      height: NODE_HEIGHT,
      data: { model: node, subjectLabel },
      draggable: false,
      connectable: false,
      ariaLabel: `${KIND_LABEL[node.kind]} ${node.digest}${node.referrer?.artifactType ? `, ${node.referrer.artifactType}` : ''}. Press Enter to open.`,
    }));
    const flowEdges: Edge[] = model.edges.map((edge) => ({
      id: edge.id,
      source: edge.source,
      target: edge.target,
      // Arrows point at the subject: a referrer refers to it.
      markerStart: { type: MarkerType.ArrowClosed, width: 16, height: 16 },
      style: { strokeWidth: 1.5 },
    }));
    const bottom = Math.max(...model.nodes.map((n) => n.position.y + NODE_HEIGHT));
    return { nodes: flowNodes, edges: flowEdges, height: Math.min(640, Math.max(320, bottom + 80)) };
  }, [subject, subjectLabel, referrers]);

  const open = (digest: string) => router.push(pages.manifest(source, repo, digest));
  const onNodeClick: NodeMouseHandler<ReferrerFlowNode> = (_event, node) => open(node.data.model.digest);
  // React Flow selects a focused node on Enter; opening it is what the keyboard user wants here.
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== 'Enter') return;
    const id = (event.target as HTMLElement).closest('.react-flow__node')?.getAttribute('data-id');
    const node = nodes.find((n) => n.id === id);
    if (node) open(node.data.model.digest);
  };

  return (
    <div
      data-testid="referrer-graph"
      onKeyDown={onKeyDown}
      style={{ height }}
      className="w-full overflow-hidden rounded-md border border-zinc-200 bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-950"
    >
      <ReactFlow<ReferrerFlowNode>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodeClick={onNodeClick}
        colorMode={dark ? 'dark' : 'light'}
        nodesDraggable={false}
        nodesConnectable={false}
        edgesFocusable={false}
        fitView
        fitViewOptions={{ padding: 0.15, maxZoom: 1.1 }}
        minZoom={0.2}
        maxZoom={2}
        aria-label="Referrer graph"
      >
        <Background gap={20} />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
