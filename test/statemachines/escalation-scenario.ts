/**
 * Runs an incident's whole SLA watch over a scripted history: each change
 * of the script goes through the bus rule's own pattern to the real
 * arming (`armEscalation`), which arms an in-memory one-off schedule (the
 * Scheduler calls counted); each schedule fires at its instant (simulated
 * time jumps there), deleting itself as `ActionAfterCompletion: DELETE`
 * does, and starts the escalation workflow file with the local runner and
 * the real evaluation (`createSlaEvaluator`: clocks, decision,
 * announcements, escalation plan, re-arming) over an in-memory incident
 * whose history is replayed only up to the simulated now. Shared by the
 * workflow tests and the benchmark (transitions, schedule invocations and
 * Scheduler API calls per path).
 *
 * Import it after the data layer's environment is set: it loads handlers.
 * @module
 */

import type { Priority } from '#shared/domain/incidents/priority-matrix.js';
import { businessCalendarSchema } from '#shared/domain/sla/business-calendar.js';
import type { EscalationPolicy } from '#shared/domain/sla/escalation-policy.js';
import { WATCH_EVENT_PATTERN } from '#shared/domain/sla/sla-arming.js';
import { defaultSlaDefinition } from '#shared/domain/sla/sla-definition.js';
import { matchesEventPattern } from '#shared/events/event-pattern.js';
import { armEscalation, armSchedule, type EscalationSchedules, type SlaReads, type WatchIdentity } from '#shared/services/sla/escalation-watch.js';
import { createSlaEvaluator } from '../../functions/sla/evaluate-sla.js';
import { localWorkflows } from '../../infra/local/local-stack.js';
import type { ExecutionResult } from '../../infra/local/local-workflows.js';

export const HOUR = 3_600_000;
/** Monday 2024-01-01 00:00 UTC. */
export const T0 = Date.UTC(2024, 0, 1);
export const h = (hours: number) => new Date(T0 + hours * HOUR);
export const hoursOf = (iso: string) => (Date.parse(iso) - T0) / HOUR;
/** 24×7, so hours in the scripts are business hours. P3: response 4 h, resolution 24 h; P1: 1 h and 4 h. */
export const sla247 = defaultSlaDefinition(businessCalendarSchema.parse({ timeZone: 'UTC', alwaysOpen: true }));
const officeDay = [{ start: '08:00', end: '18:00' }];
export const officeHours = { timeZone: 'UTC', week: { mon: officeDay, tue: officeDay, wed: officeDay, thu: officeDay, fri: officeDay } };

/** Tests never wait: retry backoffs take 0 ms. */
export const FAST = { retryIntervalOverrides: { EvaluateSla: 0 } };

export interface Line {
  readonly at: number;
  /** The audit action. @default `create` for the first line, `update` for a priority change alone, `transition` otherwise */
  readonly action?: string;
  readonly status?: string;
  readonly hold?: string | null;
  readonly priority?: number;
}

export interface Announced {
  readonly type: string;
  readonly metric: string;
  readonly threshold: number;
  readonly reachedAt: number;
  readonly priority: number;
}

export interface Scenario {
  /** The incident's whole history, in hours; only the part before the simulated now exists at each evaluation. */
  readonly lines: readonly Line[];
  /** The first this many invocations of the task fail with this error name (as the Lambda integration names service errors). */
  readonly failures?: { readonly count: number; readonly name: string };
  readonly answer?: (payload: unknown) => unknown;
  /** @default no levels, so the threshold paths are seen alone */
  readonly escalation?: EscalationPolicy;
  /** Run only the workflow, once, with this input at `startAt` (no arming, no schedules): the task's own paths. */
  readonly direct?: { readonly startAt: number; readonly generation: number };
}

/** One escalation step taken, as the fake records it. */
export interface Escalated {
  readonly at: number;
  readonly level: number;
  readonly repeat: number;
  readonly kind: string;
}

/** Scheduler API calls of a watch (create and delete are free-tier API calls; each firing is a billed invocation). */
export interface ScheduleCalls {
  created: number;
  deleted: number;
  listed: number;
}

const DETAIL_TYPES: Readonly<Record<string, string>> = { create: 'IncidentCreated', resume: 'IncidentResumed', reopen: 'IncidentReopened' };
/** Nothing in these scripts needs watching longer than this: a loop would fail the run instead of hanging it. */
const HORIZON_HOURS = 24 * 30;

