/**
 * Problem management (seed 001 §3, 002 §3.4): the problem record, its life
 * cycle, priority from impact × frequency, structured root-cause analysis
 * and the known error (symptoms, cause, workaround) it publishes. Pure
 * rules: each operation returns the new record plus what to audit and
 * announce; nothing here does I/O.
 * @module
 */
import { IllegalTransitionError, UnprocessableError } from '#shared/domain/errors.js';
import type { FieldChange } from '#shared/domain/incidents/incident.js';
import type { RecordChange } from '#shared/domain/record-change.js';
import type { Actor } from '#shared/domain/roles.js';

export const PROBLEM_STATUSES = ['proposed', 'new', 'assessed', 'root_cause_analysis', 'known_error', 'resolved', 'closed', 'cancelled', 'dismissed'] as const;
export type ProblemStatus = (typeof PROBLEM_STATUSES)[number];

export const PROBLEM_ACTIONS = ['accept', 'dismiss', 'assess', 'analyse', 'record-root-cause', 'publish-known-error', 'resolve', 'close', 'cancel'] as const;
export type ProblemAction = (typeof PROBLEM_ACTIONS)[number];

/** Statuses that end the life cycle: nothing more can be linked or changed. */
export const TERMINAL_PROBLEM_STATUSES: readonly ProblemStatus[] = ['closed', 'cancelled', 'dismissed'];
const WORKING: readonly ProblemStatus[] = ['new', 'assessed', 'root_cause_analysis', 'known_error'];

/**
 * Every allowed transition. A root cause may be recorded again while the
 * analysis goes on (findings grow); a known error may be republished with a
 * better workaround; resolving needs a root cause (the fix must address it).
 */
export const PROBLEM_TRANSITIONS: Readonly<Record<ProblemAction, { from: readonly ProblemStatus[]; to: ProblemStatus | null }>> = {
  accept: { from: ['proposed'], to: 'new' },
  dismiss: { from: ['proposed'], to: 'dismissed' },
  assess: { from: ['new', 'assessed'], to: 'assessed' },
  analyse: { from: ['assessed'], to: 'root_cause_analysis' },
  'record-root-cause': { from: ['assessed', 'root_cause_analysis', 'known_error'], to: null },
  'publish-known-error': { from: ['root_cause_analysis', 'known_error'], to: 'known_error' },
  resolve: { from: ['root_cause_analysis', 'known_error'], to: 'resolved' },
  close: { from: ['resolved'], to: 'closed' },
  cancel: { from: ['proposed', ...WORKING], to: 'cancelled' },
};

export function allowedProblemActions(status: ProblemStatus): ProblemAction[] {
  return PROBLEM_ACTIONS.filter((action) => PROBLEM_TRANSITIONS[action].from.includes(status));
}

export function isTerminalProblem(status: ProblemStatus): boolean {
  return TERMINAL_PROBLEM_STATUSES.includes(status);
}

function nextStatus(problem: Problem, action: ProblemAction): ProblemStatus {
  const transition = PROBLEM_TRANSITIONS[action];
  if (!transition.from.includes(problem.status)) throw new IllegalTransitionError(action, problem.status, allowedProblemActions(problem.status));
  return transition.to ?? (problem.status === 'assessed' ? 'root_cause_analysis' : problem.status);
}

/** Impact of the problem, 1 (whole business) … 4 (one user): seed 001 §3 ranks by impact and frequency, with no matrix. */
export type ProblemImpact = 1 | 2 | 3 | 4;
export type ProblemPriority = 1 | 2 | 3 | 4;

/** How many linked incidents in the frequency window make each band (1 = most frequent). */
export const FREQUENCY_BANDS: readonly { readonly band: 1 | 2 | 3 | 4; readonly atLeast: number }[] = [
  { band: 1, atLeast: 10 },
  { band: 2, atLeast: 5 },
  { band: 3, atLeast: 2 },
  { band: 4, atLeast: 0 },
];
/** Incidents linked within this many days count towards the frequency band (DOMAIN-NEXT default). */
export const FREQUENCY_WINDOW_DAYS = 90;

