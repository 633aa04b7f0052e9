/**
 * Release and deployment (seed 000 §3.5, DOMAIN.md): a release groups
 * approved changes, deploys by a plan of stages (pilot, then full), can be
 * rolled back, and ends with a result and a report. Release success rate =
 * 1 − rolled-back / all. A successful release names the version its CIs
 * now run (`ciVersionUpdates`), for the CMDB. Pure.
 * @module
 */

import { ConflictError, IllegalTransitionError, UnprocessableError } from '#shared/domain/errors.js';
import type { RecordChange } from '#shared/domain/record-change.js';
import type { Actor } from '#shared/domain/roles.js';
import type { Change } from './change.js';

export const RELEASE_STATUSES = ['planned', 'pilot', 'deployed', 'completed', 'rolled_back'] as const;
export type ReleaseStatus = (typeof RELEASE_STATUSES)[number];
export type ReleaseStage = 'pilot' | 'full';

export interface Release {
  readonly id: string;
  readonly number: string;
  readonly tenantId: string;
  readonly title: string;
  readonly description: string;
  readonly softwareVersion: string;
  readonly changeIds: readonly string[];
  readonly deploymentPlan: readonly { readonly name: ReleaseStage; readonly ciIds: readonly string[]; readonly notes?: string | undefined }[];
  readonly rollbackPlan: string;
  readonly plannedStart: string;
  readonly plannedEnd: string;
  readonly status: ReleaseStatus;
  readonly stagesDone: readonly { readonly stage: ReleaseStage; readonly at: string; readonly by: string; readonly notes: string | null }[];
  readonly result: 'success' | 'rolled_back' | null;
  readonly report: string | null;
  /** Every CI the release touches: its stages' and its changes'. */
  readonly ciIds: readonly string[];
  readonly createdAt: string;
  readonly createdBy: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
  readonly version: number;
}

export type ReleaseEventType = 'ReleaseCreated' | 'ReleaseDeployed' | 'ReleaseCompleted';

export interface ReleaseMutation extends RecordChange<ReleaseEventType, 'create' | 'deploy' | 'complete'> {
  readonly release: Release;
}

export interface NewReleaseInput {
  title: string;
  description: string;
  softwareVersion: string;
  changeIds: string[];
  deploymentPlan: { name: ReleaseStage; ciIds: string[]; notes?: string | undefined }[];
  rollbackPlan: string;
  plannedStart: string;
  plannedEnd: string;
}

interface Context {
  readonly actor: Pick<Actor, 'tenantId' | 'userId'>;
  readonly now: string;
}

/** Statuses of a change that has been approved (or pre-approved) and not abandoned. */
const RELEASABLE: readonly Change['status'][] = ['scheduled', 'implement', 'review', 'closed'];

/**
 * A new release over `changes` (the records its `changeIds` name, as
 * found). Every change must exist and be approved; the plan runs pilot
 * before full, each stage at most once.
 */
export function createRelease(input: NewReleaseInput, ids: { id: string; number: string }, ctx: Context, changes: readonly Change[]): ReleaseMutation {
  const missing = input.changeIds.filter((id) => !changes.some((change) => change.id === id));
  if (missing.length > 0) throw new UnprocessableError(`Unknown changes: ${missing.join(', ')}.`, { missing });
  const unapproved = changes.filter((change) => !RELEASABLE.includes(change.status) || change.rolledBack);
  if (unapproved.length > 0) {
    throw new UnprocessableError(`A release groups approved changes only: ${unapproved.map((change) => `${change.number} is ${change.status}`).join(', ')}.`, {
      unapproved: unapproved.map((change) => change.id),
    });
  }
  const names = input.deploymentPlan.map((stage) => stage.name);
  if (new Set(names).size !== names.length || (names.length === 2 && names[0] !== 'pilot')) {
    throw new UnprocessableError('The deployment plan is a pilot then a full stage, or a full stage alone.', { field: 'deploymentPlan' });
  }
  if (input.plannedEnd <= input.plannedStart) throw new UnprocessableError('plannedEnd must be after plannedStart.', { field: 'plannedEnd' });
  const ciIds = [...new Set([...input.deploymentPlan.flatMap((stage) => stage.ciIds), ...changes.flatMap((change) => change.ciIds)])];
  const release: Release = {
    id: ids.id,
    number: ids.number,
    tenantId: ctx.actor.tenantId,
    title: input.title,
    description: input.description,
    softwareVersion: input.softwareVersion,
    changeIds: [...new Set(input.changeIds)],
    deploymentPlan: input.deploymentPlan,
    rollbackPlan: input.rollbackPlan,
    plannedStart: input.plannedStart,
    plannedEnd: input.plannedEnd,
    status: 'planned',
    stagesDone: [],
    result: null,
    report: null,
    ciIds,
    createdAt: ctx.now,
    createdBy: ctx.actor.userId,
    updatedAt: ctx.now,
    updatedBy: ctx.actor.userId,
    version: 1,
  };
  return { release, action: 'create', eventType: 'ReleaseCreated', changes: [{ field: 'status', from: null, to: 'planned' }], facts: {} };
}

