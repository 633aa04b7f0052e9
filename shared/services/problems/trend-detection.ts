/**
 * Trend detection for one new incident: record it in the clusters its CI
 * belongs to (the CI and, through the CMDB walk, what it depends on),
 * count each cluster's incidents within the tenant's window, and propose a
 * problem for the first cluster that reaches the threshold, or link the
 * incident to the problem that cluster already proposed. Every read is
 * bounded: one GetItem each for the incident and the settings, at most
 * `trendDependencyDepth` Queries for the walk, one BatchWriteItem, and one
 * Query per cluster (≤ 1 + {@link MAX_CLUSTER_DEPENDENCIES}).
 * @module
 */

import { ulid } from 'ulid';
import { now as clockNow } from '#shared/clock.js';
import { getCi, neighbourReader } from '#shared/data/cmdb/ci-repository.js';
import { getIncident } from '#shared/data/incidents/incident-repository.js';
import { mutateRecord } from '#shared/data/mutate.js';
import { allocateProblemNumber, getProblem, getProblemSettings, insertProblem, saveProblem } from '#shared/data/problems/problem-repository.js';
import { claimCluster, readClusters, recordOccurrence } from '#shared/data/problems/trend-repository.js';
import { walkImpact } from '#shared/domain/cmdb/impact.js';
import { ConflictError, NotFoundError } from '#shared/domain/errors.js';
import { createProblem, isTerminalProblem, linkIncidents, type Problem } from '#shared/domain/problems/problem.js';
import { clustersOf, decideTrend, MAX_CLUSTER_DEPENDENCIES, type Occurrence, proposalTitle } from '#shared/domain/problems/trend.js';
import type { Actor } from '#shared/domain/roles.js';

/** Who proposes and links, in audit trails and events. */
export function trendActor(tenantId: string): Actor {
  return { tenantId, userId: 'trend-detection', roles: ['agent'] };
}

export type TrendOutcome =
  | { readonly outcome: 'no-ci' | 'below-threshold' | 'dismissed' }
  | { readonly outcome: 'proposed' | 'joined' | 'already-linked'; readonly problemId: string };

async function joinProblem(actor: Actor, problemId: string, occurrence: Occurrence, at: string): Promise<TrendOutcome> {
  const current = await getProblem(actor.tenantId, problemId);
  if (!current || isTerminalProblem(current.status)) return { outcome: 'dismissed' };
  const { mutation } = await mutateRecord({
    load: async () => {
      const problem = await getProblem(actor.tenantId, problemId);
      if (!problem) throw new NotFoundError(`Problem ${problemId} was not found.`);
      return problem;
    },
    apply: (problem: Problem) =>
      isTerminalProblem(problem.status)
        ? null
        : linkIncidents(problem, [{ id: occurrence.incidentId, number: occurrence.number, ciId: occurrence.ciId }], { actor, now: at }),
    save: (change, problem, named) => saveProblem(change, problem, actor, named),
    retry: true,
  });
  return { outcome: mutation ? 'joined' : 'already-linked', problemId };
}

/** Runs trend detection for incident `incidentId` (a redelivery records and decides the same, and proposes nothing twice). */
export async function detectTrend(tenantId: string, incidentId: string): Promise<TrendOutcome> {
  const [incident, settings] = await Promise.all([getIncident(tenantId, incidentId), getProblemSettings(tenantId)]);
  if (!incident?.ciId) return { outcome: 'no-ci' };
  const { trendThreshold, trendWindowHours, trendDependencyDepth } = settings.value;
  const actor = trendActor(tenantId);
  const walk =
    trendDependencyDepth > 0
      ? await walkImpact(
          incident.ciId,
          'downstream',
          { maxDepth: trendDependencyDepth, maxNodes: MAX_CLUSTER_DEPENDENCIES },
          neighbourReader(tenantId, 'downstream'),
        )
      : { impacted: [] };
  const clusters = clustersOf(incident.ciId, walk.impacted);
  const occurrence: Occurrence = { incidentId: incident.id, number: incident.number, ciId: incident.ciId, createdAt: incident.createdAt };
  await recordOccurrence(tenantId, clusters, occurrence);

  const now = clockNow().toISOString();
  const from = new Date(Date.parse(now) - trendWindowHours * 3_600_000).toISOString();
  const decision = decideTrend(await readClusters(tenantId, clusters, from), trendThreshold, now);
  if (decision.kind === 'none') return { outcome: 'below-threshold' };
  if (decision.kind === 'join') return joinProblem(actor, decision.problemId, occurrence, now);

  // A lapsed claim whose problem is still being worked: the cluster keeps its problem.
  if (decision.lapsedClaim) {
    const previous = await getProblem(tenantId, decision.lapsedClaim.problemId);
    if (previous && !isTerminalProblem(previous.status)) return joinProblem(actor, previous.id, occurrence, now);
  }
  const ci = await getCi(tenantId, decision.cluster.ciId);
  const number = await allocateProblemNumber(tenantId);
  const incidents = decision.occurrences.map((seen) => ({ id: seen.incidentId, number: seen.number, ciId: seen.ciId }));
  const change = createProblem(
    {
      title: proposalTitle(incidents.length, trendWindowHours, decision.cluster, ci?.name ?? decision.cluster.ciId),
      description: `Trend detection: ${incidents.length} incidents within ${trendWindowHours} h (${incidents.map((seen) => seen.number).join(', ')}).`,
      ciIds: [decision.cluster.ciId],
      incidents,
      source: {
        kind: 'trend',
        clusterCiId: decision.cluster.ciId,
        sharedDependency: decision.cluster.sharedDependency,
        windowHours: trendWindowHours,
        threshold: trendThreshold,
      },
    },
    { id: ulid(), number, tenantId },
    { actor, now },
  );
  const until = new Date(Date.parse(now) + trendWindowHours * 3_600_000).toISOString();
  try {
    await insertProblem(change, actor, undefined, [claimCluster(tenantId, decision.cluster.ciId, { problemId: change.problem.id, until }, now)]);
    return { outcome: 'proposed', problemId: change.problem.id };
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    // Another incident of the same cluster proposed first: join its problem.
    const [state] = await readClusters(tenantId, [decision.cluster], from);
    if (!state?.claim) throw error;
    return joinProblem(actor, state.claim.problemId, occurrence, now);
  }
}