/** The frequency band of `linked` incidents as of `now`. */
export function frequencyBand(linked: readonly { readonly linkedAt: string }[], now: string): 1 | 2 | 3 | 4 {
  const since = Date.parse(now) - FREQUENCY_WINDOW_DAYS * 86_400_000;
  const count = linked.filter((incident) => Date.parse(incident.linkedAt) >= since).length;
  return (FREQUENCY_BANDS.find((entry) => count >= entry.atLeast) ?? { band: 4 }).band;
}

/** Priority = the rounded-up mean of impact and frequency band: a frequent minor fault ranks with a rare severe one. */
export function problemPriority(impact: ProblemImpact, band: 1 | 2 | 3 | 4): ProblemPriority {
  return Math.ceil((impact + band) / 2) as ProblemPriority;
}

export const RCA_METHODS = ['five_whys', 'fishbone', 'fault_tree', 'fmea', 'kepner_tregoe', 'other'] as const;
export type RcaMethod = (typeof RCA_METHODS)[number];

export interface RootCause {
  readonly method: RcaMethod;
  /** The analysis, step by step (the five whys, the fishbone's bones …). */
  readonly findings: readonly string[];
  readonly summary: string;
  readonly contributingCiIds: readonly string[];
  readonly identifiedAt: string;
  readonly identifiedBy: string;
}

export const KNOWN_ERROR_STATUSES = ['active', 'fixed'] as const;
export type KnownErrorStatus = (typeof KNOWN_ERROR_STATUSES)[number];

/** Root cause plus workaround, offered to incident handling (seed 001 §3). */
export interface KnownError {
  readonly symptoms: string;
  readonly cause: string;
  readonly workaround: string;
  /** `fixed` once the problem is resolved: the workaround is no longer needed once the fix is in. */
  readonly status: KnownErrorStatus;
  readonly publishedAt: string;
  readonly publishedBy: string;
  readonly revision: number;
}

export type ProblemSource =
  | { readonly kind: 'agent' }
  | { readonly kind: 'incidents' }
  | { readonly kind: 'trend'; readonly clusterCiId: string; readonly sharedDependency: boolean; readonly windowHours: number; readonly threshold: number }
  | { readonly kind: 'continuity_test'; readonly testId: string; readonly stepIds: readonly string[] };

export interface LinkedIncident {
  readonly id: string;
  readonly number: string;
  readonly ciId: string | null;
  readonly linkedAt: string;
}

/** At most this many incidents are linked to one problem: the record stays far below DynamoDB's item size. */
export const MAX_LINKED_INCIDENTS = 200;
/** At most this many incidents are linked in one change: each writes a back link in the same transaction (100 items at most). */
export const MAX_LINKS_PER_CHANGE = 50;
/** A known error is offered on at most this many CIs (one entry each, rewritten with the record). */
export const MAX_KNOWN_ERROR_CIS = 20;
export const MAX_LINKED_CHANGES = 20;

export interface Problem {
  readonly tenantId: string;
  readonly id: string;
  readonly number: string;
  readonly title: string;
  readonly description: string;
  readonly category: string | null;
  readonly status: ProblemStatus;
  readonly impact: ProblemImpact | null;
  readonly frequencyBand: 1 | 2 | 3 | 4 | null;
  readonly priority: ProblemPriority | null;
  readonly serviceId: string | null;
  /** The CIs the problem is about; known errors are offered to incidents on them and on CIs that depend on them. */
  readonly ciIds: readonly string[];
  readonly source: ProblemSource;
  readonly incidents: readonly LinkedIncident[];
  readonly changeIds: readonly string[];
  readonly rootCause: RootCause | null;
  readonly knownError: KnownError | null;
  readonly fix: { readonly changeId: string; readonly notes: string; readonly resolvedAt: string; readonly verifyUntil: string } | null;
  readonly closure: { readonly note: string | null; readonly closedAt: string; readonly closedBy: string } | null;
  /** Cancellation or dismissal of a proposal. */
  readonly cancellation: { readonly reason: string; readonly by: string } | null;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
  readonly version: number;
}

