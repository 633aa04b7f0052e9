/**
 * Trend detection (seed 001 §3 "trend reports"): N incidents within a
 * window on one CI, or on CIs that share a dependency in the CMDB graph
 * (VMs that run on one host), make a cluster that proposes a problem. Pure
 * rules: which clusters an incident belongs to, and which one (if any) is
 * due for a proposal.
 * @module
 */
import type { ImpactedCi } from '#shared/domain/cmdb/impact.js';

/** The walk from an incident's CI to what it depends on is bounded by depth (setting) and by this many CIs. */
export const MAX_CLUSTER_DEPENDENCIES = 8;
/** Occurrences read per cluster at most: enough to count to the largest threshold and link every incident of the proposal. */
export const MAX_OCCURRENCES_READ = 50;

export interface Cluster {
  /** The CI itself, or a CI the incident's CI depends on (directly or not). */
  readonly ciId: string;
  /** `true`: a dependency shared by the incident's CI (and, once due, by others). */
  readonly sharedDependency: boolean;
  readonly depth: number;
}

/** The clusters an incident on `ciId` counts in, most specific first: the CI, then its dependencies by depth. */
export function clustersOf(ciId: string, dependencies: readonly Pick<ImpactedCi, 'id' | 'depth'>[]): Cluster[] {
  return [
    { ciId, sharedDependency: false, depth: 0 },
    ...dependencies.slice(0, MAX_CLUSTER_DEPENDENCIES).map((dependency) => ({ ciId: dependency.id, sharedDependency: true, depth: dependency.depth })),
  ];
}

export interface Occurrence {
  readonly incidentId: string;
  readonly number: string;
  /** The incident's own CI (for a shared dependency, one of its dependents). */
  readonly ciId: string;
  readonly createdAt: string;
}

/** An existing proposal claim of a cluster: the problem it proposed, until when the cluster stays claimed. */
export interface ClusterClaim {
  readonly problemId: string;
  readonly until: string;
}

export interface ClusterState {
  readonly cluster: Cluster;
  /** Occurrences within the window, newest first. */
  readonly occurrences: readonly Occurrence[];
  readonly claim: ClusterClaim | null;
}

export type TrendDecision =
  | { readonly kind: 'none' }
  /** The cluster is due and its claim (if any) has lapsed: propose a problem linking these incidents, unless the lapsed claim's problem is still open. */
  | { readonly kind: 'propose'; readonly cluster: Cluster; readonly occurrences: readonly Occurrence[]; readonly lapsedClaim: ClusterClaim | null }
  /** The cluster is due but already claimed by a proposal: link the incident there if that problem is still open. */
  | { readonly kind: 'join'; readonly cluster: Cluster; readonly problemId: string };

/**
 * The first (most specific) cluster with at least `threshold` distinct
 * incidents decides; a cluster whose claim still holds joins its problem
 * instead of proposing a second one. Only one cluster acts per incident,
 * so five incidents on one VM propose once, not once for the VM and again
 * for its host.
 */
export function decideTrend(states: readonly ClusterState[], threshold: number, now: string): TrendDecision {
  for (const state of states) {
    const distinct = new Map(state.occurrences.map((occurrence) => [occurrence.incidentId, occurrence]));
    if (distinct.size < threshold) continue;
    if (state.claim && state.claim.until > now) return { kind: 'join', cluster: state.cluster, problemId: state.claim.problemId };
    return { kind: 'propose', cluster: state.cluster, occurrences: [...distinct.values()], lapsedClaim: state.claim };
  }
  return { kind: 'none' };
}

/** Title of a proposal: what was seen, where, in how long. */
export function proposalTitle(count: number, windowHours: number, cluster: Cluster, ciName: string): string {
  return cluster.sharedDependency
    ? `${count} incidents in ${windowHours} h on CIs that depend on ${ciName}`
    : `${count} incidents in ${windowHours} h on ${ciName}`;
}
