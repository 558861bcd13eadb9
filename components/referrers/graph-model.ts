/**
 * Turns a referrers tree into graph nodes and edges, laid out left to right with dagre: the subject on the
 * left, what refers to it on its right (a signature on an SBOM sits right of the SBOM). Node ids are paths,
 * so a digest met twice (a cycle the server cut) still gets its own node.
 */
import dagre from '@dagrejs/dagre';
import type { ArtifactKind, ReferrerNode } from '@/lib/api/types';

export const NODE_WIDTH = 260;
export const NODE_HEIGHT = 100;

export interface GraphNodeModel {
  id: string;
  digest: string;
  /** `subject` for the root. */
  kind: ArtifactKind | 'subject';
  /** Undefined for the root. */
  referrer?: ReferrerNode;
  depth: number;
  /** Top-left corner. */
  position: { x: number; y: number };
}

export interface GraphEdgeModel {
  id: string;
  /** The subject side. */
  source: string;
  /** The referrer. */
  target: string;
}

export interface GraphModel {
  nodes: GraphNodeModel[];
  edges: GraphEdgeModel[];
}

/** Nodes and edges of the tree rooted at `subject`, positioned. */
export function referrerGraph(subject: string, referrers: readonly ReferrerNode[]): GraphModel {
  const nodes: GraphNodeModel[] = [{ id: 'subject', digest: subject, kind: 'subject', depth: 0, position: { x: 0, y: 0 } }];
  const edges: GraphEdgeModel[] = [];
  const visit = (parentId: string, list: readonly ReferrerNode[], depth: number) => {
    for (const referrer of list) {
      const id = `${parentId}>${referrer.digest}`;
      nodes.push({ id, digest: referrer.digest, kind: referrer.kind, referrer, depth, position: { x: 0, y: 0 } });
      edges.push({ id: `${parentId}->${id}`, source: parentId, target: id });
      visit(id, referrer.referrers ?? [], depth + 1);
    }
  };
  visit('subject', referrers, 1);
  return layout({ nodes, edges });
}

function layout(model: GraphModel): GraphModel {
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: 'LR', nodesep: 24, ranksep: 90, marginx: 16, marginy: 16 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const node of model.nodes) graph.setNode(node.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const edge of model.edges) graph.setEdge(edge.source, edge.target);
  dagre.layout(graph);
  const nodes = model.nodes.map((node) => {
    const placed = graph.node(node.id) as { x: number; y: number };
    // dagre gives centres; React Flow wants top-left corners.
    return { ...node, position: { x: placed.x - NODE_WIDTH / 2, y: placed.y - NODE_HEIGHT / 2 } };
  });
  return { nodes, edges: model.edges };
}

/** Number of referrers in a tree, at every depth. */
export function countReferrers(referrers: readonly ReferrerNode[]): number {
  return referrers.reduce((total, r) => total + 1 + countReferrers(r.referrers ?? []), 0);
}