export type ProblemEventType =
  | 'ProblemCreated'
  | 'ProblemProposed'
  | 'ProblemAccepted'
  | 'ProblemDismissed'
  | 'ProblemAssessed'
  | 'ProblemAnalysisStarted'
  | 'ProblemRootCauseIdentified'
  | 'KnownErrorPublished'
  | 'ProblemResolved'
  | 'ProblemClosed'
  | 'ProblemCancelled'
  | 'ProblemIncidentsLinked';

export interface ProblemChange extends RecordChange<ProblemEventType, ProblemAction | 'create' | 'propose' | 'link-incidents'> {
  readonly problem: Problem;
  /** Incidents linked by this change (the data layer writes their back links). */
  readonly newlyLinked: readonly LinkedIncident[];
}

const AUDITED: readonly (keyof Problem)[] = [
  'title',
  'description',
  'category',
  'status',
  'impact',
  'frequencyBand',
  'priority',
  'serviceId',
  'ciIds',
  'changeIds',
  'rootCause',
  'knownError',
  'fix',
  'closure',
  'cancellation',
];

function diff(before: Problem | null, after: Problem): FieldChange[] {
  return AUDITED.flatMap((field) => {
    const from = before ? before[field] : null;
    const to = after[field];
    return JSON.stringify(from) === JSON.stringify(to) ? [] : [{ field, from, to }];
  });
}

export interface ProblemContext {
  readonly actor: Pick<Actor, 'userId'>;
  readonly now: string;
}

export interface NewProblemInput {
  readonly title: string;
  readonly description: string;
  readonly category?: string | null | undefined;
  readonly serviceId?: string | null | undefined;
  readonly ciIds?: readonly string[] | undefined;
  readonly impact?: ProblemImpact | undefined;
  readonly incidents?: readonly Omit<LinkedIncident, 'linkedAt'>[] | undefined;
  readonly source?: ProblemSource | undefined;
}

function uniqueIncidents(incidents: readonly Omit<LinkedIncident, 'linkedAt'>[], now: string): LinkedIncident[] {
  const byId = new Map(incidents.map((incident) => [incident.id, incident]));
  return [...byId.values()].map((incident) => ({ ...incident, linkedAt: now }));
}

/**
 * A new problem: raised by an agent (`new`), from incidents, from a failed
 * continuity test, or proposed by trend detection (`proposed`, waiting for
 * an agent to accept or dismiss it). An impact given at once assesses it.
 */
export function createProblem(input: NewProblemInput, identity: { id: string; number: string; tenantId: string }, ctx: ProblemContext): ProblemChange {
  const source: ProblemSource = input.source ?? (input.incidents?.length ? { kind: 'incidents' } : { kind: 'agent' });
  const incidents = uniqueIncidents(input.incidents ?? [], ctx.now);
  if (incidents.length > MAX_LINKS_PER_CHANGE)
    throw new UnprocessableError(`Link at most ${MAX_LINKS_PER_CHANGE} incidents at a time.`, { field: 'incidentIds' });
  const band = frequencyBand(incidents, ctx.now);
  const proposed = source.kind === 'trend';
  const impact = input.impact ?? null;
  const problem: Problem = {
    tenantId: identity.tenantId,
    id: identity.id,
    number: identity.number,
    title: input.title,
    description: input.description,
    category: input.category ?? null,
    status: proposed ? 'proposed' : impact ? 'assessed' : 'new',
    impact,
    frequencyBand: band,
    priority: impact ? problemPriority(impact, band) : null,
    serviceId: input.serviceId ?? null,
    ciIds: [...new Set([...(input.ciIds ?? []), ...incidents.flatMap((incident) => (incident.ciId ? [incident.ciId] : []))])],
    source,
    incidents,
    changeIds: [],
    rootCause: null,
    knownError: null,
    fix: null,
    closure: null,
    cancellation: null,
    createdAt: ctx.now,
    createdBy: ctx.actor.userId,
    updatedAt: ctx.now,
    updatedBy: ctx.actor.userId,
    version: 1,
  };
  return {
    problem,
    action: proposed ? 'propose' : 'create',
    eventType: proposed ? 'ProblemProposed' : 'ProblemCreated',
    changes: diff(null, problem),
    facts: { source: source.kind, incidentIds: incidents.map((incident) => incident.id) },
    newlyLinked: incidents,
  };
}