/** Actions the release allows now. */
export function releaseActions(release: Pick<Release, 'status'>): ('deploy' | 'complete')[] {
  if (release.status === 'planned') return ['deploy'];
  if (release.status === 'pilot') return ['deploy', 'complete'];
  if (release.status === 'deployed') return ['complete'];
  return [];
}

/** Carries out the next stage of the plan; stages run in the plan's order. */
export function deployStage(release: Release, ctx: Context, stage: ReleaseStage, notes: string | null): ReleaseMutation {
  if (!releaseActions(release).includes('deploy')) throw new IllegalTransitionError('deploy', release.status, releaseActions(release));
  const next = release.deploymentPlan[release.stagesDone.length];
  if (!next || next.name !== stage) {
    throw new ConflictError(`The next stage of the plan is ${next ? next.name : 'none'}, not ${stage}.`, { expectedStage: next?.name ?? null });
  }
  const status: ReleaseStatus = stage === 'pilot' ? 'pilot' : 'deployed';
  const updated: Release = {
    ...release,
    status,
    stagesDone: [...release.stagesDone, { stage, at: ctx.now, by: ctx.actor.userId, notes }],
    updatedAt: ctx.now,
    updatedBy: ctx.actor.userId,
    version: release.version + 1,
  };
  return {
    release: updated,
    action: 'deploy',
    eventType: 'ReleaseDeployed',
    changes: [{ field: 'status', from: release.status, to: status }],
    facts: { stage, ciIds: next.ciIds },
  };
}

/** What a successful release tells the CMDB: each CI now runs `softwareVersion`. */
export function ciVersionUpdates(release: Pick<Release, 'ciIds' | 'softwareVersion' | 'result'>): { ciId: string; attribute: 'version'; value: string }[] {
  if (release.result !== 'success') return [];
  return release.ciIds.map((ciId) => ({ ciId, attribute: 'version' as const, value: release.softwareVersion }));
}

/**
 * Ends the release: success once fully deployed, or rolled back (after
 * the pilot or the full stage) with its report.
 */
export function completeRelease(release: Release, ctx: Context, result: 'success' | 'rolled_back', report: string): ReleaseMutation {
  if (!releaseActions(release).includes('complete')) throw new IllegalTransitionError('complete', release.status, releaseActions(release));
  if (result === 'success' && release.status !== 'deployed') throw new ConflictError('A release succeeds only once its full stage is deployed.');
  const status: ReleaseStatus = result === 'success' ? 'completed' : 'rolled_back';
  const updated: Release = { ...release, status, result, report, updatedAt: ctx.now, updatedBy: ctx.actor.userId, version: release.version + 1 };
  return {
    release: updated,
    action: 'complete',
    eventType: 'ReleaseCompleted',
    changes: [{ field: 'status', from: release.status, to: status }],
    facts: { result, softwareVersion: release.softwareVersion, ciVersionUpdates: ciVersionUpdates(updated) },
  };
}
