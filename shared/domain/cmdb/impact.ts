/**
 * Impact analysis as a pure breadth-first walk over the relationship graph.
 * The graph is read level by level through `fetchNeighbours` (one round
 * trip per level: the caller queries every frontier CI in parallel), a
 * visited set makes cycles harmless, and both a depth and a node limit bound
 * the work. The first path found to a CI is a shortest one.
 * @module
 */
import { type CanonicalRelationshipType, INVERSE_NAME, type RelationshipType } from './ci-relationship.js';

/**
 * `upstream`: what a failure of the CI affects (its dependents, up to the
 * business services); `downstream`: what the CI depends on (where its
 * trouble may come from).
 */
export const IMPACT_DIRECTIONS = ['upstream', 'downstream'] as const;
export type ImpactDirection = (typeof IMPACT_DIRECTIONS)[number];

/** One stored edge as read from a CI towards the next one in the walk's direction. */
export interface Neighbour {
  readonly type: CanonicalRelationshipType;
  readonly otherId: string;
}

/** Reads the neighbours of every CI in `ids` (in the walk's direction); CIs without any may be absent. */
export type FetchNeighbours = (ids: readonly string[]) => Promise<ReadonlyMap<string, readonly Neighbour[]>>;

/** One step of a path: `ciId` relates to the previous CI of the path by `relationship` ("VM runs_on host"). */
export interface PathStep {
  readonly ciId: string;
  readonly relationship: RelationshipType;
}

export interface ImpactedCi {
  readonly id: string;
  readonly depth: number;
  /** From the origin (excluded) to this CI (included). */
  readonly path: readonly PathStep[];
}

export interface ImpactLimits {
  readonly maxDepth: number;
  readonly maxNodes: number;
}

export interface ImpactWalk {
  readonly impacted: readonly ImpactedCi[];
  /** Deepest level that yielded a CI. */
  readonly depthReached: number;
  /** The node limit stopped the walk; some affected CIs are not listed. */
  readonly nodeLimitReached: boolean;
  /** Levels read (round trips) and CIs whose edges were read (one Query each). */
  readonly rounds: number;
  readonly ciQueries: number;
}

/** Walks from `originId` in `direction` within `limits`. */
export async function walkImpact(originId: string, direction: ImpactDirection, limits: ImpactLimits, fetchNeighbours: FetchNeighbours): Promise<ImpactWalk> {
  const visited = new Set([originId]);
  const paths = new Map<string, readonly PathStep[]>([[originId, []]]);
  const impacted: ImpactedCi[] = [];
  let frontier = [originId];
  let rounds = 0;
  let ciQueries = 0;
  let nodeLimitReached = false;
  for (let depth = 1; depth <= limits.maxDepth && frontier.length > 0 && !nodeLimitReached; depth++) {
    const neighbours = await fetchNeighbours(frontier);
    rounds += 1;
    ciQueries += frontier.length;
    const next: string[] = [];
    for (const id of frontier) {
      // Sorted, so the same graph always yields the same answer (and the same CIs under the node limit).
      const edges = [...(neighbours.get(id) ?? [])].sort((a, b) => a.otherId.localeCompare(b.otherId) || a.type.localeCompare(b.type));
      for (const edge of edges) {
        if (visited.has(edge.otherId)) continue;
        if (impacted.length >= limits.maxNodes) {
          nodeLimitReached = true;
          break;
        }
        visited.add(edge.otherId);
        const path = [...(paths.get(id) ?? []), { ciId: edge.otherId, relationship: direction === 'upstream' ? edge.type : INVERSE_NAME[edge.type] }];
        paths.set(edge.otherId, path);
        impacted.push({ id: edge.otherId, depth, path });
        next.push(edge.otherId);
      }
      if (nodeLimitReached) break;
    }
    frontier = next;
  }
  return { impacted, depthReached: impacted.at(-1)?.depth ?? 0, nodeLimitReached, rounds, ciQueries };
}