export type ProblemCommand =
  | { readonly action: 'accept' }
  | { readonly action: 'dismiss'; readonly reason: string }
  | { readonly action: 'assess'; readonly impact: ProblemImpact }
  | { readonly action: 'analyse' }
  | {
      readonly action: 'record-root-cause';
      readonly method: RcaMethod;
      readonly summary: string;
      readonly findings: readonly string[];
      readonly contributingCiIds?: readonly string[] | undefined;
    }
  | { readonly action: 'publish-known-error'; readonly symptoms: string; readonly workaround: string; readonly cause?: string | undefined }
  | { readonly action: 'resolve'; readonly changeId: string; readonly notes: string; readonly verificationDays: number }
  | { readonly action: 'close'; readonly note?: string | undefined }
  | { readonly action: 'cancel'; readonly reason: string };

const EVENT_OF: Record<ProblemAction, ProblemEventType> = {
  accept: 'ProblemAccepted',
  dismiss: 'ProblemDismissed',
  assess: 'ProblemAssessed',
  analyse: 'ProblemAnalysisStarted',
  'record-root-cause': 'ProblemRootCauseIdentified',
  'publish-known-error': 'KnownErrorPublished',
  resolve: 'ProblemResolved',
  close: 'ProblemClosed',
  cancel: 'ProblemCancelled',
};

/** Applies a life-cycle command; a transition the life cycle forbids is a 409 listing the allowed actions. */
export function applyProblemCommand(problem: Problem, command: ProblemCommand, ctx: ProblemContext): ProblemChange {
  const status = nextStatus(problem, command.action);
  const base = { status, updatedAt: ctx.now, updatedBy: ctx.actor.userId, version: problem.version + 1 };
  let next: Problem;
  let facts: Record<string, unknown> = {};
  switch (command.action) {
    case 'accept':
    case 'analyse':
      next = { ...problem, ...base };
      break;
    case 'dismiss':
    case 'cancel':
      next = { ...problem, ...base, cancellation: { reason: command.reason, by: ctx.actor.userId } };
      break;
    case 'assess': {
      const band = frequencyBand(problem.incidents, ctx.now);
      next = { ...problem, ...base, impact: command.impact, frequencyBand: band, priority: problemPriority(command.impact, band) };
      break;
    }
    case 'record-root-cause':
      next = {
        ...problem,
        ...base,
        rootCause: {
          method: command.method,
          summary: command.summary,
          findings: [...command.findings],
          contributingCiIds: [...new Set(command.contributingCiIds ?? [])],
          identifiedAt: ctx.now,
          identifiedBy: ctx.actor.userId,
        },
      };
      facts = { method: command.method };
      break;
    case 'publish-known-error': {
      if (!problem.rootCause && !command.cause) {
        throw new UnprocessableError('A known error needs a cause: record the root cause first or give `cause`.', { field: 'cause' });
      }
      next = {
        ...problem,
        ...base,
        knownError: {
          symptoms: command.symptoms,
          cause: command.cause ?? problem.rootCause?.summary ?? '',
          workaround: command.workaround,
          status: 'active',
          publishedAt: ctx.now,
          publishedBy: ctx.actor.userId,
          revision: (problem.knownError?.revision ?? 0) + 1,
        },
      };
      facts = { revision: next.knownError?.revision };
      break;
    }
    case 'resolve': {
      if (!problem.rootCause)
        throw new UnprocessableError('Record the root cause before resolving: the permanent fix must address it.', { field: 'rootCause' });
      const verifyUntil = new Date(Date.parse(ctx.now) + command.verificationDays * 86_400_000).toISOString();
      const changeIds = problem.changeIds.includes(command.changeId) ? problem.changeIds : [...problem.changeIds, command.changeId];
      if (changeIds.length > MAX_LINKED_CHANGES) throw new UnprocessableError(`A problem links at most ${MAX_LINKED_CHANGES} changes.`, { field: 'changeId' });
      next = {
        ...problem,
        ...base,
        changeIds,
        fix: { changeId: command.changeId, notes: command.notes, resolvedAt: ctx.now, verifyUntil },
        knownError: problem.knownError ? { ...problem.knownError, status: 'fixed' } : null,
      };
      facts = { changeId: command.changeId, verifyUntil };
      break;
    }
    case 'close': {
      const fix = problem.fix;
      if (fix && Date.parse(ctx.now) < Date.parse(fix.verifyUntil)) {
        throw new UnprocessableError(`The fix is verified once ${fix.verifyUntil} passes with no recurrence.`, { verifyUntil: fix.verifyUntil });
      }
      const recurred = fix ? problem.incidents.filter((incident) => incident.linkedAt > fix.resolvedAt) : [];
      if (recurred.length > 0) {
        throw new UnprocessableError('Incidents recurred after the fix: it is not verified effective.', {
          recurredIncidentIds: recurred.map((incident) => incident.id),
        });
      }
      next = { ...problem, ...base, closure: { note: command.note ?? null, closedAt: ctx.now, closedBy: ctx.actor.userId } };
      break;
    }
  }
  return { problem: next, action: command.action, eventType: EVENT_OF[command.action], changes: diff(problem, next), facts, newlyLinked: [] };
}