/** Runs the watch over a scripted incident; returns the executions, the announcements, the wake-ups and the counts. */
export async function runScenario(scenario: Scenario) {
  const tenantId = 'acme';
  const incidentId = '01KAZ9R2B6N1V8C4X7Z3L5K9JH';
  let now = h(scenario.direct?.startAt ?? 0);
  let calls = 0;
  const announced = new Set<string>();
  const events: Announced[] = [];
  const escalations: Escalated[] = [];
  const wakeUps: number[] = [];
  const executions: ExecutionResult[] = [];
  const armed = new Map<string, { at: Date; input: WatchIdentity }>();
  const scheduleCalls: ScheduleCalls = { created: 0, deleted: 0, listed: 0 };
  let arms = 0;
  const schedules: EscalationSchedules = {
    list: async (prefix) => {
      scheduleCalls.listed += 1;
      return [...armed.keys()].filter((name) => name.startsWith(prefix));
    },
    create: async (name, at, input) => {
      scheduleCalls.created += 1;
      if (armed.has(name)) return 'exists';
      armed.set(name, { at, input });
      return 'created';
    },
    delete: async (name) => {
      scheduleCalls.deleted += 1;
      return armed.delete(name);
    },
  };
  const past = () => scenario.lines.filter((line) => line.at <= hoursOf(now.toISOString()));
  const reads: SlaReads = {
    getWatched: async (tenant, id) => ({
      incident:
        past().length === 0
          ? null
          : {
              tenantId: tenant,
              id,
              number: 'INC0001001',
              version: past().length,
              priority: (past().findLast((line) => line.priority)?.priority ?? 3) as Priority,
              serviceId: null,
              category: 'network',
              customerId: null,
            },
      announced: new Set(announced),
      slaPolicy: { definitions: [sla247], calendarOverrides: [] },
      escalationPolicy: scenario.escalation ?? { levels: [] },
    }),
    listHistory: async () => past().map(entryOf),
  };
  const evaluate = createSlaEvaluator({
    ...reads,
    now: () => now,
    announce: async (_incident, announcement) => {
      for (const key of announcement.covers) announced.add(key);
      events.push({
        type: announcement.kind === 'breach' ? 'SlaBreached' : 'SlaWarning',
        metric: announcement.metric,
        threshold: announcement.fraction,
        reachedAt: hoursOf(announcement.reachedAt.toISOString()),
        priority: announcement.priority,
      });
    },
    escalate: async (_incident, step, at) => {
      for (const key of step.covers) announced.add(key);
      escalations.push({ at: hoursOf(at.toISOString()), level: step.levelIndex, repeat: step.repeat, kind: step.level.kind });
    },
    arm: (identity, at) => armSchedule(schedules, identity, at),
  });
  const workflows = localWorkflows({
    functions: {
      'sla/evaluate-sla': async (payload) => {
        calls += 1;
        if (scenario.failures && calls <= scenario.failures.count) {
          throw Object.assign(new Error('Rate exceeded'), { name: scenario.failures.name });
        }
        if (scenario.answer) return scenario.answer(payload);
        return evaluate(payload);
      },
    },
  });
  const run = async (input: WatchIdentity) => {
    const execution = await workflows.startExecution('incident-escalation', input, FAST);
    executions.push(execution);
    return { started: true };
  };

  if (scenario.direct) {
    await run({ tenantId, incidentId, generation: scenario.direct.generation });
  } else {
    // The script's changes, as the bus rule sees them, and the schedules' firings, in time order.
    const changes = scenario.lines.map((line, index) => ({ line, entry: entryOf(line, index) }));
    let nextChange = 0;
    for (let step = 0; ; step += 1) {
      const change = changes[nextChange];
      const firing = [...armed.entries()].sort(([, a], [, b]) => a.at.getTime() - b.at.getTime())[0];
      if (!change && !firing) break;
      if (step > 500 || (firing && hoursOf(firing[1].at.toISOString()) > HORIZON_HOURS)) throw new Error('the watch does not settle');
      if (change && (!firing || change.line.at <= hoursOf(firing[1].at.toISOString()))) {
        nextChange += 1;
        now = h(change.line.at);
        const event = {
          source: 'itsm.incidents',
          'detail-type': DETAIL_TYPES[change.entry.action] ?? 'IncidentUpdated',
          detail: { tenantId, incidentId, version: change.entry.version, changes: change.entry.changes },
        };
        if (!matchesEventPattern(WATCH_EVENT_PATTERN, event)) continue;
        arms += 1;
        await armEscalation({ reads, schedules, start: run }, { tenantId, incidentId, created: event['detail-type'] === 'IncidentCreated' }, now);
        continue;
      }
      const [name, { at, input }] = firing as [string, { at: Date; input: WatchIdentity }];
      // Fired: the schedule deletes itself (ActionAfterCompletion: DELETE) and starts the workflow.
      armed.delete(name);
      now = at;
      wakeUps.push(hoursOf(at.toISOString()));
      await run(input);
    }
  }
  const transitions = executions.reduce((sum, execution) => sum + execution.states.length + execution.retries.length, 0);
  return { executions, execution: executions.at(-1), events, escalations, wakeUps, transitions, firings: wakeUps.length, scheduleCalls, arms, armed };
}

/** A script line as an audit entry (its changes as the domain records them). */
function entryOf(line: Line, index: number) {
  return {
    action: line.action ?? (index === 0 ? 'create' : line.priority && !line.status ? 'update' : 'transition'),
    version: index + 1,
    at: h(line.at).toISOString(),
    changes: [
      ...(line.status ? [{ field: 'status', to: line.status }] : []),
      ...(line.status ? [{ field: 'holdReason', to: line.hold ?? null }] : []),
      ...(line.priority ? [{ field: 'priority', to: line.priority }] : []),
    ],
  };
}
