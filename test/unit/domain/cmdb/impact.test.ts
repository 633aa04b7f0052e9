/**
 * The impact walk against an independent breadth-first reference: on any
 * graph (cycles, self-loops and parallel edges included) every listed CI
 * is at its shortest distance, within the limits, once, with a path made
 * of real edges; the walk reads one level per round.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CANONICAL_RELATIONSHIP_TYPES, type CanonicalRelationshipType } from '#shared/domain/cmdb/ci-relationship.js';
import { type FetchNeighbours, type Neighbour, walkImpact } from '#shared/domain/cmdb/impact.js';

type Edge = { from: string; to: string; type: CanonicalRelationshipType };

/** Neighbours in one direction: upstream follows edges backwards (dependents of a dependency). */
function reader(edges: readonly Edge[], direction: 'upstream' | 'downstream'): FetchNeighbours & { calls: string[][] } {
  const calls: string[][] = [];
  const fetch = async (ids: readonly string[]) => {
    calls.push([...ids]);
    const map = new Map<string, Neighbour[]>();
    for (const id of ids) {
      map.set(
        id,
        edges
          .filter((edge) => (direction === 'upstream' ? edge.to === id : edge.from === id))
          .map((edge) => ({ type: edge.type, otherId: direction === 'upstream' ? edge.from : edge.to })),
      );
    }
    return map;
  };
  return Object.assign(fetch, { calls });
}

/** Reference distances by plain BFS over an adjacency list. */
function distances(edges: readonly Edge[], origin: string, direction: 'upstream' | 'downstream'): Map<string, number> {
  const distance = new Map([[origin, 0]]);
  const queue = [origin];
  while (queue.length > 0) {
    const id = queue.shift() as string;
    for (const edge of edges) {
      const [here, there] = direction === 'upstream' ? [edge.to, edge.from] : [edge.from, edge.to];
      if (here === id && !distance.has(there)) {
        distance.set(there, (distance.get(id) as number) + 1);
        queue.push(there);
      }
    }
  }
  distance.delete(origin);
  return distance;
}

const node = fc.integer({ min: 0, max: 11 }).map((n) => `ci-${n}`);
const graph = fc.array(fc.record({ from: node, to: node, type: fc.constantFrom(...CANONICAL_RELATIONSHIP_TYPES) }), { maxLength: 40 });

describe('walkImpact', () => {
  it('fails a host: the business service is found upstream at depth 3 with its path', async () => {
    const edges: Edge[] = [
      { from: 'service', to: 'app', type: 'depends_on' },
      { from: 'app', to: 'vm', type: 'runs_on' },
      { from: 'vm', to: 'host', type: 'runs_on' },
      { from: 'app', to: 'db', type: 'depends_on' },
      { from: 'db', to: 'app', type: 'depends_on' },
    ];
    const walk = await walkImpact('host', 'upstream', { maxDepth: 10, maxNodes: 100 }, reader(edges, 'upstream'));
    expect(walk.impacted).toEqual([
      { id: 'vm', depth: 1, path: [{ ciId: 'vm', relationship: 'runs_on' }] },
      {
        id: 'app',
        depth: 2,
        path: [
          { ciId: 'vm', relationship: 'runs_on' },
          { ciId: 'app', relationship: 'runs_on' },
        ],
      },
      {
        id: 'db',
        depth: 3,
        path: [
          { ciId: 'vm', relationship: 'runs_on' },
          { ciId: 'app', relationship: 'runs_on' },
          { ciId: 'db', relationship: 'depends_on' },
        ],
      },
      {
        id: 'service',
        depth: 3,
        path: [
          { ciId: 'vm', relationship: 'runs_on' },
          { ciId: 'app', relationship: 'runs_on' },
          { ciId: 'service', relationship: 'depends_on' },
        ],
      },
    ]);
    // The fourth round reads db and service and finds only app again: the cycle ends there.
    expect(walk.rounds).toBe(4);
    expect(walk.ciQueries).toBe(1 + 1 + 1 + 2);
  });

  it('names downstream steps from the dependency side', async () => {
    const walk = await walkImpact('app', 'downstream', { maxDepth: 3, maxNodes: 10 }, reader([{ from: 'app', to: 'vm', type: 'runs_on' }], 'downstream'));
    expect(walk.impacted).toEqual([{ id: 'vm', depth: 1, path: [{ ciId: 'vm', relationship: 'hosts' }] }]);
  });

  it('lists each reachable CI once at its shortest distance, within the limits, on a path of real edges', async () => {
    await fc.assert(
      fc.asyncProperty(
        graph,
        node,
        fc.constantFrom('upstream' as const, 'downstream' as const),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 15 }),
        async (edges, origin, direction, maxDepth, maxNodes) => {
          const fetch = reader(edges, direction);
          const walk = await walkImpact(origin, direction, { maxDepth, maxNodes }, fetch);
          const reference = distances(edges, origin, direction);
          const within = [...reference].filter(([, d]) => d <= maxDepth);
          const ids = walk.impacted.map((n) => n.id);
          expect(new Set(ids).size).toBe(ids.length);
          expect(ids).not.toContain(origin);
          expect(ids.length).toBe(Math.min(maxNodes, within.length));
          expect(walk.nodeLimitReached).toBe(within.length > maxNodes);
          for (const n of walk.impacted) {
            expect(n.depth).toBe(reference.get(n.id));
            expect(n.path).toHaveLength(n.depth);
            let previous = origin;
            for (const step of n.path) {
              const linked = edges.some((e) =>
                direction === 'upstream' ? e.to === previous && e.from === step.ciId : e.from === previous && e.to === step.ciId,
              );
              expect(linked).toBe(true);
              previous = step.ciId;
            }
          }
          // Levels are read in order and never exceed the depth limit; each CI is read at most once.
          expect(fetch.calls.length).toBeLessThanOrEqual(maxDepth);
          const read = fetch.calls.flat();
          expect(new Set(read).size).toBe(read.length);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reads nothing beyond an isolated CI', async () => {
    const fetch = reader([], 'upstream');
    const walk = await walkImpact('alone', 'upstream', { maxDepth: 3, maxNodes: 10 }, fetch);
    expect(walk).toEqual({ impacted: [], depthReached: 0, nodeLimitReached: false, rounds: 1, ciQueries: 1 });
  });
});