/**
 * Links incidents (and so their CIs) to a problem; already-linked ones are
 * skipped. After the fix, a linked incident is a recurrence: closing waits.
 * Returns `null` when every incident was linked already.
 */
export function linkIncidents(problem: Problem, incidents: readonly Omit<LinkedIncident, 'linkedAt'>[], ctx: ProblemContext): ProblemChange | null {
  if (isTerminalProblem(problem.status)) throw new IllegalTransitionError('link incidents to', problem.status, allowedProblemActions(problem.status));
  const known = new Set(problem.incidents.map((incident) => incident.id));
  const added = uniqueIncidents(
    incidents.filter((incident) => !known.has(incident.id)),
    ctx.now,
  );
  if (added.length === 0) return null;
  if (added.length > MAX_LINKS_PER_CHANGE) throw new UnprocessableError(`Link at most ${MAX_LINKS_PER_CHANGE} incidents at a time.`, { field: 'incidentIds' });
  const all = [...problem.incidents, ...added];
  if (all.length > MAX_LINKED_INCIDENTS) throw new UnprocessableError(`A problem links at most ${MAX_LINKED_INCIDENTS} incidents.`, { field: 'incidentIds' });
  const band = frequencyBand(all, ctx.now);
  const next: Problem = {
    ...problem,
    incidents: all,
    ciIds: [...new Set([...problem.ciIds, ...added.flatMap((incident) => (incident.ciId ? [incident.ciId] : []))])],
    frequencyBand: band,
    priority: problem.impact ? problemPriority(problem.impact, band) : problem.priority,
    updatedAt: ctx.now,
    updatedBy: ctx.actor.userId,
    version: problem.version + 1,
  };
  return {
    problem: next,
    action: 'link-incidents',
    eventType: 'ProblemIncidentsLinked',
    changes: diff(problem, next),
    facts: { incidentIds: added.map((incident) => incident.id), recurrence: problem.fix !== null },
    newlyLinked: added,
  };
}

/** The CIs a known error of `problem` is offered for: the problem's, the root cause's, and the trend cluster's. */
export function knownErrorCiIds(problem: Pick<Problem, 'ciIds' | 'rootCause' | 'source'>): string[] {
  // The cluster and root-cause CIs first: they are what the analysis found, the linked incidents' CIs only where it showed.
  return [
    ...new Set([...(problem.source.kind === 'trend' ? [problem.source.clusterCiId] : []), ...(problem.rootCause?.contributingCiIds ?? []), ...problem.ciIds]),
  ].slice(0, MAX_KNOWN_ERROR_CIS);
}
