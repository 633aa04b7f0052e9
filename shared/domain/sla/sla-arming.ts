/**
 * When the escalation workflow is (re)started: the changes that can move a
 * due time earlier or bring a settled clock back to life. Each of them
 * starts a new execution, named after the incident and the version of the
 * change (so a redelivered event starts nothing), and that version is the
 * execution's `generation`; an older execution that wakes up finds a newer
 * generation in the history and ends ("superseded") instead of watching
 * twice.
 *
 * - creation: the clocks start;
 * - a change of priority, service, category or customer: new targets, or
 *   another SLA of the policy (`sla-policy.ts`), so due times may move either way;
 * - resume: a paused clock runs again (a paused clock therefore needs no
 *   frequent polling, only a daily safety re-check);
 * - reopen: a stopped clock may resume or restart.
 *
 * Putting on hold, starting work and resolving only move due times later or
 * stop clocks: the running execution notices at its next wake-up.
 *
 * A saved SLA or escalation policy re-arms every open incident: its
 * watching execution is stopped and one of the same generation started,
 * named after the policy versions too ({@link rearmedExecutionName}), so
 * due times that moved earlier are watched at once.
 *
 * The arming pattern ({@link ARMING_EVENT_PATTERN}) and the evaluator's
 * superseded check ({@link armingGeneration}) must agree; a unit test
 * checks them against every incident action. The bus rule takes more
 * ({@link WATCH_EVENT_PATTERN}): the incident's escalation schedule is
 * re-timed on every status change (`shared/services/sla/escalation-watch.ts`).
 * @module
 */

/** Audit actions that arm whatever they change. */
const ARMING_ACTIONS: ReadonlySet<string> = new Set(['create', 'resume', 'reopen']);
/** Fields whose change arms, whatever the action: they choose the SLA and its targets. */
const ARMING_FIELDS = ['priority', 'serviceId', 'category', 'customerId'] as const;

/** The EventBridge pattern of the events that arm the workflow (the rule `ArmSlaEscalation`). */
export const ARMING_EVENT_PATTERN = {
  source: ['itsm.incidents'],
  $or: [{ 'detail-type': ['IncidentCreated', 'IncidentResumed', 'IncidentReopened'] }, { detail: { changes: { field: [...ARMING_FIELDS] } } }],
};

/**
 * The changes after which the incident's escalation schedule is looked at
 * again (the rule `ArmSlaEscalation`): every arming change, and every
 * change of status or hold, since starting work, a hold or a resolution
 * can move the next wake-up later or leave nothing to watch (the schedule
 * is then moved or removed, so no run is billed for nothing).
 */
export const WATCH_EVENT_PATTERN = {
  source: ['itsm.incidents'],
  $or: [
    { 'detail-type': ['IncidentCreated', 'IncidentResumed', 'IncidentReopened'] },
    { detail: { changes: { field: [...ARMING_FIELDS, 'status', 'holdReason'] } } },
  ],
};

/** Whether an incident change with audit `action` and these field `changes` arms the workflow. */
export function isArmingChange(action: string, changes: readonly { readonly field: string }[]): boolean {
  return ARMING_ACTIONS.has(action) || changes.some((change) => (ARMING_FIELDS as readonly string[]).includes(change.field));
}

/** The version of the latest arming change in `history` (oldest first): the generation that should be watching; 0 when none. */
export function armingGeneration(
  history: readonly { readonly action: string; readonly version: number; readonly changes: readonly { readonly field: string }[] }[],
): number {
  let generation = 0;
  for (const entry of history) if (isArmingChange(entry.action, entry.changes)) generation = Math.max(generation, entry.version);
  return generation;
}

/** The execution name of the arming at `generation`: unique per incident and change, stable across redeliveries. */
export function escalationExecutionName(incidentId: string, generation: number): string {
  return `${incidentId}-v${generation}`;
}

/** The versions of the tenant's SLA and escalation policies an execution was armed under. */
export interface PolicyVersions {
  readonly sla: number;
  readonly escalation: number;
}

/** The execution name of a re-arming after a policy change: unique per incident, generation and policy versions. */
export function rearmedExecutionName(incidentId: string, generation: number, policies: PolicyVersions): string {
  return `${escalationExecutionName(incidentId, generation)}-s${policies.sla}-e${policies.escalation}`;
}
